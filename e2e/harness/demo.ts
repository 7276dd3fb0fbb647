/**
 * `npm run demo`: a freshly seeded demo database (fictional residents), the real core, the built renderer
 * on http://127.0.0.1. Demo logins are printed here and exist only in this demo database.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../electron/core/platform';
import { createSeededCore } from '../../testing/core';
import { DEMO_LOGINS } from '../../testing/seed';
import { seedDemoFujo } from '../../testing/seikatsu-demo';
import { startHarness } from './server';

const dataDir = resolve(import.meta.dirname, '../../.demo-data');
rmSync(dataDir, { recursive: true, force: true });
const port = Number(process.env.PORT ?? 5870);
// Approved audit exports (監査ログの出力) are written here, as the policy's exportDestination would say.
const exportDir = resolve(dataDir, 'audit-exports');
mkdirSync(exportDir, { recursive: true, mode: 0o700 });
const seeded = await createSeededCore({ clock: systemClock, households: 150, dataDir, demo: true, exportDestination: { exportDestination: exportDir } });
// The shell's idle lock with the policy's default times (5 minutes to lock, 30 to log out).
const harness = await startHarness(seeded.core, { port, idle: { lockMinutes: 5, logoutMinutes: 30 } });
// 保護 和子's 医療扶助, decided by three demo staff with their own (software) authenticators: a browser here has none.
const fujoNo = await seedDemoFujo(seeded);
const count = (seeded.core.db.prepare('SELECT count(*) AS n FROM residents').get() as { n: number }).n;

console.log(`窓口端末 デモ環境（架空のデータ ${count}人）: ${harness.url}`);
console.log('デモ用ログイン（このデモ用データベースにのみ存在します。デモ環境のため第二要素は省略されます）:');
for (const l of DEMO_LOGINS) console.log(`  ${l.label.padEnd(14, '　')} 職員ID ${l.staffId}  パスワード ${l.password}`);
console.log(`生活保護: 保護 和子（宛名番号 ${seeded.edges.byName.seihoMother!.atenaNo}）の医療扶助 ${fujoNo} は決定済み（開始）。扶助の画面から医療券を交付・印刷できます。`);
console.log(`監査ログの出力先: ${exportDir}（監督者 D8001 が申請、承認者 D7001 が承認）`);
console.log(`試してみる: カナ氏名「シケン」で検索 → 試験 太郎 → こども医療証を交付。データ: ${dataDir}（暗号化済み）。Ctrl+C で終了。`);

const stop = async () => {
  await harness.close();
  seeded.core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
