/**
 * Retire a terminal whose database key is a key file (test rigs, the harness, machines without Electron):
 *   npm run retire -- --data-dir DIR --server URL --ca CA.pem --cert T001.crt --key T001.key
 *   npm run retire -- --data-dir DIR --without-server     (only a terminal that never had a central server)
 * On a real terminal the key is wrapped with safeStorage and this runs inside the app: `madoguchi --retire`.
 * Both call retireTerminal (./retire.ts). The receipt is printed and left in DIR.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keyFilePath } from '../app-core';
import { FileKeyProvider } from '../db/file-key-provider';
import { CentralServerClient } from '../net/server-client';
import { systemClock } from '../platform';
import { retireTerminal } from './retire';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      server: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'without-server': { type: 'boolean' },
    },
  });
  const dataDir = values['data-dir'];
  const usage = '使い方: npm run retire -- --data-dir DIR (--server URL --ca CA.pem --cert 端末.crt --key 端末.key | --without-server)';
  if (!dataDir) throw new Error(usage);
  const { server: url, ca, cert, key } = values;
  if (url && !(ca && cert && key)) throw new Error(usage);
  const receipt = await retireTerminal({
    dataDir,
    keyProvider: new FileKeyProvider(keyFilePath(dataDir)),
    clock: systemClock,
    server: url && ca && cert && key ? (audit) => new CentralServerClient({ baseUrl: url, ca: readFileSync(ca), cert: readFileSync(cert), key: readFileSync(key), audit }) : null,
    withoutServer: values['without-server'] ?? false,
  });
  console.log(`端末 ${receipt.terminalId} を廃止しました。暗号鍵とデータベース（${receipt.removed.length} ファイル）を消去し、受領記録を残しました。`);
  console.log(JSON.stringify(receipt, null, 2));
}

main().catch((e: unknown) => {
  console.error(`端末を廃止できませんでした: ${(e as Error).message}`);
  process.exit(1);
});
