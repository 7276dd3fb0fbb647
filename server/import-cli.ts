/**
 * `npm run server:import -- <file> [<file> …]`: imports interface files (docs/interfaces/) into the central server's
 * database, each whole in one transaction or not at all, and prints the result (取込済み / 変更なし / 連携エラー) with
 * progress for large files. Exit code 0 when every file was applied or was a no-op, 1 on a 連携エラー, 2 on misuse.
 *
 * The database: DATABASE_URL, or else the server's embedded PostgreSQL in $MADOGUCHI_SERVER_DATA (default
 * ./server-data) — the running server's when it is up (PG_PORT, default 54329), otherwise started for the import.
 */
import { resolve } from 'node:path';
import { connectCli } from './cli-db';
import { migrate } from './db';
import { importFile, type ImportProgress } from './import/import';

function progress(p: ImportProgress): void {
  if (p.phase === 'read') console.error(`  読込 ${String(p.percent).padStart(3)}%  ${p.lines.toLocaleString('ja-JP')}行  ${p.linesPerSecond.toLocaleString('ja-JP')}行/秒`);
  else console.error(`  反映 ${p.step ?? ''}`);
}

async function main(): Promise<number> {
  const files = process.argv.slice(2).filter((a) => a !== '--');
  if (files.length === 0 || files.some((f) => f.startsWith('-'))) {
    console.error('使い方: npm run server:import -- <ファイル> [<ファイル> …]   （例: JUKI_271004_20261122_1.csv）');
    return 2;
  }
  const { pool, stop } = await connectCli();
  let failed = false;
  try {
    await migrate(pool);
    for (const f of files) {
      console.error(`[import] ${f}`);
      // The server's one reading of the wall clock, as buildApp's default clock.
      const r = await importFile(pool, resolve(f), { clock: { now: () => new Date() }, source: 'cli', onProgress: progress });
      console.log(`${r.result === 'error' ? '連携エラー' : r.result === 'noop' ? '変更なし' : '取込済み'}\t${r.fileName}\t取込番号 ${r.importId}\n${r.message}`);
      if (r.result === 'error') failed = true;
    }
  } finally {
    await stop();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[import] failed:', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
