/**
 * `npm run bench:import`: interface import into the central server (server/import/, issue 15 §1) on embedded
 * PostgreSQL. Prints the figures of
 *   - an initial full load of 1,000,000 residents (住民記録 全件; target ≤ 3 minutes), and
 *   - a daily 異動 file of 10,000 lines (8,000 転居, 1,000 転出 = 消除, 1,000 転入; target ≤ 10 s),
 * each file generated into a temp dir first (not timed), and, for information, the same full load sent again under
 * the next sequence number (every line found, nothing changed). BENCH_RESIDENTS changes the size of the full load.
 * Not part of `npm test`.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importFile, type ImportProgress } from '../server/import/import';
import { fileChunks, fileName, jukiRow, type FileSpec } from '../testing/interface-files';
import { startPostgres } from '../testing/server';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
const DAILY = 10_000;
const clock = { now: () => new Date() };

async function writeFileFrom(dir: string, spec: FileSpec, rows: Iterable<readonly string[]>): Promise<string> {
  const path = join(dir, fileName(spec));
  const out = createWriteStream(path);
  for (const chunk of fileChunks(spec, rows)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return path;
}

function* fullRows(): Generator<string[]> {
  for (let n = 1; n <= RESIDENTS; n++) yield jukiRow(n);
}

function* dailyRows(): Generator<string[]> {
  for (let i = 0; i < DAILY; i++) {
    const n = 1 + Math.floor((i * 97) % RESIDENTS);
    if (i < 8000) yield jukiRow(n, { address: `大阪府大阪市中央区本町${1 + (i % 4)}丁目${i % 50}番`, ido_reason: '21', ido_date: '20261120', notified_on: '20261121' });
    else if (i < 9000) yield jukiRow(n + 1, { ido_reason: '31', ido_date: '20261119', notified_on: '20261110', removed: '1', removed_on: '20261119' });
    else yield jukiRow(RESIDENTS + i, { became_resident_on: '20261120', ido_reason: '11', ido_date: '20261120', notified_on: '20261121' });
  }
}

function progress(label: string): (p: ImportProgress) => void {
  let last = -1;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const s = ((now - t) / 1000).toFixed(1);
    t = now;
    return s;
  };
  return (p) => {
    if (p.phase === 'apply') console.log(`  ${label} 反映: ${p.step} (after ${lap()} s)`);
    else if (p.percent >= last + 10 || p.percent === 100) {
      last = p.percent;
      console.log(`  ${label} 読込 ${String(p.percent).padStart(3)}%  ${p.lines.toLocaleString('en')} lines  ${p.linesPerSecond.toLocaleString('en')} lines/s${p.percent === 100 ? ` (${lap()} s)` : ''}`);
    }
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'madoguchi-import-bench-'));
  const pg = await startPostgres();
  try {
    console.log(`[bench:import] generating ${RESIDENTS.toLocaleString('en')} residents …`);
    const full = await writeFileFrom(dir, { interface: 'JUKI', kind: 'FULL', seq: 1 }, fullRows());
    const daily = await writeFileFrom(dir, { interface: 'JUKI', kind: 'DIFF', seq: 2 }, dailyRows());
    const again = await writeFileFrom(dir, { interface: 'JUKI', kind: 'FULL', seq: 3 }, fullRows());
    const mb = (await stat(full)).size / 1e6;

    let t0 = performance.now();
    const r1 = await importFile(pg.pool, full, { clock, source: 'cli', onProgress: progress('全件') });
    const fullSecs = (performance.now() - t0) / 1000;
    if (r1.result !== 'applied') throw new Error(r1.message);

    t0 = performance.now();
    const r2 = await importFile(pg.pool, daily, { clock, source: 'cli', onProgress: progress('異動') });
    const dailySecs = (performance.now() - t0) / 1000;
    if (r2.result !== 'applied') throw new Error(r2.message);

    t0 = performance.now();
    const r3 = await importFile(pg.pool, again, { clock, source: 'cli', onProgress: progress('全件再送') });
    const againSecs = (performance.now() - t0) / 1000;
    if (r3.result !== 'applied') throw new Error(r3.message);

    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');
    console.log('');
    console.log(`initial load  ${RESIDENTS.toLocaleString('en')} residents (${mb.toFixed(0)} MB)  ${fullSecs.toFixed(1)} s  (${rate(RESIDENTS, fullSecs)} lines/s)  target ≤ 180 s  ${fullSecs <= 180 ? 'OK' : 'MISSED'}`);
    console.log(`  ${r1.message}`);
    console.log(`daily 異動    ${DAILY.toLocaleString('en')} lines  ${dailySecs.toFixed(1)} s  (${rate(DAILY, dailySecs)} lines/s)  target ≤ 10 s  ${dailySecs <= 10 ? 'OK' : 'MISSED'}`);
    console.log(`  ${r2.message}`);
    console.log(`full again    ${RESIDENTS.toLocaleString('en')} lines  ${againSecs.toFixed(1)} s  (${rate(RESIDENTS, againSecs)} lines/s)  (no target; 9,000 differ from the file after the daily 異動)`);
    console.log(`  ${r3.message}`);
  } finally {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('[bench:import] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
