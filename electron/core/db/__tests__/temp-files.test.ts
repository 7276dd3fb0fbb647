import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDb, type FreshDb } from '../../../../testing/db';

/**
 * SQLite writes sorts and temporary tables to unencrypted temp files (in SQLITE_TMPDIR, TMPDIR or /var/tmp) unless
 * temp_store is MEMORY. A child process runs a large sort of 個人番号 and addresses with SQLITE_TMPDIR pointed at a
 * watched folder: nothing may be created there (SQLite unlinks its temp files at once, so the watch catches the
 * creation, not a leftover file).
 */
let f: FreshDb | null = null;
let watched: string | null = null;
afterEach(() => {
  f?.cleanup();
  if (watched) rmSync(watched, { recursive: true, force: true });
});

describe('temporary files', () => {
  it('a sort far larger than the cache writes nothing outside the data directory', async () => {
    f = freshDb();
    f.db.close();
    watched = mkdtempSync(join(tmpdir(), 'madoguchi-sqlite-tmp-'));
    const events: string[] = [];
    const watcher = watch(watched, (type, name) => events.push(`${type}:${String(name)}`));
    try {
      const worker = join(import.meta.dirname, 'temp-sort-worker.ts');
      const env = { ...process.env, SQLITE_TMPDIR: watched };
      const out = await promisify(execFile)(process.execPath, ['--import', 'tsx', worker, f.dir], { env, cwd: process.cwd(), timeout: 120_000 });
      expect(JSON.parse(out.stdout)).toEqual({ sorted: 20_000 });
      await new Promise((r) => setTimeout(r, 200)); // let the last inotify events arrive
    } finally {
      watcher.close();
    }
    expect(events).toEqual([]);
    expect(readdirSync(watched)).toEqual([]);
  }, 180_000);
});
