import type { Db } from '../db/database';
import type { Clock } from '../platform';
import type { AuditLog } from './audit-log';
import { createCheckpoint, latestCheckpoint, type StoredCheckpoint, type TerminalSigningKey } from './checkpoint';

/** A signed checkpoint every this many entries (and at every logout / shift end). */
export const CHECKPOINT_EVERY = 1000;

/**
 * When checkpoints are made: every CHECKPOINT_EVERY entries (checked after each request) and at logout or
 * shift end. A failure to checkpoint (a log that no longer extends the last signed root) is itself audited.
 */
export class AuditCheckpoints {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    readonly signer: TerminalSigningKey,
    private readonly every = CHECKPOINT_EVERY,
  ) {}

  create(reason: 'interval' | 'logout' | 'shift_end' | 'export'): StoredCheckpoint | null {
    try {
      return createCheckpoint(this.db, this.signer, this.clock);
    } catch (e) {
      this.audit.append({ staffId: null, action: 'audit.checkpoint', outcome: 'failure', detail: { reason, why: (e as Error).message.slice(0, 300) } });
      return null;
    }
  }

  /** Creates a checkpoint when CHECKPOINT_EVERY entries have been added since the last one. */
  maybe(): StoredCheckpoint | null {
    const last = latestCheckpoint(this.db)?.treeSize ?? 0;
    const max = (this.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
    return max - last >= this.every ? this.create('interval') : null;
  }
}
