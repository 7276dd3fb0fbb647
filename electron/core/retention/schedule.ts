import type { RetentionSettings } from '../../../shared/domain/profile';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { Clock } from '../platform';
import { purgeExpiredRecords, type RecordPurgeResult } from './purge';

/** How often the core checks whether a new Japan day has begun since the last purge. */
export const RETENTION_CHECK_MS = 10 * 60_000;

/**
 * When the terminal purges domain records past their 保存年限 (issue 16 §3): at every start of the core and then once
 * per Japan day while it runs, the day judged by the core's clock — a counter PC left on for weeks purges as one
 * restarted every morning does. Each run is the same purge (purgeExpiredRecords: one audit entry with counts, none
 * when nothing went); one that fails is audited as a failure and tried again the next day, not at every check.
 *
 * A sync round in flight finishes first: the purge itself is one synchronous transaction, but a round awaits the
 * server between reading and writing (a push's rows, the restore check before outbox rows are declared lost), and a
 * purge in between would act on what the round is about to change. Two purges never overlap. The timer is unref'd
 * (it never keeps the process alive) and stopped when the core closes.
 */
export class RecordRetention {
  private lastDay: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly settings: RetentionSettings,
    /** The sync round in flight, or null (SyncRunner.roundInFlight). */
    private readonly syncRound: () => Promise<void> | null = () => null,
  ) {}

  /** Purges now and marks today (Japan) as done; a failure is audited, never thrown. */
  run(): RecordPurgeResult | null {
    this.lastDay = todayInJapan(this.clock.now());
    try {
      return purgeExpiredRecords(this.db, this.audit, this.clock, this.settings);
    } catch (e) {
      this.audit.append({ staffId: null, action: 'records.retentionPurge', outcome: 'failure', detail: { why: (e as Error).message.slice(0, 300) } });
      return null;
    }
  }

  /** The timer's check: purges when the clock's Japan date is not the last run's (after a round in flight). Whether it ran. */
  async tick(): Promise<boolean> {
    if (this.checking || this.stopped || !this.due()) return false;
    this.checking = true;
    try {
      for (let round = this.syncRound(); round; round = this.syncRound()) await round.catch(() => undefined);
      // Nothing awaits between this check and the purge, so no round can start in between.
      if (this.stopped || !this.due()) return false;
      this.run();
      return true;
    } finally {
      this.checking = false;
    }
  }

  /** Checks every `checkMs` from now on. */
  start(checkMs = RETENTION_CHECK_MS): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.tick(), checkMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A date other than the last run's, a clock set back included (a purge again changes nothing it should not). */
  private due(): boolean {
    return this.lastDay !== todayInJapan(this.clock.now());
  }
}
