/**
 * Resident search latency: SQLCipher-encrypted database vs. a plaintext database with the same data.
 *
 *   npm run bench                                   # 100k and 1M residents, 300 queries each
 *   BENCH_SIZES=100000 BENCH_QUERIES=100 npm run bench
 *
 * Every measured search is the real ResidentService.search, which runs the query and appends its hash-chained
 * audit entry (SHA-256 + INSERT + commit with synchronous=FULL) in one transaction — what the counter pays.
 *
 * Environment:
 *   BENCH_SIZES    comma-separated resident counts, ascending (default "100000,1000000"); one DB per mode grows
 *   BENCH_QUERIES  measured queries per configuration (default 300)
 *   BENCH_WARMUP   warm-up queries per configuration, not measured (default 30)
 */
import { mkdtempSync, mkdirSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditLog } from '../electron/core/audit/audit-log';
import type { Actor } from '../electron/core/actor';
import { openDatabase, type Db } from '../electron/core/db/database';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { ResidentService } from '../electron/core/residents/resident-service';
import type { SearchRequest } from '../shared/ipc/contract';
import { clockFrom } from '../testing/clock';
import { generateHouseholds, loadDataset, rng, type Dataset } from '../testing/seed';
import { openPlainDatabaseForBench } from './plain-db';

const HOUSEHOLDS_PER_CHUNK = 30_000; // ≈ 100k residents per chunk
const ATENA_START = 100_001;
const QUERY_SEED = 20_261_122;
const CLOCK_START = '2026-11-22T09:00:00+09:00';

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (got "${v}")`);
  return n;
}

function envSizes(): number[] {
  const v = process.env.BENCH_SIZES;
  const sizes = (v && v.trim() !== '' ? v : '100000,1000000').split(',').map((s) => Number(s.trim()));
  for (const n of sizes) if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_SIZES must be positive integers (got "${v}")`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => n.toLocaleString('en-US');

type Mode = 'encrypted' | 'plain';
type QueryKind = 'kana' | 'birthDate' | 'atenaNo' | 'kana+birthDate';
const KINDS: readonly QueryKind[] = ['kana', 'birthDate', 'atenaNo', 'kana+birthDate'];

interface Query {
  kind: QueryKind;
  req: SearchRequest;
}

interface Target {
  mode: Mode;
  db: Db;
  service: ResidentService;
  loadMs: number; // cumulative load time
}

interface Measurement {
  size: number;
  mode: Mode;
  residents: number;
  loadMs: number;
  times: number[];
  byKind: Map<QueryKind, number[]>;
  resultCounts: number[];
}

const actor: Actor = {
  staffId: 'BENCH',
  name: 'ベンチマーク',
  role: 'clerk',
  rights: ['resident.search'],
  demo: true,
  loggedInAt: CLOCK_START,
  locked: false,
};

/**
 * Generate households in chunks and load them until the DB holds exactly `target` residents. The last chunk is
 * trimmed (guardian links to residents that were cut are dropped). Seeds and atena numbers depend only on the
 * number of residents already loaded, so both modes receive the same data.
 */
class Loader {
  private loaded = 0;
  private chunk = 0;

  constructor(private readonly targets: Target[]) {}

  get residents(): number {
    return this.loaded;
  }

  growTo(target: number, at: string): void {
    while (this.loaded < target) {
      const t0 = performance.now();
      let data: Dataset = generateHouseholds(HOUSEHOLDS_PER_CHUNK, 1_000 + this.chunk, ATENA_START + this.loaded);
      const need = target - this.loaded;
      if (data.residents.length > need) {
        const residents = data.residents.slice(0, need);
        const ids = new Set(residents.map((r) => r.id));
        data = { residents, guardians: data.guardians.filter((g) => ids.has(g.childId) && ids.has(g.guardianId)) };
      }
      const genMs = performance.now() - t0;
      const parts: string[] = [];
      for (const t of this.targets) {
        const t1 = performance.now();
        loadDataset(t.db, data, at);
        const ms = performance.now() - t1;
        t.loadMs += ms;
        parts.push(`${t.mode} ${fmt(ms / 1000, 1)} s`);
      }
      this.loaded += data.residents.length;
      this.chunk += 1;
      log(`loaded ${int(this.loaded)} / ${int(target)} residents (chunk ${this.chunk}: generate ${fmt(genMs / 1000, 1)} s, ${parts.join(', ')})`);
    }
  }
}

/** Build the query mix from rows actually in the database (read outside the measurement). */
function buildQueries(db: Db, residents: number, count: number, seed: number): Query[] {
  const r = rng(seed);
  const byAtena = db.prepare<[string], { name_kana_key: string; birth_date: string; atena_no: string }>(
    'SELECT name_kana_key, birth_date, atena_no FROM residents WHERE atena_no = ?',
  );
  const sample = () => {
    const atena = String(ATENA_START + Math.floor(r() * residents));
    const row = byAtena.get(atena);
    if (!row) throw new Error(`seeded resident ${atena} not found`);
    return row;
  };
  const prefix = (key: string) => [...key].slice(0, 2 + Math.floor(r() * 3)).join(''); // 2–4 characters
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[Math.floor(r() * KINDS.length)] as QueryKind;
    const row = sample();
    switch (kind) {
      case 'kana':
        queries.push({ kind, req: { kana: prefix(row.name_kana_key) } });
        break;
      case 'birthDate':
        queries.push({ kind, req: { birthDate: row.birth_date } });
        break;
      case 'atenaNo':
        queries.push({ kind, req: { atenaNo: row.atena_no } });
        break;
      case 'kana+birthDate':
        queries.push({ kind, req: { kana: prefix(row.name_kana_key), birthDate: row.birth_date } });
        break;
    }
  }
  return queries;
}

function measure(t: Target, size: number, residents: number, warmup: Query[], queries: Query[]): Measurement {
  for (const q of warmup) t.service.search(actor, q.req);
  const times: number[] = [];
  const byKind = new Map<QueryKind, number[]>(KINDS.map((k) => [k, []]));
  const resultCounts: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const res = t.service.search(actor, q.req);
    const ms = performance.now() - t0;
    times.push(ms);
    byKind.get(q.kind)?.push(ms);
    resultCounts.push(res.results.length);
  }
  return { size, mode: t.mode, residents, loadMs: t.loadMs, times, byKind, resultCounts };
}

/** Nearest-rank percentile. */
function pct(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function fileHeader(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function main(): void {
  const started = performance.now();
  const sizes = envSizes();
  const nQueries = envInt('BENCH_QUERIES', 300);
  const nWarmup = envInt('BENCH_WARMUP', 30);
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const targets: Target[] = [];
  try {
    const clock = clockFrom(CLOCK_START);
    const terminal = { terminalId: 'BENCH-01' };
    const at = clock.now().toISOString();

    mkdirSync(join(dir, 'enc'), { mode: 0o700 });
    mkdirSync(join(dir, 'plain'), { mode: 0o700 });
    const encPath = join(dir, 'enc', 'madoguchi.db');
    const plainPath = join(dir, 'plain', 'madoguchi.db');
    const encDb = openDatabase({ path: encPath, keyProvider: new FileKeyProvider(join(dir, 'enc', 'db.key')) });
    const plainDb = openPlainDatabaseForBench(plainPath);
    for (const [mode, db] of [['encrypted', encDb], ['plain', plainDb]] as const) {
      targets.push({ mode, db, service: new ResidentService(db, new AuditLog(db, terminal, clock), clock), loadMs: 0 });
    }
    log(`temp dir ${dir}`);
    log(`sizes ${sizes.map(int).join(', ')}; ${nWarmup} warm-up + ${nQueries} measured queries per configuration`);

    const loader = new Loader(targets);
    const results: Measurement[] = [];
    for (const size of sizes) {
      loader.growTo(size, at);
      for (const t of targets) t.db.pragma('wal_checkpoint(TRUNCATE)');
      const counts = targets.map((t) => (t.db.prepare('SELECT count(*) AS n FROM residents').get() as { n: number }).n);
      if (counts.some((n) => n !== size)) throw new Error(`expected ${size} residents, found ${counts.join(' / ')}`);
      // Same queries for both modes; independent of the mode, dependent only on the size.
      const queries = buildQueries(plainDb, size, nWarmup + nQueries, QUERY_SEED + size);
      const warmup = queries.slice(0, nWarmup);
      const measured = queries.slice(nWarmup);
      for (const t of targets) {
        const sync = t.db.pragma('synchronous', { simple: true });
        if (sync !== 2) throw new Error(`${t.mode}: synchronous is ${String(sync)}, expected 2 (FULL)`);
        log(`measuring ${t.mode} at ${int(size)} residents …`);
        const m = measure(t, size, counts[0] as number, warmup, measured);
        results.push(m);
        log(`  ${t.mode}: p50 ${fmt(pct(m.times, 50))} ms, p95 ${fmt(pct(m.times, 95))} ms`);
      }
    }

    const encHeader = fileHeader(encPath);
    const plainHeader = fileHeader(plainPath);
    const cpu = cpus();
    const out: string[] = [];
    out.push('');
    out.push('Madoguchi resident search benchmark');
    out.push(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; Node ${process.version}; ${process.platform}/${process.arch}`);
    out.push('each search = real ResidentService.search incl. its hash-chained audit append (one transaction, WAL, synchronous=FULL)');
    const header = (h: string) => (h.startsWith('SQLite format 3') ? 'plaintext SQLite header' : 'no SQLite header (encrypted)');
    out.push(`databases: encrypted = openDatabase (SQLCipher 4, raw 256-bit key): ${header(encHeader)}; plain = same migrations/pragmas, no key (bench-only): ${header(plainHeader)}`);
    out.push(`load: generateHouseholds chunks of ${int(HOUSEHOLDS_PER_CHUNK)} households + loadDataset (one transaction per chunk, default pragmas, synchronous=FULL throughout)`);
    out.push(`queries: ${nQueries} measured after ${nWarmup} warm-up per configuration, same fixed-seed mix for both DBs: kana prefix 2–4 chars / birthDate / atenaNo / kana+birthDate`);
    out.push('');
    const head = `${'residents'.padStart(10)}  ${'db'.padEnd(10)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'max ms'.padStart(8)}   ${'load s (cum.)'.padStart(13)}`;
    out.push(head);
    out.push('-'.repeat(head.length));
    for (const size of sizes) {
      const pair = results.filter((m) => m.size === size);
      for (const m of pair) {
        out.push(
          `${int(m.residents).padStart(10)}  ${m.mode.padEnd(10)} ${fmt(pct(m.times, 50)).padStart(8)} ${fmt(pct(m.times, 95)).padStart(8)} ${fmt(mean(m.times)).padStart(8)} ${fmt(Math.max(...m.times)).padStart(8)}   ${fmt(m.loadMs / 1000, 1).padStart(13)}`,
        );
      }
      const enc = pair.find((m) => m.mode === 'encrypted');
      const plain = pair.find((m) => m.mode === 'plain');
      if (enc && plain) {
        const same = enc.resultCounts.every((n, i) => n === plain.resultCounts[i]);
        out.push(
          `${''.padStart(10)}  ratio encrypted/plain  p50 ${fmt(pct(enc.times, 50) / pct(plain.times, 50))}  p95 ${fmt(pct(enc.times, 95) / pct(plain.times, 95))}  mean ${fmt(mean(enc.times) / mean(plain.times))}   (result counts identical: ${same ? 'yes' : 'NO'})`,
        );
      }
      out.push('');
    }
    out.push('p50 / p95 ms by query kind (encrypted | plain):');
    for (const size of sizes) {
      const enc = results.find((m) => m.size === size && m.mode === 'encrypted');
      const plain = results.find((m) => m.size === size && m.mode === 'plain');
      if (!enc || !plain) continue;
      const cells = KINDS.map((k) => {
        const e = enc.byKind.get(k) ?? [];
        const p = plain.byKind.get(k) ?? [];
        return `${k} (n=${e.length}) ${fmt(pct(e, 50))}/${fmt(pct(e, 95))} | ${fmt(pct(p, 50))}/${fmt(pct(p, 95))}`;
      });
      out.push(`${int(size).padStart(10)}  ${cells.join(';  ')}`);
    }
    out.push('');
    out.push(`total runtime ${fmt((performance.now() - started) / 1000, 1)} s`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    for (const t of targets) {
      try {
        t.db.close();
      } catch {
        /* already closed */
      }
    }
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main();
