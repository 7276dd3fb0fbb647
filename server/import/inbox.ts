/**
 * The watched inbox folder: the municipality's systems (or IT) put interface files into `dir`; the server imports
 * each one (server/import/import.ts) and moves it to `dir/done/` (applied or no-op) or `dir/error/` (連携エラー),
 * with a result file `<name>.result.json` beside it. A file is taken only once its size and modification time
 * were the same at two scans in a row (still being written otherwise); names not ending in .csv are left alone
 * (write as .tmp and rename, the safe way).
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from '../db';
import { importFile, type ImportResult } from './import';

export interface InboxOptions {
  clock: { now(): Date };
  /** How often the folder is scanned (default 5 s). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface Inbox {
  /** One scan: imports every file that has settled since the last scan. Returns what it imported. */
  scan(): Promise<ImportResult[]>;
  stop(): void;
}

async function freeName(dir: string, name: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : name.replace(/(\.csv)?$/i, `-${i}$1`);
    try {
      await stat(join(dir, candidate));
    } catch {
      return candidate;
    }
  }
}

/** The inbox over `dir` (created with done/ and error/). Call `start` for the timer, or `scan` yourself. */
export async function openInbox(pool: Pool, dir: string, opts: InboxOptions): Promise<Inbox & { start(): Inbox }> {
  const log = opts.log ?? ((l: string) => console.log(l));
  await mkdir(join(dir, 'done'), { recursive: true });
  await mkdir(join(dir, 'error'), { recursive: true });
  const seen = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ImportResult[]> | null = null;

  const scanOnce = async (): Promise<ImportResult[]> => {
    const results: ImportResult[] = [];
    const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && /\.csv$/i.test(d.name)).map((d) => d.name).sort();
    for (const k of [...seen.keys()]) if (!names.includes(k)) seen.delete(k);
    for (const name of names) {
      const path = join(dir, name);
      const st = await stat(path).catch(() => null);
      if (!st) continue;
      const mark = `${st.size}:${st.mtimeMs}`;
      if (seen.get(name) !== mark) {
        seen.set(name, mark); // settled only if unchanged at the next scan
        continue;
      }
      seen.delete(name);
      let shown = 0;
      const r = await importFile(pool, path, {
        clock: opts.clock,
        source: 'inbox',
        // A large file reports its progress in the server log every tenth of the way (a small one is done in one batch).
        onProgress: (p) => {
          if (p.phase !== 'read' || p.percent < shown + 10 || p.percent === 100) return;
          shown = p.percent - (p.percent % 10);
          log(`[import] ${name}: 読込 ${p.percent}%（${p.lines}行、${p.linesPerSecond}行/秒）`);
        },
      });
      const to = join(dir, r.result === 'error' ? 'error' : 'done');
      const target = await freeName(to, name);
      await rename(path, join(to, target));
      await writeFile(join(to, `${target}.result.json`), `${JSON.stringify({ ...r, file: target, at: opts.clock.now().toISOString() }, null, 2)}\n`);
      log(`[import] ${name}: ${r.message}`);
      results.push(r);
    }
    return results;
  };

  const inbox = {
    scan(): Promise<ImportResult[]> {
      // One scan at a time (the timer and a caller never import the same file twice).
      const next = (running ?? Promise.resolve([])).then(() => scanOnce());
      running = next.catch(() => []);
      return next;
    },
    start() {
      timer = setInterval(() => {
        inbox.scan().catch((err: unknown) => log(`[import] inbox scan failed; trying again at the next scan: ${err instanceof Error ? err.message : String(err)}`));
      }, opts.intervalMs ?? 5000);
      timer.unref();
      return inbox;
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  return inbox;
}
