import { useState } from 'react';
import { call } from './api';
import { useAction } from './useAction';
import { useLoad } from './useLoad';

/**
 * Printing from a print preview: the printers the main process allows (printers.list), the one chosen (the
 * first unless another is picked), and `print(send)` with the busy flag, the core's refusal (its message) and
 * the printer of the last successful print. `reset` forgets both, e.g. before the preview is read again.
 */
export function usePrinting() {
  const list = useLoad(() => call('printers.list', {}), []);
  const [picked, setPicked] = useState('');
  const [printed, setPrinted] = useState<string | null>(null);
  const act = useAction();
  const chosen = picked || list.data?.printers[0] || '';

  async function print(send: (printerName: string) => Promise<unknown>) {
    if (act.busy) return;
    setPrinted(null);
    const printer = chosen;
    const ok = await act.run(async () => {
      await send(printer);
      return true;
    });
    if (ok) setPrinted(printer);
  }

  function reset() {
    act.fail(null);
    setPrinted(null);
  }

  return { printers: list.data?.printers ?? null, printersError: list.error, chosen, choose: setPicked, busy: act.busy, refusal: act.message, printed, print, reset };
}

export type Printing = ReturnType<typeof usePrinting>;
