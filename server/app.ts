/**
 * The sync server: Fastify over HTTPS with mutual TLS. Only clients presenting a certificate issued by the
 * municipality CA and not on its CRL complete the TLS handshake; the certificate's CN is the terminal ID the
 * client may speak for. The process keeps no state of its own beyond connections: everything is in PostgreSQL.
 */
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Pool } from './db';
import type { ServerTlsMaterial } from './pki';
import { checksum, errorSummary, forTerminal, pull, push, pushState, resolveConflict, scopeParams, scopeSql, type TerminalPeer } from './sync';
import { scopeFromOu } from '../shared/sync/scope';
import { leaseBlock, returnLease } from './leases';
import { uploadAudit } from './audit';
import { uploadCheckpoints } from './checkpoints';
import { AuditUploadRequestSchema, CheckpointUploadRequestSchema } from '../shared/sync/audit-protocol';
import { revealMyNumber, searchByMyNumber } from './mynumber';
import { claimSession, releaseSession } from './sessions';
import { MYNUMBER_REVEAL_PATH, MYNUMBER_SEARCH_PATH, MyNumberRevealRequestSchema, MyNumberSearchRequestSchema } from '../shared/sync/mynumber-protocol';
import { RETIRE_PATH, RetireRequestSchema, type RetireResponse } from '../shared/sync/retire-protocol';
import { type ConflictList, LeaseRequestSchema, ResolveConflictRequestSchema, LeaseReturnSchema, SessionClaimSchema, PullQuerySchema, PushRequestSchema, TerminalIdSchema, type PushResponse, type PushStateResponse, type ServerTime } from '../shared/sync/protocol';

export interface AppOptions {
  pool: Pool;
  tls: ServerTlsMaterial;
  /** Fastify's logger: on (stdout), off, or a level and a stream (tests capture what the server logs). */
  logger?: boolean | { level?: string; stream: { write(line: string): void } };
  /** The server's clock for what it hands to terminals (lease expiry); the system clock by default. */
  clock?: { now(): Date };
  /** The WebAuthn RP ID identity approvals are verified for (default: the app origin's host, madoguchi.localhost). */
  approvalRpId?: string;
}

// The server's one reading of the wall clock; tests inject the terminals' clock instead.
const systemServerClock = { now: () => new Date() };

export interface SyncApp {
  app: FastifyInstance<HttpsServer>;
  /** Swaps certificate/CA/CRL for new connections (e.g. after `enroll --revoke`), without a restart. */
  reloadTls(tls: ServerTlsMaterial): void;
}

function tlsOptions(tls: ServerTlsMaterial) {
  return {
    key: tls.key,
    cert: tls.cert,
    ca: tls.ca,
    crl: tls.crl,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const,
  };
}

/** The terminal ID proven by the verified client certificate, or null. */
export function peerTerminalId(req: FastifyRequest): string | null {
  const socket = req.raw.socket as TLSSocket;
  if (!socket.authorized) return null;
  const cn: unknown = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' && TerminalIdSchema.safeParse(cn).success ? cn : null;
}

function requireTerminal(req: FastifyRequest, reply: FastifyReply): string | null {
  const id = peerTerminalId(req);
  if (!id) {
    void reply.code(401).send({ error: 'unauthenticated', message: 'no valid terminal certificate' });
    return null;
  }
  return id;
}

/** The terminal and the scope written into its certificate; a certificate without a scope may not sync data. */
export function peerScope(req: FastifyRequest): TerminalPeer | null {
  const terminalId = peerTerminalId(req);
  if (!terminalId) return null;
  const scope = scopeFromOu((req.raw.socket as TLSSocket).getPeerCertificate()?.subject?.OU);
  return scope ? { terminalId, scope } : null;
}

function requirePeer(req: FastifyRequest, reply: FastifyReply): TerminalPeer | null {
  if (!requireTerminal(req, reply)) return null;
  const peer = peerScope(req);
  if (!peer) {
    void reply.code(403).send({ error: 'forbidden', message: 'terminal certificate carries no municipality/事務 scope; re-enroll it' });
    return null;
  }
  return peer;
}


/** When the terminal was retired (ISO 8601), or null. */
async function retiredAt(pool: Pool, terminalId: string): Promise<string | null> {
  const r = await pool.query<{ retired_at: Date }>('SELECT retired_at FROM retired_terminals WHERE terminal_id = $1', [terminalId]);
  return r.rows[0] ? new Date(r.rows[0].retired_at).toISOString() : null;
}

export async function buildApp(opts: AppOptions): Promise<SyncApp> {
  const app = Fastify<HttpsServer>({
    https: tlsOptions(opts.tls),
    logger: opts.logger ?? false,
    bodyLimit: 8 * 1024 * 1024,
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // Only the error's kind and code: a PostgreSQL error's message, detail, where and the query's parameters can
    // quote the row (a 個人番号, a name), and logs are no place for personal data.
    if (status === 500) req.log.error({ err: errorSummary(err), route: req.routeOptions.url }, 'request failed');
    void reply.code(status).send({ error: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : err.message });
  });

  // A retired terminal (POST /v1/terminals/retire) is answered nothing else: no push, pull, audit, lease or session.
  app.addHook('preHandler', async (req, reply) => {
    if (req.routeOptions.url === RETIRE_PATH) return;
    const terminalId = peerTerminalId(req);
    if (!terminalId) return;
    const retired = await retiredAt(opts.pool, terminalId);
    if (retired) {
      return reply.code(403).send({ error: 'retired', message: `terminal ${terminalId} was retired at ${retired}; it may not sync any more (issue a new certificate to a new terminal)` });
    }
  });

  /**
   * The terminal reports its retirement, after it sent everything (docs/sync-protocol.md). Refused (409) when the
   * server holds fewer of its mutations or audit entries than it says it sent; recorded once; asked again, the
   * same acknowledgement.
   */
  app.post(RETIRE_PATH, async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = RetireRequestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    if (parsed.data.terminalId !== peer.terminalId) {
      return reply.code(403).send({ error: 'forbidden', message: `certificate is for ${peer.terminalId}, not ${parsed.data.terminalId}` });
    }
    const held = await pushState(opts.pool, peer.terminalId);
    const auditHead = Number((await opts.pool.query<{ s: string }>('SELECT head_seq AS s FROM audit_heads WHERE terminal_id = $1', [peer.terminalId])).rows[0]?.s ?? 0);
    const existing = await opts.pool.query<{ retired_at: Date; last_mutation_id: string; audit_seq: string }>('SELECT retired_at, last_mutation_id, audit_seq FROM retired_terminals WHERE terminal_id = $1', [peer.terminalId]);
    if (existing.rows.length === 0 && (held < parsed.data.lastMutationId || auditHead < parsed.data.auditSeq)) {
      return reply.code(409).send({ error: 'unsent', message: `the server holds mutations through ${held} and audit entries through ${auditHead}; send the rest first`, lastMutationId: held, auditSeq: auditHead });
    }
    const at = (opts.clock ?? systemServerClock).now();
    const r = await opts.pool.query<{ retired_at: Date; last_mutation_id: string; audit_seq: string }>(
      `INSERT INTO retired_terminals (terminal_id, municipality, last_mutation_id, audit_seq, retired_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (terminal_id) DO UPDATE SET terminal_id = retired_terminals.terminal_id
       RETURNING retired_at, last_mutation_id, audit_seq`,
      [peer.terminalId, peer.scope.municipality, held, auditHead, at],
    );
    const row = r.rows[0]!;
    req.log.info({ terminalId: peer.terminalId }, 'terminal retired');
    const body: RetireResponse = { terminalId: peer.terminalId, retired: true, retiredAt: new Date(row.retired_at).toISOString(), lastMutationId: Number(row.last_mutation_id), auditSeq: Number(row.audit_seq) };
    return body;
  });

  /** The server's time: terminals measure their clock against it every round (a wrong clock stops issuance). */
  app.get('/v1/time', async (req, reply) => {
    const terminalId = requireTerminal(req, reply);
    if (!terminalId) return reply;
    const body: ServerTime = { now: (opts.clock ?? systemServerClock).now().toISOString() };
    return body;
  });

  app.get('/v1/health', async (req, reply) => {
    const terminalId = requireTerminal(req, reply);
    if (!terminalId) return reply;
    try {
      await opts.pool.query('SELECT 1');
      return { ok: true, db: true, terminalId };
    } catch {
      return reply.code(503).send({ ok: false, db: false, terminalId });
    }
  });

  app.post('/v1/push', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const terminalId = peer.terminalId;
    const parsed = PushRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'bad_request', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    if (parsed.data.terminalId !== terminalId) {
      return reply.code(403).send({ error: 'forbidden', message: `certificate is for ${terminalId}, not ${parsed.data.terminalId}` });
    }
    const { lastMutationId, results } = await push(opts.pool, { ...peer, approvalRpId: opts.approvalRpId }, parsed.data, (opts.clock ?? systemServerClock).now(), req.log);
    const body: PushResponse = { terminalId, lastMutationId, results };
    return body;
  });

  /**
   * Where the terminal's next push must start: a terminal that sent more than this (the database was restored
   * from a backup) sends those mutations again (docs/sync-protocol.md, restore).
   */
  app.get('/v1/push/state', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const body: PushStateResponse = { terminalId: peer.terminalId, lastMutationId: await pushState(opts.pool, peer.terminalId) };
    return body;
  });

  /** The terminal's audit chain, accepted only where it extends what the server holds (server/audit.ts). */
  app.post('/v1/audit', async (req, reply) => {
    const terminalId = requireTerminal(req, reply);
    if (!terminalId) return reply;
    const parsed = AuditUploadRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'bad_request', issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    if (parsed.data.terminalId !== terminalId) {
      return reply.code(403).send({ error: 'forbidden', message: `certificate is for ${terminalId}, not ${parsed.data.terminalId}` });
    }
    const res = await uploadAudit(opts.pool, terminalId, parsed.data);
    if (res.status === 'rejected') req.log.warn({ terminalId, reason: res.reason }, 'audit upload rejected');
    return reply.code(res.status === 'ok' ? 200 : 409).send(res);
  });

  /** Signed audit checkpoints, stored only when they match the entries the server holds (server/checkpoints.ts). */
  app.post('/v1/audit/checkpoints', async (req, reply) => {
    const terminalId = requireTerminal(req, reply);
    if (!terminalId) return reply;
    const parsed = CheckpointUploadRequestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    if (parsed.data.terminalId !== terminalId) {
      return reply.code(403).send({ error: 'forbidden', message: `certificate is for ${terminalId}, not ${parsed.data.terminalId}` });
    }
    const res = await uploadCheckpoints(opts.pool, terminalId, parsed.data);
    if (res.status === 'rejected') req.log.warn({ terminalId, reason: res.reason }, 'checkpoint upload rejected');
    return reply.code(res.status === 'ok' ? 200 : 409).send(res);
  });

  app.get('/v1/pull', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = PullQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'bad_request', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    return pull(opts.pool, peer, parsed.data);
  });

  app.get('/v1/pull/checksum', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    return checksum(opts.pool, peer);
  });

  app.post('/v1/leases', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = LeaseRequestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    const r = await leaseBlock(opts.pool, peer, parsed.data, (opts.clock ?? systemServerClock).now());
    if (r.status === 'forbidden') return reply.code(403).send({ error: 'forbidden', message: 'certificate type outside this terminal\'s 事務' });
    if (r.status === 'quota') return reply.code(429).send({ error: 'quota', message: `${r.open} open leases of this type already` });
    return r.lease;
  });

  app.post('/v1/leases/return', async (req, reply) => {
    const terminalId = requireTerminal(req, reply);
    if (!terminalId) return reply;
    const parsed = LeaseReturnSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    if (!(await returnLease(opts.pool, terminalId, parsed.data))) return reply.code(404).send({ error: 'not_found' });
    return { returned: true };
  });

  /** Open conflicts, for a supervisor at any terminal: both versions, so neither edit is lost. */
  app.get('/v1/conflicts', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const { rows } = await opts.pool.query<{
      conflict_id: string; terminal_id: string; mutation_id: string; entity: string; entity_id: string; client_version: number | null;
      server_version: number | null; client_payload: Record<string, unknown>; server_payload: Record<string, unknown> | null; created_at: Date;
    }>(
      // Only conflicts on records the asking terminal may pull (municipality, 事務, own blocks): the pull's scope.
      `SELECT c.* FROM conflicts c JOIN entities e ON e.entity = c.entity AND e.entity_id = c.entity_id
       WHERE c.resolved_at IS NULL AND ${scopeSql('e', 1, peer.scope.admin === true)} ORDER BY c.created_at DESC LIMIT 200`,
      scopeParams(peer),
    );
    const body: ConflictList = {
      conflicts: rows.map((r) => ({
        conflictId: Number(r.conflict_id),
        terminalId: r.terminal_id,
        mutationId: Number(r.mutation_id),
        entity: r.entity,
        entityId: r.entity_id,
        clientVersion: r.client_version,
        serverVersion: r.server_version,
        clientPayload: forTerminal(r.entity, r.client_payload),
        serverPayload: forTerminal(r.entity, r.server_payload),
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
    return body;
  });

  /**
   * A supervisor's decision on one conflict of the asking terminal's municipality (server/sync.ts
   * resolveConflict). 404 for a conflict that does not exist or is outside the municipality (not told apart),
   * 409 when it was already resolved, 422 when the terminal's edit cannot be applied to the current record.
   */
  app.post<{ Params: { id: string } }>('/v1/conflicts/:id/resolve', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    if (!/^[1-9][0-9]{0,14}$/.test(req.params.id)) return reply.code(400).send({ error: 'bad_request', message: 'conflict id must be a positive integer' });
    const parsed = ResolveConflictRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'bad_request', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const r = await resolveConflict(opts.pool, peer, Number(req.params.id), parsed.data, (opts.clock ?? systemServerClock).now());
    switch (r.status) {
      case 'resolved':
        req.log.info({ terminalId: peer.terminalId, conflictId: r.body.conflictId, resolution: r.body.resolution }, 'conflict resolved');
        return r.body;
      case 'not_found':
        return reply.code(404).send({ error: 'not_found', message: 'no such conflict in this municipality' });
      case 'already_resolved':
        return reply.code(409).send({ error: 'already_resolved', resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy });
      case 'rejected':
        return reply.code(422).send({ error: 'rejected', message: r.reason });
    }
  });

  /**
   * 個人番号 on request (server/mynumber.ts): 403 when the server's records do not give the member of staff the
   * right (error forbidden) or they are not logged in at this terminal (error no_session: no live session claim), 404 for a resident outside the municipality (error not_found) or without a 個人番号 (not_registered).
   */
  app.post(MYNUMBER_REVEAL_PATH, async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = MyNumberRevealRequestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    const r = await revealMyNumber(opts.pool, peer, parsed.data, (opts.clock ?? systemServerClock).now());
    if (r.status === 'ok') return r.body;
    return reply.code(r.status === 'forbidden' || r.status === 'no_session' ? 403 : 404).send({ error: r.status, message: r.message });
  });

  app.post(MYNUMBER_SEARCH_PATH, async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    // Not echoed: the issue list of a malformed request could quote the number.
    const parsed = MyNumberSearchRequestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    const r = await searchByMyNumber(opts.pool, peer, parsed.data, (opts.clock ?? systemServerClock).now());
    if (r.status === 'ok') return r.body;
    return reply.code(403).send({ error: r.status, message: r.message });
  });

  /** One session per member of staff across the terminals of a municipality (staff IDs are the municipality's own). */
  app.post('/v1/sessions/claim', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = SessionClaimSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    const r = await claimSession(opts.pool, peer, parsed.data.staffId);
    return r.claimed ? r : reply.code(409).send(r);
  });

  app.post('/v1/sessions/release', async (req, reply) => {
    const peer = requirePeer(req, reply);
    if (!peer) return reply;
    const parsed = SessionClaimSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    await releaseSession(opts.pool, peer, parsed.data.staffId);
    return { released: true };
  });

  return {
    app,
    reloadTls(tls) {
      app.server.setSecureContext(tlsOptions(tls));
      // A kept-alive connection was verified against the old CRL: drop every connection so each terminal
      // handshakes again under the new one (a revoked certificate is then refused). Pushes are idempotent, so a
      // request cut here is simply sent again.
      app.server.closeAllConnections();
    },
  };
}
