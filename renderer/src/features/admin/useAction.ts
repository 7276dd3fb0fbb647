import { useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../lib/api';

/**
 * Busy flag, field errors and a message for one form of the admin screens. `run` never throws: on failure the
 * Japanese message and the field errors are kept (what was typed stays in the form) and `undefined` is returned.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const running = useRef(false);

  function fail(msg: string | null, errors: Record<string, string> = {}) {
    setMessage(msg);
    setFieldErrors(errors);
  }

  async function run<T>(fn: () => Promise<T>, describe: (e: unknown) => string = errorMessage): Promise<T | undefined> {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    fail(null);
    try {
      return await fn();
    } catch (e) {
      fail(describe(e), e instanceof ApiError ? e.fieldErrors : {});
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  /** The message for the banner, unless one of the form's own fields already shows the error. */
  function bannerFor(fields: readonly string[]): string | null {
    return fields.some((f) => fieldErrors[f]) ? null : message;
  }

  return { busy, fieldErrors, message, run, fail, bannerFor };
}
