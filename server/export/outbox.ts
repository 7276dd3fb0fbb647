/**
 * The policy's outbox: the one folder through which the server hands interface files to another system (today the
 * オンライン資格確認 file for the 統合専用端末, server/export/onshi.ts). EXPORT_OUTBOX (server/main.ts) names it;
 * "off" disables every export. A file appears there whole or not at all: it is written under a temporary name
 * (hidden, ending in .tmp — the transfer takes only *.csv), fsync'd, then linked to its final name (never over an
 * existing file) and the temporary name removed, and the folder fsync'd. On any failure the temporary file is
 * removed and no final file is left.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The outbox folder from EXPORT_OUTBOX: null when "off"; default `<data root>/outbox`. */
export function exportOutboxDir(raw: string | undefined, dataRoot: string): string | null {
  const v = (raw ?? '').trim();
  if (v === 'off') return null;
  return resolve(v === '' ? join(dataRoot, 'outbox') : v);
}

/** A file could not be placed in the outbox (Japanese, for IT). */
export class OutboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxError';
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Writes `bytes` as `dir/name` atomically (temporary name + fsync + link + fsync of the folder); refuses to replace
 * a file of that name. Returns the final path. Throws (OutboxError or the file system's error) with no file left.
 */
export async function writeToOutbox(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+\.csv$/.test(name) || name.startsWith('.')) throw new OutboxError(`送信箱のファイル名が不正です（${name.slice(0, 60)}）`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${name}.${randomUUID()}.tmp`);
  const final = join(dir, name);
  let fh: FileHandle | null = null;
  let linked = false;
  try {
    fh = await open(tmp, 'wx', 0o600);
    await fh.writeFile(bytes);
    await fh.sync();
    await fh.close();
    fh = null;
    try {
      await link(tmp, final); // atomic, and never over an existing file (EEXIST)
      linked = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutboxError(`送信箱に同じ名前のファイル（${name}）があります。上書きはしません`);
      throw err;
    }
    await unlink(tmp);
    await syncDir(dir);
    return final;
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    if (linked) await rm(final, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Takes a file this server placed back out of the outbox (its database record could not be written). */
export async function withdrawFromOutbox(path: string): Promise<void> {
  await rm(path, { force: true });
}
