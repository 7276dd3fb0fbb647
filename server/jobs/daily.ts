/**
 * The server's daily jobs on a timer (the 異動 job, the retention purge): each runs once per Japan day, from a
 * configured hour, judged by the server's clock and by job_log — a restart the same day does not run it again.
 */
import type { Pool } from '../db';
import { errorSummary } from '../sync';

/** Whether today's (Japan) timer run of `job` is due: at or after `hour` o'clock and no timer run of it done today. */
export async function dailyJobDue(pool: Pool, job: string, now: Date, hour: number): Promise<boolean> {
  const r = await pool.query<{ due: boolean }>(
    `SELECT extract(hour FROM $1::timestamptz AT TIME ZONE 'Asia/Tokyo') >= $2
            AND NOT EXISTS (SELECT 1 FROM job_log WHERE job = $3 AND source = 'timer' AND result = 'done'
                              AND (started_at AT TIME ZONE 'Asia/Tokyo')::date = ($1::timestamptz AT TIME ZONE 'Asia/Tokyo')::date) AS due`,
    [now, hour, job],
  );
  return r.rows[0]!.due;
}

export interface DailyJobSchedule<R> {
  /** Its name in job_log. */
  job: string;
  clock: { now(): Date };
  /** From this hour (0–23, Japan time). */
  hour: number;
  /** How often it is checked (default 10 minutes). */
  checkMs?: number;
  /** One timer run (it writes its job_log row with source 'timer'). */
  run: () => Promise<R>;
  onResult?: (r: R) => void;
}

/**
 * Runs a job once a day: checked now and every `checkMs`, it runs when the server's clock (Japan time) is at or past
 * `hour` and no timer run of it has been done that day; never two checks at once. Returns a stop function.
 */
export function scheduleDailyJob<R>(pool: Pool, opts: DailyJobSchedule<R>): () => void {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      if (await dailyJobDue(pool, opts.job, opts.clock.now(), opts.hour)) opts.onResult?.(await opts.run());
    } catch (err) {
      console.error(`[server] ${opts.job} job failed to run:`, errorSummary(err));
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.checkMs ?? 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
