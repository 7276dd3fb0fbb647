import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';
import type { KeyProvider } from '../platform';

/**
 * Key provider for tests and the harness: a hex key file (mode 0600) in the data directory.
 * The Electron shell uses a safeStorage-wrapped key instead (electron/shell/safe-storage-key-provider.ts).
 */
export class FileKeyProvider implements KeyProvider {
  constructor(private readonly path: string) {}

  loadKey(): Buffer | null {
    if (!existsSync(this.path)) return null;
    return parseHexKey(readFileSync(this.path, 'utf8'), this.path);
  }

  createKey(): Buffer {
    const key = randomBytes(32);
    writeSecretFile(this.path, key.toString('hex'));
    return key;
  }

  describe(): string {
    return `鍵ファイル ${this.path}`;
  }
}

export function parseHexKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${where} の暗号鍵の形式が正しくありません`);
  return Buffer.from(hex, 'hex');
}

/** Create a file that must not exist yet, mode 0600, and flush it to disk. */
export function writeSecretFile(path: string, content: string | Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
