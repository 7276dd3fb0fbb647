import type { Clock } from '../electron/core/platform';

/**
 * The clocks tests give the core, the harness and the sync server (`buildApp({ clock })`): time in a test comes
 * from here, never from the day it runs (CI runs the suites again under faketime, 400 days either way).
 */

/** A clock that starts at a fixed instant and then runs in real time (timestamps keep increasing). */
export function clockFrom(startIso: string): Clock {
  const start = Date.parse(startIso);
  const t0 = Date.now();
  return { now: () => new Date(start + (Date.now() - t0)) };
}

/**
 * A clock that starts at a fixed instant and moves `stepMs` (one second unless given) on each reading: no real time at
 * all, so what a test reads does not depend on how fast the machine is.
 */
export const fixedClock = (iso = '2026-11-22T01:00:00Z', stepMs = 1000): Clock => {
  let t = Date.parse(iso);
  return { now: () => new Date((t += stepMs)) };
};

/** clockFrom that a test can also move, forward or back (an offline weekend, a clock set wrong and corrected). */
export function movableClock(startIso: string): Clock & { advanceHours(h: number): void; advanceMinutes(m: number): void } {
  const start = Date.parse(startIso);
  const t0 = Date.now();
  let offset = 0;
  return {
    now: () => new Date(start + (Date.now() - t0) + offset),
    advanceHours: (h) => void (offset += h * 3_600_000),
    advanceMinutes: (m) => void (offset += m * 60_000),
  };
}
