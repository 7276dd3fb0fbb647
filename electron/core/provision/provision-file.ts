import { existsSync, readFileSync } from 'node:fs';
import { openDatabase } from '../db/database';
import type { Clock, KeyProvider } from '../platform';
import { databasePath } from '../app-core';
import { provisionTerminal, type Provisioning } from './provision';
import { shredFile } from './shred';

/**
 * Provisioning from IT's one-time file (README「First run」), the one code path of `npm run provision` (key file)
 * and `madoguchi --provision=FILE` (safeStorage-wrapped key): opens (creates) the terminal's database with
 * `keyProvider`, provisions it, then overwrites and deletes the file. A terminal ID other than `expectedTerminalId`
 * (the machine policy's) is refused before anything is written; a provisioned terminal refuses a second file.
 */
export async function provisionFromFile(opts: { dataDir: string; keyProvider: KeyProvider; file: string; clock: Clock; expectedTerminalId?: string }): Promise<Provisioning> {
  if (!existsSync(opts.file)) throw new Error(`プロビジョニングファイル ${opts.file} がありません`);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(opts.file, 'utf8'));
  } catch {
    throw new Error(`プロビジョニングファイル ${opts.file} を JSON として読めません`);
  }
  const id = (input as { terminalId?: unknown } | null)?.terminalId;
  if (opts.expectedTerminalId !== undefined && id !== opts.expectedTerminalId) {
    throw new Error(`プロビジョニングファイルの端末ID（${String(id)}）がこの端末のポリシーの端末ID（${opts.expectedTerminalId}）と一致しません。何も変更していません。`);
  }
  const db = openDatabase({ path: databasePath(opts.dataDir), keyProvider: opts.keyProvider });
  try {
    const p = await provisionTerminal(db, input, opts.clock);
    shredFile(opts.file);
    return p;
  } finally {
    db.close();
  }
}
