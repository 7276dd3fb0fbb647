/**
 * Resident search latency: SQLCipher-encrypted database vs. a plaintext database with the same data.
 *
 *   npm run bench                                   # 100k and 1M residents, 1000 queries each
 *   BENCH_SIZES=100000 BENCH_QUERIES=100 npm run bench
 *
 * Every measured search is the real ResidentService.search, which runs the query and appends its hash-chained
 * audit entry (SHA-256 + INSERT + commit with synchronous=FULL) in one transaction — what the counter pays.
 *
 * Both databases get the same pragmas (database.ts applyPragmas, incl. the page cache size). Each size is measured
 * twice, each time alternating query by query between the two databases (so load on the machine hits both alike):
 *   - "query warm-up": after BENCH_WARMUP searches only, as a terminal shortly after start;
 *   - "prewarmed": after the residents table and the search's indexes were read through once on both databases
 *     (SQLite's page cache then holds the search's working set, decrypted; the OS file cache holds both files).
 * The issue-16 target (encrypted ÷ plaintext ≤ 1.15 at 1,000,000 residents) is printed as PASS/FAIL per phase,
 * judged on p50, p95 and mean together. Figures only: nothing here is a test.
 *
 * Where the difference comes from (issue 16 §5): a search's only writes are its audit entry's pages, and under
 * SQLCipher each page written is encrypted and authenticated (≈ 20–25 µs a page here, mostly HMAC-SHA512), so
 * terminal migration 21 cut them from 7 to 3 (electron/core/audit/__tests__/audit-pages.test.ts counts them). What
 * is left in the prewarmed phase is those 3 pages and ≈ 5 % on reads; in the warm-up phase every page a search
 * reads for the first time is decrypted as well, which no setting removes (the page cache only keeps it from
 * happening twice).
 *
 * Environment:
 *   BENCH_SIZES    comma-separated resident counts, ascending (default "100000,1000000"); one DB per mode grows
 *   BENCH_QUERIES  measured queries per configuration (default 1000: the p95 of 300 was the 15th slowest, and a
 *                  single disk stall on either side moved it)
 *   BENCH_WARMUP   warm-up queries per configuration, not measured (default 30)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
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
import { todayInJapan } from '../shared/domain/wareki';
import { kodomoOnlyCopy, type KodomoCopy } from './kodomo-copy';
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
type Phase = 'query warm-up' | 'prewarmed';
const PHASES: readonly Phase[] = ['query warm-up', 'prewarmed'];
const TARGET_SIZE = 1_000_000;
const TARGET_RATIO = 1.15;
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
  phase: Phase;
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

/**
 * Run the same queries on every target, alternating target by target for each query, and which target goes first
 * from one query to the next (the second search of a pair finds the first one's fsync just done and the CPU's caches
 * warm with the query: neither database always gets that).
 */
function measurePair(targets: Target[], size: number, phase: Phase, residents: number, warmup: Query[], queries: Query[]): Measurement[] {
  for (const q of warmup) for (const t of targets) t.service.search(actor, q.req);
  const ms: Measurement[] = targets.map((t) => ({ size, phase, mode: t.mode, residents, loadMs: t.loadMs, times: [], byKind: new Map(KINDS.map((k) => [k, []])), resultCounts: [] }));
  const order = targets.map((t, i) => ({ t, i }));
  for (const [n, q] of queries.entries()) {
    (n % 2 === 0 ? order : [...order].reverse()).forEach(({ t, i }) => {
      const m = ms[i] as Measurement;
      const t0 = performance.now();
      const res = t.service.search(actor, q.req);
      const elapsed = performance.now() - t0;
      m.times.push(elapsed);
      m.byKind.get(q.kind)?.push(elapsed);
      m.resultCounts.push(res.results.length);
    });
  }
  return ms;
}

/**
 * Read the residents table and the indexes the search uses once (same statements on both databases), so their pages
 * are in SQLite's page cache as far as it holds them. Returns the time taken.
 */
function prewarm(db: Db): number {
  const t0 = performance.now();
  db.prepare(`SELECT count(*) FROM residents INDEXED BY residents_kana WHERE name_kana_key >= ''`).get();
  db.prepare(`SELECT count(*) FROM residents INDEXED BY residents_birth WHERE birth_date >= ''`).get();
  db.prepare(`SELECT count(*) FROM residents INDEXED BY sqlite_autoindex_residents_2 WHERE atena_no >= ''`).get();
  db.prepare(`SELECT sum(length(name_kanji) + length(name_kana) + length(address)) FROM residents`).get();
  return performance.now() - t0;
}

/**
 * Let the machine write back what the load left dirty (about 1 GiB per 1M residents per database, and whatever an
 * earlier run deleted) before measuring: every search commits with an fsync, and an fsync queued behind a long
 * writeback takes milliseconds, on both databases alike, which drowned the difference being measured.
 */
function settleDisk(): void {
  execFileSync('sync');
}

/** The page cache and related pragmas a connection actually runs with. */
function pragmasOf(db: Db): string {
  const p = (name: string) => String(db.pragma(name, { simple: true }));
  const kib = Number(p('cache_size'));
  const cache = kib < 0 ? `${p('cache_size')} (${fmt(-kib / 1024, 0)} MiB)` : `${p('cache_size')} pages`;
  return `cache_size ${cache}, mmap_size ${p('mmap_size')}, temp_store ${p('temp_store')}, page_size ${p('page_size')}, synchronous ${p('synchronous')}, journal_mode ${p('journal_mode')}`;
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
  const nQueries = envInt('BENCH_QUERIES', 1000);
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
    const pragmaLines = targets.map((t) => `  ${t.mode.padEnd(10)} ${pragmasOf(t.db)}`);
    for (const l of pragmaLines) log(l);
    log(`sizes ${sizes.map(int).join(', ')}; ${nWarmup} warm-up + ${nQueries} measured queries per configuration`);

    const loader = new Loader(targets);
    const results: Measurement[] = [];
    const prewarmLines: string[] = [];
    for (const size of sizes) {
      loader.growTo(size, at);
      for (const t of targets) t.db.pragma('wal_checkpoint(TRUNCATE)');
      settleDisk();
      const counts = targets.map((t) => (t.db.prepare('SELECT count(*) AS n FROM residents').get() as { n: number }).n);
      if (counts.some((n) => n !== size)) throw new Error(`expected ${size} residents, found ${counts.join(' / ')}`);
      // Same queries for both modes; independent of the mode, dependent only on the size.
      const queries = buildQueries(plainDb, size, nWarmup + nQueries, QUERY_SEED + size);
      const warmup = queries.slice(0, nWarmup);
      const measured = queries.slice(nWarmup);
      for (const t of targets) {
        const sync = t.db.pragma('synchronous', { simple: true });
        if (sync !== 2) throw new Error(`${t.mode}: synchronous is ${String(sync)}, expected 2 (FULL)`);
      }
      log(`measuring at ${int(size)} residents after ${nWarmup} warm-up queries …`);
      results.push(...measurePair(targets, size, 'query warm-up', counts[0] as number, warmup, measured));
      const warm = targets.map((t) => `${t.mode} ${fmt(prewarm(t.db) / 1000, 2)} s`);
      settleDisk();
      prewarmLines.push(`${int(size).padStart(10)}  ${warm.join(', ')}`);
      log(`prewarmed (${warm.join(', ')}); measuring again …`);
      results.push(...measurePair(targets, size, 'prewarmed', counts[0] as number, [], measured));
      for (const m of results.filter((x) => x.size === size)) log(`  ${m.phase} ${m.mode}: p50 ${fmt(pct(m.times, 50))} ms, p95 ${fmt(pct(m.times, 95))} ms`);
    }

    // Database sizes at the largest size: the full copy, and a kodomo-only terminal's copy (bench/kodomo-copy.ts).
    const largest = sizes[sizes.length - 1] as number;
    encDb.pragma('wal_checkpoint(TRUNCATE)');
    const fullBytes = statSync(encPath).size;
    const fullFreePages = Number(encDb.pragma('freelist_count', { simple: true }));
    const today = todayInJapan(clock.now());
    log(`kodomo-only copy of the ${int(largest)}-resident database (today ${today}) …`);
    const kodomo: KodomoCopy = kodomoOnlyCopy(encPath, join(dir, 'enc', 'db.key'), join(dir, 'kodomo'), today);
    log(`  ${int(kodomo.residents)} residents, ${fmt(kodomo.bytes / 2 ** 20, 1)} MiB (${fmt(kodomo.ms / 1000, 1)} s)`);

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
    out.push(`load: generateHouseholds chunks of ${int(HOUSEHOLDS_PER_CHUNK)} households + loadDataset (one transaction per chunk, the connection pragmas below, synchronous=FULL throughout)`);
    out.push(`queries: ${nQueries} measured per phase, same fixed-seed mix for both DBs, alternating encrypted/plain query by query: kana prefix 2–4 chars / birthDate / atenaNo / kana+birthDate`);
    out.push(`phases: "query warm-up" = after ${nWarmup} warm-up searches; "prewarmed" = after reading residents + residents_kana/residents_birth/atena_no index through once`);
    out.push('connection pragmas (read back from each connection):');
    out.push(...pragmaLines);
    out.push('prewarm time (decrypting and caching the search working set on the encrypted DB; reading it on the plain DB):');
    out.push(...prewarmLines);
    out.push('');
    const head = `${'residents'.padStart(10)}  ${'phase'.padEnd(13)} ${'db'.padEnd(10)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'max ms'.padStart(8)}   ${'load s (cum.)'.padStart(13)}`;
    out.push(head);
    out.push('-'.repeat(head.length));
    const ratios = new Map<string, { p50: number; p95: number; mean: number }>();
    for (const size of sizes) {
      for (const phase of PHASES) {
        const pair = results.filter((m) => m.size === size && m.phase === phase);
        for (const m of pair) {
          out.push(
            `${int(m.residents).padStart(10)}  ${phase.padEnd(13)} ${m.mode.padEnd(10)} ${fmt(pct(m.times, 50)).padStart(8)} ${fmt(pct(m.times, 95)).padStart(8)} ${fmt(mean(m.times)).padStart(8)} ${fmt(Math.max(...m.times)).padStart(8)}   ${fmt(m.loadMs / 1000, 1).padStart(13)}`,
          );
        }
        const enc = pair.find((m) => m.mode === 'encrypted');
        const plain = pair.find((m) => m.mode === 'plain');
        if (enc && plain) {
          const same = enc.resultCounts.every((n, i) => n === plain.resultCounts[i]);
          const r = { p50: pct(enc.times, 50) / pct(plain.times, 50), p95: pct(enc.times, 95) / pct(plain.times, 95), mean: mean(enc.times) / mean(plain.times) };
          ratios.set(`${size}/${phase}`, r);
          out.push(`${''.padStart(10)}  ${phase.padEnd(13)} ratio encrypted/plain  p50 ${fmt(r.p50)}  p95 ${fmt(r.p95)}  mean ${fmt(r.mean)}   (result counts identical: ${same ? 'yes' : 'NO'})`);
        }
      }
      out.push('');
    }
    out.push('p50 / p95 ms by query kind (encrypted | plain):');
    for (const size of sizes) {
      for (const phase of PHASES) {
        const enc = results.find((m) => m.size === size && m.phase === phase && m.mode === 'encrypted');
        const plain = results.find((m) => m.size === size && m.phase === phase && m.mode === 'plain');
        if (!enc || !plain) continue;
        const cells = KINDS.map((k) => {
          const e = enc.byKind.get(k) ?? [];
          const p = plain.byKind.get(k) ?? [];
          return `${k} (n=${e.length}) ${fmt(pct(e, 50))}/${fmt(pct(e, 95))} | ${fmt(pct(p, 50))}/${fmt(pct(p, 95))}`;
        });
        out.push(`${int(size).padStart(10)}  ${phase.padEnd(13)} ${cells.join(';  ')}`);
      }
    }
    out.push('');
    for (const phase of PHASES) {
      const r = ratios.get(`${TARGET_SIZE}/${phase}`);
      const what = `target encrypted/plain ≤ ${fmt(TARGET_RATIO)} at ${int(TARGET_SIZE)} residents (${phase}; p50, p95 and mean)`;
      if (!r) {
        out.push(`NOT MEASURED  ${what}: BENCH_SIZES does not include ${TARGET_SIZE}`);
        continue;
      }
      const pass = r.p50 <= TARGET_RATIO && r.p95 <= TARGET_RATIO && r.mean <= TARGET_RATIO;
      out.push(`${pass ? 'PASS' : 'FAIL'}  ${what}: p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, mean ${fmt(r.mean)}`);
    }
    out.push('');
    const mib = (b: number) => `${fmt(b / 2 ** 20, 1)} MiB`;
    out.push(`encrypted database size at ${int(largest)} residents (after the measurements; wal_checkpoint(TRUNCATE)):`);
    out.push(`  full copy          ${mib(fullBytes).padStart(11)}  ${int(largest)} residents (freelist ${int(fullFreePages)} pages; not vacuumed)`);
    out.push(`  kodomo-only copy   ${mib(kodomo.bytes).padStart(11)}  ${int(kodomo.residents)} residents = ${int(kodomo.children)} children (18歳年度末 on/after ${today}) + ${int(kodomo.guardians)} 保護者 + ${int(kodomo.namedByRecords)} named only by a kodomo 受給資格/claim/certificate; after VACUUM (${fmt(kodomo.ms / 1000, 1)} s)`);
    out.push(`  kodomo-only ÷ full ${fmt(kodomo.bytes / fullBytes).padStart(11)}   (population: shared/domain/population.ts, the server's rule; bench/kodomo-copy.ts)`);
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
