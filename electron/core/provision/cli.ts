/**
 * Provision a terminal whose database key is a key file (development, the harness, test rigs):
 *   npm run provision -- --data-dir DIR --file provision.json
 * The file is overwritten and deleted after a successful run. On a real terminal the key is wrapped with
 * safeStorage and provisioning runs inside the app: `madoguchi --provision=provision.json`.
 */
import { parseArgs } from 'node:util';
import { FileKeyProvider } from '../db/file-key-provider';
import { systemClock } from '../platform';
import { keyFilePath } from '../app-core';
import { provisionFromFile } from './provision-file';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, file: { type: 'string' } } });
  const dataDir = values['data-dir'];
  const file = values.file;
  if (!dataDir || !file) throw new Error('使い方: npm run provision -- --data-dir DIR --file provision.json');
  const p = await provisionFromFile({ dataDir, keyProvider: new FileKeyProvider(keyFilePath(dataDir)), file, clock: systemClock });
  console.log(`端末 ${p.terminalId} を初期設定しました。管理者 ${p.admin.staffId} を登録し、${file} を削除しました。`);
}

main().catch((e: unknown) => {
  console.error(`初期設定に失敗しました: ${(e as Error).message}`);
  process.exit(1);
});
