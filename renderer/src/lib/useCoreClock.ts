import { useEffect, useState } from 'react';
import { call } from './api';

export interface CoreTime {
  /** ISO instant from the core's clock. */
  now: string;
  /** The core's date in Japan (YYYY-MM-DD). */
  today: string;
}

/**
 * "Now" as the core sees it, refreshed every `everyMs`. Time has one source — the core's injected clock —
 * so the renderer never reads its own wall clock for anything it shows. Null until the first answer.
 */
export function useCoreClock(everyMs = 30_000): CoreTime | null {
  const [time, setTime] = useState<CoreTime | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      call('clock.now', {}).then(
        (t) => live && setTime(t),
        () => undefined,
      );
    void load();
    const timer = window.setInterval(() => void load(), everyMs);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [everyMs]);
  return time;
}
