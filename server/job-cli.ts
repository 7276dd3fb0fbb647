/**
 * `npm run server:job -- ido`: runs the daily 異動 job (server/jobs/ido-work.ts) once, now, and prints its result
 * (処理済み / 変更なし / 異動処理エラー) with the counts. The running server also runs it once a day on its own
 * (IDO_JOB_HOUR in server/main.ts). Exit code 0 when done, 1 on an error, 2 on misuse.
 *
 * The database: as for `npm run server:import` (server/cli-db.ts).
 */
import { connectCli } from './cli-db';
import { migrate } from './db';
import { runIdoWork } from './jobs/ido-work';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || args[0] !== 'ido') {
    console.error('使い方: npm run server:job -- ido   （住民記録の異動を処理します: 転出・死亡の証を回収リストへ、喪失候補の記録）');
    return 2;
  }
  const { pool, stop } = await connectCli();
  try {
    await migrate(pool);
    // The server's one reading of the wall clock, as buildApp's default clock.
    const r = await runIdoWork(pool, { clock: { now: () => new Date() }, source: 'cli' });
    console.log(`${r.result === 'error' ? '異動処理エラー' : '完了'}\t実行番号 ${r.jobId}\n${r.message}`);
    return r.result === 'error' ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[job] failed:', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
