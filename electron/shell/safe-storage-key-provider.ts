import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { SafeStorage } from 'electron';
import type { KeyProvider } from '../core/platform';
import { parseHexKey, writeSecretFile } from '../core/db/file-key-provider';

/**
 * The database key on a real terminal: 32 random bytes, wrapped with Electron's safeStorage (DPAPI on
 * Windows, Keychain on macOS, the OS secret store on Linux) and stored beside the database. Deleting the
 * wrapped key makes the database unrecoverable (crypto-erase). The key never leaves the main process.
 *
 * safeStorage's async API is used: `prepare` unwraps an existing key, or wraps a fresh one, before the
 * database opens; the core then reads it synchronously through the KeyProvider interface.
 */
export type KeyStoreApi = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

/**
 * Which OS secret store protects the keys. On Linux, safeStorage falls back to `basic_text` (a hard-coded
 * password: no protection at all) when no secret service is running; that is refused, never used.
 */
export function keyStoreBackend(safeStorage: Pick<SafeStorage, 'getSelectedStorageBackend'>, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return platform === 'win32' ? 'dpapi' : platform === 'darwin' ? 'keychain' : platform;
  return safeStorage.getSelectedStorageBackend();
}

export function keyStoreRefusal(backend: string): string | null {
  return backend === 'basic_text' || backend === 'unknown'
    ? `OSの資格情報保護が利用できません（safeStorage のバックエンド: ${backend}）。この状態では暗号鍵を保護できないため起動を中止します。Secret Service（GNOME Keyring 等）を有効にしてください。`
    : null;
}

export class SafeStorageKeyProvider implements KeyProvider {
  private constructor(
    private readonly path: string,
    private unwrapped: Buffer | null,
    private pendingNew: { key: Buffer; wrapped: Buffer } | null,
  ) {}

  static async prepare(safeStorage: Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>, path: string): Promise<SafeStorageKeyProvider> {
    // The caller has refused a basic_text backend (keyStoreRefusal) before asking for any key.
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new Error('OSの資格情報保護（safeStorage）が利用できないため、データベースの暗号鍵を保護できません。起動を中止します。');
    }
    if (existsSync(path)) {
      const { result } = await safeStorage.decryptStringAsync(readFileSync(path));
      return new SafeStorageKeyProvider(path, parseHexKey(result, path), null);
    }
    const key = randomBytes(32);
    const wrapped = await safeStorage.encryptStringAsync(key.toString('hex'));
    return new SafeStorageKeyProvider(path, null, { key, wrapped });
  }

  loadKey(): Buffer | null {
    return this.unwrapped ? Buffer.from(this.unwrapped) : null;
  }

  createKey(): Buffer {
    if (existsSync(this.path) || !this.pendingNew) throw new Error('暗号鍵はすでに存在します。上書きしません。');
    writeSecretFile(this.path, this.pendingNew.wrapped);
    const key = Buffer.from(this.pendingNew.key);
    this.pendingNew.key.fill(0);
    this.pendingNew = null;
    return key;
  }

  /** Forget the in-memory copies once the database is open. */
  wipe(): void {
    this.unwrapped?.fill(0);
    this.unwrapped = null;
    this.pendingNew?.key.fill(0);
    this.pendingNew = null;
  }

  describe(): string {
    return `safeStorageで保護された鍵 ${this.path}`;
  }
}
