import { useRef, useState } from 'react';
import { ApiError, errorMessage } from './api';

/**
 * The one way a screen calls the core from a form or a button: the busy flag, the core's field errors and its
 * Japanese message. `run` never throws and never runs twice at once: it clears the last message and field
 * errors, and on failure keeps the new ones (what was typed stays in the form) and returns `undefined`.
 * `fail` shows what the form's own check found (a message, field errors, or both); `fail(null)` clears;
 * `check(errors)` is true when a check found nothing, and otherwise shows its field errors.
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

  function check(errors: Record<string, string>, msg: string | null = null): boolean {
    if (Object.keys(errors).length === 0) return true;
    fail(msg, errors);
    return false;
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

  return { busy, fieldErrors, message, run, fail, check, bannerFor };
}
