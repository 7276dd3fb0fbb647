import type { Envelope } from '../../../shared/ipc/errors';

/**
 * The only way out of the renderer: `window.madoguchi.invoke`, exposed by the Electron preload (or by the
 * test harness's bridge with the same contract). The renderer has no network and no Node.
 */
export interface MadoguchiBridge {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Events pushed by the main process (session locked / ended); returns the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    madoguchi?: MadoguchiBridge;
  }
}

export function bridge(): MadoguchiBridge {
  const b = window.madoguchi;
  if (!b) throw new Error('window.madoguchi is not available');
  return b;
}
