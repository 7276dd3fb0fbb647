/**
 * Push and pull against PostgreSQL. Each mutation is applied in its own transaction; the terminal's row in
 * `terminals` is locked for the duration, so two servers (or two requests) handling the same terminal are
 * serialised and `last_mutation_id` stays exact.
 */
import type { Pool, PoolClient } from './db';
import {
  MutationSchema,
  SYNC_ENTITY_FIELDS,
  isSyncEntity,
  type Change,
  type Mutation,
  type MutationResult,
  type PullResponse,
  type PushRequest,
} from '../shared/sync/protocol';

/**
 * Transaction-level advisory lock taken before a change draws its server_seq. Serialising entity writes
 * makes commit order equal server_seq order, so a pull that has seen seq N can never later miss a commit
 * with a smaller seq (the classic "sequence gap" of cursor pulls). Costs write parallelism; see docs.
 */
const ENTITY_WRITE_LOCK = 0x6d616470; // 'madp'

type Outcome = { status: 'applied' } | { status: 'rejected'; reason: string; conflict?: ConflictInfo };

interface ConflictInfo {
  clientVersion: number | null;
  serverVersion: number | null;
  serverPayload: unknown;
}

interface StoredEntity {
  version: number;
  deleted: boolean;
  payload: Record<string, unknown>;
}

/** Checks a mutation against the protocol and the entity whitelist; returns a reason when it is refused. */
export function validateMutation(raw: unknown): { ok: true; mutation: Mutation } | { ok: false; reason: string } {
  const parsed = MutationSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `invalid: ${first ? `${first.path.join('.') || '(mutation)'}: ${first.message}` : 'malformed'}` };
  }
  const m = parsed.data;
  if (!isSyncEntity(m.entity)) return { ok: false, reason: `unknown entity: ${m.entity}` };
  const allowed = SYNC_ENTITY_FIELDS[m.entity];
  const unknown = Object.keys(m.payload).filter((k) => !allowed.includes(k));
  if (unknown.length) return { ok: false, reason: `unknown fields for ${m.entity}: ${unknown.join(', ')}` };
  const version = m.payload.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, reason: 'invalid: payload.version must be a positive integer' };
  }
  if (m.op === 'insert' && version !== 1) return { ok: false, reason: 'invalid: an insert must carry version 1' };
  if (m.op !== 'insert' && version < 2) return { ok: false, reason: `invalid: an ${m.op} must carry version >= 2` };
  if ('id' in m.payload && m.payload.id !== m.entityId) return { ok: false, reason: 'invalid: payload.id differs from entityId' };
  return { ok: true, mutation: m };
}

async function applyMutation(c: PoolClient, terminalId: string, m: Mutation): Promise<Outcome> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  const cur = await c.query<StoredEntity>(
    'SELECT version, deleted, payload FROM entities WHERE entity = $1 AND entity_id = $2 FOR UPDATE',
    [m.entity, m.entityId],
  );
  const stored = cur.rows[0];
  const clientVersion = m.payload.version as number;
  const conflict = (why: string): Outcome => ({
    status: 'rejected',
    reason: `conflict: ${why}`,
    conflict: { clientVersion, serverVersion: stored?.version ?? null, serverPayload: stored?.payload ?? null },
  });

  if (m.op === 'insert') {
    if (stored) return conflict('record already exists');
    await c.query(
      `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted)
       VALUES ($1, $2, 1, $3, $4, false)`,
      [m.entity, m.entityId, JSON.stringify({ ...m.payload, id: m.entityId, deleted: 0 }), terminalId],
    );
    return { status: 'applied' };
  }
  if (!stored) return { status: 'rejected', reason: 'not_found: no such record on the server' };
  if (stored.deleted) return conflict('record was deleted');
  if (clientVersion - 1 !== stored.version) return conflict(`based on version ${clientVersion - 1}, server has ${stored.version}`);
  // The terminal soft-deletes with an update setting deleted = 1 (electron/core/db/records.ts); op 'delete' is the same.
  const deleted = m.op === 'delete' || m.payload.deleted === 1 || m.payload.deleted === true;
  // An update carries the changed fields (or the whole row); fields it does not name keep their value.
  const payload = { ...stored.payload, ...m.payload, id: m.entityId, deleted: deleted ? 1 : 0 };
  await c.query(
    `UPDATE entities SET version = $3, payload = $4, deleted = $5, updated_by_terminal = $6,
            server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
     WHERE entity = $1 AND entity_id = $2`,
    [m.entity, m.entityId, clientVersion, JSON.stringify(payload), deleted, terminalId],
  );
  return { status: 'applied' };
}

function rawField(raw: unknown, key: string): unknown {
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
}

/**
 * Handles one push batch for `terminalId` (already checked against the client certificate). Mutations are
 * handled in order, each in its own transaction. A database error aborts the batch (the caller answers 5xx;
 * what was committed stays committed and is reported as 'duplicate' on retry).
 */
export async function push(pool: Pool, terminalId: string, req: PushRequest): Promise<{ lastMutationId: number; results: MutationResult[] }> {
  const results: MutationResult[] = [];
  let gapAt: number | null = null;
  let lastMutationId = 0;
  const c = await pool.connect();
  let broken: Error | undefined;
  // A connection killed between two queries (failover, pg_terminate_backend) emits 'error' on the checked-out
  // client; without a listener that would crash the process. The next query fails and aborts the batch.
  const onClientError = (err: Error): void => {
    broken = err;
  };
  c.on('error', onClientError);
  try {
    await c.query('INSERT INTO terminals (terminal_id) VALUES ($1) ON CONFLICT (terminal_id) DO NOTHING', [terminalId]);
    for (const raw of req.mutations) {
      const mutationId = raw.mutationId;
      if (gapAt !== null) {
        results.push({ mutationId, status: 'gap', reason: `after gap at ${gapAt}` });
        continue;
      }
      await c.query('BEGIN');
      try {
        const t = await c.query<{ last: string }>(
          'SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1 FOR UPDATE',
          [terminalId],
        );
        const last = Number(t.rows[0]!.last);
        lastMutationId = last;
        if (mutationId <= last) {
          // Idempotent replay, but only of the same mutation: an ID reused for a different clientUuid means the
          // terminal's outbox numbering was reset (restore, reinstall). Answering 'duplicate' would make the
          // terminal drop a mutation the server never saw, so refuse it loudly instead (operator action).
          const prev = await c.query<{ client_uuid: string | null }>(
            'SELECT client_uuid FROM mutations WHERE terminal_id = $1 AND mutation_id = $2',
            [terminalId, mutationId],
          );
          await c.query('ROLLBACK');
          const stored = prev.rows[0]?.client_uuid ?? null;
          const sent = rawField(raw, 'clientUuid');
          if (stored !== null && typeof sent === 'string' && sent.toLowerCase() !== stored) {
            results.push({ mutationId, status: 'rejected', reason: `id_reused: mutationId ${mutationId} was already used for another mutation` });
          } else {
            results.push({ mutationId, status: 'duplicate' });
          }
          continue;
        }
        if (mutationId > last + 1) {
          await c.query('ROLLBACK');
          gapAt = mutationId;
          results.push({ mutationId, status: 'gap', reason: `expected ${last + 1}` });
          continue;
        }
        const v = validateMutation(raw);
        let outcome: Outcome;
        let m: Mutation | null = null;
        if (!v.ok) {
          outcome = { status: 'rejected', reason: v.reason };
        } else {
          m = v.mutation;
          const dup = await c.query('SELECT 1 FROM mutations WHERE client_uuid = $1', [m.clientUuid]);
          outcome = dup.rowCount
            ? { status: 'rejected', reason: 'invalid: clientUuid already used by another mutation' }
            : await applyMutation(c, terminalId, m);
        }
        const keepUuid = m !== null && !(outcome.status === 'rejected' && outcome.reason.startsWith('invalid: clientUuid'));
        await c.query(
          `INSERT INTO mutations (terminal_id, mutation_id, client_uuid, entity, entity_id, op, payload, status, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            terminalId,
            mutationId,
            keepUuid ? m!.clientUuid : null,
            m?.entity ?? (typeof rawField(raw, 'entity') === 'string' ? String(rawField(raw, 'entity')).slice(0, 64) : null),
            m?.entityId ?? null,
            m?.op ?? null,
            JSON.stringify(m ? m.payload : raw),
            outcome.status,
            outcome.status === 'rejected' ? outcome.reason : null,
          ],
        );
        if (outcome.status === 'rejected' && outcome.conflict && m) {
          await c.query(
            `INSERT INTO conflicts (terminal_id, mutation_id, entity, entity_id, op, client_version, server_version,
                                    client_payload, server_payload)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              terminalId, mutationId, m.entity, m.entityId, m.op, outcome.conflict.clientVersion,
              outcome.conflict.serverVersion, JSON.stringify(m.payload),
              outcome.conflict.serverPayload === null ? null : JSON.stringify(outcome.conflict.serverPayload),
            ],
          );
        }
        await c.query('UPDATE terminals SET last_mutation_id = $2, last_push_at = now() WHERE terminal_id = $1', [terminalId, mutationId]);
        await c.query('COMMIT');
        lastMutationId = mutationId;
        results.push(
          outcome.status === 'applied'
            ? { mutationId, status: 'applied' }
            : { mutationId, status: 'rejected', reason: outcome.reason },
        );
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    // A connection that failed mid-batch is discarded rather than returned to the pool.
    c.off('error', onClientError);
    c.release(broken);
  }
  return { lastMutationId, results };
}

/** Changes after `cursor`, in server_seq order. No scope filter yet: every terminal sees every record. */
export async function pull(pool: Pool, cursor: number, limit: number): Promise<PullResponse> {
  const { rows } = await pool.query<{
    server_seq: string; entity: string; entity_id: string; version: number; deleted: boolean; payload: Record<string, unknown>;
  }>(
    `SELECT server_seq, entity, entity_id, version, deleted, payload FROM entities
     WHERE server_seq > $1 ORDER BY server_seq LIMIT $2`,
    [cursor, limit + 1],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const changes = page.map((r) => ({
    serverSeq: Number(r.server_seq),
    entity: r.entity,
    entityId: r.entity_id,
    version: r.version,
    deleted: r.deleted,
    payload: r.payload,
  })) as Change[];
  return { changes, cursor: changes.length ? changes[changes.length - 1]!.serverSeq : cursor, more };
}
