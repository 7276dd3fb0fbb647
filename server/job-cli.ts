/**
 * `npm run server:job -- purge`: the retention purge (server/jobs/retention-purge.ts), only with RECORD_PURGE=on.
 * `npm run server:job -- mynumber-confirmations`: lists the 住基 lines held for a supervisor because they would link
 * a different 個人番号 to a person who has one, or blank it (seed 001; the numbers themselves are not printed).
 * `npm run server:job -- mynumber-confirm <確認番号> apply|dismiss --by <職員ID> --reason <理由>`: a supervisor's decision
 * on one of them (server/mynumber.ts decideMyNumberConfirmation): apply writes the proposed number (or the blank) onto
 * the resident, dismiss keeps the held one. Exit code 1 when refused (nothing changed).
 * `npm run server:job -- population`: refreshes who each 事務's terminals hold (server/population.ts) in full, now.
 * `npm run server:job -- ido`: runs the daily 異動 job (server/jobs/ido-work.ts) once, now, and prints its result
 * (処理済み / 変更なし / 異動処理エラー) with the counts. The running server also runs it once a day on its own
 * (IDO_JOB_HOUR in server/main.ts). Exit code 0 when done, 1 on an error, 2 on misuse.
 * `npm run server:job -- onshi-export`: writes the オンライン資格確認 file (ONSHI) of each municipality into the policy's
 * outbox (EXPORT_OUTBOX, server/export/onshi.ts) now — FULL the first time, DIFF after — and prints each file or
 * 連携エラー. Exit code 1 on a 連携エラー or when the outbox is off.
 *
 * The database: as for `npm run server:import` (server/cli-db.ts).
 */
import { resolve } from 'node:path';
import { connectCli } from './cli-db';
import { exportOutboxDir } from './export/outbox';
import { runOnshiExport } from './export/onshi';
import { migrate } from './db';
import { runIdoWork } from './jobs/ido-work';
import { recordPurgeEnabled, runRetentionPurge } from './jobs/retention-purge';
import { decideMyNumberConfirmation, openMyNumberConfirmations } from './mynumber';
import { refreshPopulations } from './population';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length === 1 && args[0] === 'mynumber-confirmations') {
    const { pool, stop } = await connectCli();
    try {
      await migrate(pool);
      const list = await openMyNumberConfirmations(pool);
      console.log(list.length === 0 ? '確認待ちの個人番号の変更はありません。' : `確認待ちの個人番号の変更 ${list.length}件（番号は表示しません）`);
      for (const c of list) console.log(`${c.confirmationId}\t団体 ${c.municipality}\t宛名番号 ${c.atenaNo}\t${c.change}\t取込番号 ${c.importId}\t${c.createdAt}`);
      return 0;
    } finally {
      await stop();
    }
  }
  if (args[0] === 'mynumber-confirm') {
    const [, id, decision, ...rest] = args;
    const flags = new Map<string, string>();
    for (let i = 0; i + 1 < rest.length; i += 2) flags.set(rest[i]!, rest[i + 1]!);
    const by = flags.get('--by');
    const reason = flags.get('--reason');
    if (!id || !decision || rest.length !== 4 || by === undefined || reason === undefined) {
      console.error('使い方: npm run server:job -- mynumber-confirm <確認番号> apply|dismiss --by <職員ID> --reason <理由>');
      return 2;
    }
    const { pool, stop } = await connectCli();
    try {
      await migrate(pool);
      // The server's one reading of the wall clock, as buildApp's default clock.
      const r = await decideMyNumberConfirmation(
        pool,
        { confirmationId: /^[0-9]{1,15}$/.test(id) ? Number(id) : Number.NaN, decision: decision as 'apply' | 'dismiss', staffId: by, reason },
        new Date(),
      );
      if (r.status === 'refused') {
        console.error(`決定できません: ${r.message}`);
        return 1;
      }
      const what = r.decision === 'apply' ? `適用しました（住民の記録の版 ${r.version}、番号は表示しません）` : '却下しました（保持している個人番号のまま）';
      console.log(`確認番号 ${r.confirmationId}\t団体 ${r.municipality}\t宛名番号 ${r.atenaNo}\t${what}\t決定者 ${r.resolvedBy}\t${r.resolvedAt}`);
      return 0;
    } finally {
      await stop();
    }
  }
  if (args.length === 1 && args[0] === 'population') {
    const { pool, stop } = await connectCli();
    try {
      await migrate(pool);
      // The server's one reading of the wall clock, as buildApp's default clock.
      for (const r of await refreshPopulations(pool, new Date())) {
        console.log(`団体 ${r.municipality}\t端末が保持する対象者 ${r.members}件（人×事務）\t追加 ${r.entered}件\t除外 ${r.left}件`);
      }
      return 0;
    } finally {
      await stop();
    }
  }
  if (args.length === 1 && args[0] === 'onshi-export') {
    const outbox = exportOutboxDir(process.env.EXPORT_OUTBOX, resolve(process.env.MADOGUCHI_SERVER_DATA ?? 'server-data'));
    if (outbox === null) {
      console.error('送信箱（EXPORT_OUTBOX）が off です。オンライン資格確認のファイルは出力しません');
      return 1;
    }
    const { pool, stop } = await connectCli();
    try {
      await migrate(pool);
      // The server's one reading of the wall clock, as buildApp's default clock.
      const r = await runOnshiExport(pool, { clock: { now: () => new Date() }, source: 'cli', outbox });
      console.log(`${r.result === 'error' ? '連携エラー' : '完了'}\t実行番号 ${r.jobId}\t送信箱 ${outbox}\n${r.message}`);
      return r.result === 'done' ? 0 : 1;
    } finally {
      await stop();
    }
  }
  if (args.length !== 1 || (args[0] !== 'ido' && args[0] !== 'purge')) {
    console.error('使い方: npm run server:job -- ido     （住民記録の異動を処理します: 転出・死亡の証を回収リストへ、喪失候補の記録）');
    console.error('        npm run server:job -- purge   （保存年限を過ぎた記録を削除します。RECORD_PURGE=on のときだけ）');
    console.error('        npm run server:job -- onshi-export   （オンライン資格確認（医療扶助）のファイルを送信箱に出力します）');
    console.error('        npm run server:job -- population   （事務ごとに端末が保持する対象者を今日の規則で更新します）');
    console.error('        npm run server:job -- mynumber-confirmations   （別の個人番号・空欄への変更で、確認待ちのものを一覧します）');
    console.error('        npm run server:job -- mynumber-confirm <確認番号> apply|dismiss --by <職員ID> --reason <理由>   （確認待ちの変更を適用・却下します）');
    return 2;
  }
  const enabled = args[0] === 'purge' ? recordPurgeEnabled(process.env.RECORD_PURGE) : false;
  const { pool, stop } = await connectCli();
  try {
    await migrate(pool);
    // The server's one reading of the wall clock, as buildApp's default clock.
    const clock = { now: () => new Date() };
    const r = args[0] === 'purge' ? await runRetentionPurge(pool, { clock, source: 'cli', enabled }) : await runIdoWork(pool, { clock, source: 'cli' });
    console.log(`${r.result === 'error' ? (args[0] === 'purge' ? '削除処理エラー' : '異動処理エラー') : '完了'}\t実行番号 ${r.jobId}\n${r.message}`);
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
