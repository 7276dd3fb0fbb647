import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A retired data directory (issue 16 §4, electron/core/retire/retire.ts): the database and its keys are destroyed
 * and this receipt is left in their place. Nothing opens such a directory again, nor creates a new database in it.
 */
export const RETIRED_RECEIPT_FILE = 'madoguchi-retired.json';

export const RETIRED_MESSAGE =
  'この端末は廃止されています。データベースと暗号鍵は消去済みのため、開くことも復元することもできません。端末を再び使う場合は、IT担当者が新しい端末として設定してください。';

export function isRetired(dataDir: string): boolean {
  return existsSync(join(dataDir, RETIRED_RECEIPT_FILE));
}
