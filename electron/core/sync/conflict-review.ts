import type { AuditLog } from '../audit/audit-log';
import { requireRight, type Actor } from '../actor';
import type { ConflictResolution } from '../../../shared/sync/protocol';
import type { SyncRunner } from './sync-runner';
import { DomainError } from '../errors';

/** Fields a supervisor never sees in a conflict, whatever they hold. */
const HIDDEN_FIELDS = new Set(['password_hash', 'my_number', 'public_key']);
/** Record bookkeeping: always differs, says nothing about the edit. */
const BOOKKEEPING = new Set(['version', 'updated_at', 'updated_by', 'id']);

export interface ConflictView {
  conflictId: number;
  terminalId: string;
  entity: string;
  entityId: string;
  createdAt: string;
  /** Only the fields the two edits disagree on, never secrets. */
  changedFields: { field: string; terminal: string; server: string }[];
}

function shown(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/**
 * Conflicts held by the central server (two terminals edited one record), for a supervisor (audit.review):
 * the list shows only what differs, never secrets; a decision is carried out by the server. Both audited.
 */
export class ConflictReview {
  constructor(
    private readonly runner: SyncRunner,
    private readonly audit: AuditLog,
  ) {}

  async list(actor: Actor): Promise<{ available: boolean; conflicts: ConflictView[] }> {
    requireRight(actor, 'audit.review');
    const list = await this.runner.conflicts();
    this.audit.append({ staffId: actor.staffId, action: 'sync.conflicts.view', outcome: list ? 'success' : 'failure', detail: { count: list?.length ?? 0 } });
    return {
      available: list !== null,
      conflicts: (list ?? []).map((c) => ({
        conflictId: c.conflictId,
        terminalId: c.terminalId,
        entity: c.entity,
        entityId: c.entityId,
        createdAt: c.createdAt,
        changedFields: Object.keys(c.clientPayload)
          .filter((k) => !HIDDEN_FIELDS.has(k) && !BOOKKEEPING.has(k) && shown(c.clientPayload[k]) !== shown(c.serverPayload?.[k]))
          .map((k) => ({ field: k, terminal: shown(c.clientPayload[k]), server: shown(c.serverPayload?.[k]) })),
      })),
    };
  }

  async resolve(actor: Actor, req: { conflictId: number; resolution: ConflictResolution; reason: string }) {
    requireRight(actor, 'audit.review');
    const base = { staffId: actor.staffId, action: 'sync.conflict.resolve' as const, reason: req.reason };
    try {
      const r = await this.runner.resolveConflict(req.conflictId, req.resolution, actor.staffId, req.reason);
      this.audit.append({ ...base, outcome: 'success', detail: { conflictId: r.conflictId, resolution: r.resolution, entity: r.entity, entityId: r.entityId, version: r.version } });
      return { conflictId: r.conflictId, resolution: r.resolution, version: r.version, resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy };
    } catch (e) {
      // The server refused the decision (already resolved, not found, not applicable): rejected; unreachable: failure.
      const code = (e as { code?: string }).code ?? 'error';
      this.audit.append({ ...base, outcome: code === 'CONFLICT' || code === 'NOT_FOUND' ? 'rejected' : 'failure', detail: { conflictId: req.conflictId, resolution: req.resolution, why: code, ...(e instanceof DomainError && e.technical ? { technical: e.technical } : {}) } });
      if (e instanceof DomainError) e.audited = true;
      throw e;
    }
  }
}
