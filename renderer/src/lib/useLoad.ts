import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from './api';

/** Load data for a screen; exposes the error message and a reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setError(null);
    run().then(setData, (e: unknown) => setError(errorMessage(e)));
  }, [run]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/** Escape goes back, as on every screen below the search. */
export function useEscape(onEscape: () => void) {
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onEscape();
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [onEscape]);
}
