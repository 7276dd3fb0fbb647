/**
 * Test helper for both migration folders (electron/core/db/migrations, server/migrations): one file per
 * migration, named after it and listed in order, and shipped migrations never edited (their SQL pinned by hash).
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface MigrationLike {
  version: number;
  name: string;
}

const FILE = /^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ts$/;

/**
 * What is wrong with `dir` given the ordered list its index exports: a file not named NNNN-name.ts (other than
 * `support`), a file whose one export is not the listed migration of that version and name, a listed migration
 * without its file, or a list out of order.
 */
export async function migrationFolderProblems(dir: string, listed: readonly MigrationLike[], support: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  listed.forEach((m, i) => {
    if (m.version !== i + 1) problems.push(`index: entry ${i + 1} is migration ${m.version} (${m.name}); list them in order, 1..n`);
  });
  const files = readdirSync(dir).filter((f) => !support.includes(f)).sort();
  for (const f of files) {
    const match = FILE.exec(f);
    if (!match) {
      problems.push(`${f}: a migration file is named NNNN-name.ts (NNNN = its version)`);
      continue;
    }
    const version = Number(match[1]);
    const exported = Object.values((await import(join(dir, f))) as Record<string, unknown>);
    const m = listed.find((x) => x.version === version);
    if (!m) problems.push(`${f}: not listed in index.ts`);
    else if (exported.length !== 1 || exported[0] !== m) problems.push(`${f}: must export exactly the migration listed as version ${version}`);
    else if (m.name !== match[2]) problems.push(`${f}: the migration is named '${m.name}'; the file must be ${match[1]}-${m.name}.ts`);
  }
  for (const m of listed) {
    if (!files.some((f) => f.startsWith(`${String(m.version).padStart(4, '0')}-`))) problems.push(`migration ${m.version} (${m.name}) has no file of its own`);
  }
  return problems;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A shipped migration: version, name and the SHA-256 of the SQL it runs. */
export type Pinned = readonly [version: number, name: string, sha256: string];

/**
 * Migrations whose SQL is not what shipped. A migration not pinned yet (new, not released) is reported with the
 * line to add once it is final.
 */
export function editedMigrations(actual: readonly { version: number; name: string; sha256: string }[], shipped: readonly Pinned[]): string[] {
  const problems: string[] = [];
  for (const a of actual) {
    const pin = shipped.find(([v]) => v === a.version);
    if (!pin) problems.push(`migration ${a.version} (${a.name}) is not pinned yet; once it is final, pin it: [${a.version}, '${a.name}', '${a.sha256}']`);
    else if (pin[1] !== a.name || pin[2] !== a.sha256) {
      problems.push(`migration ${a.version} (${a.name}) is not the SQL that shipped: shipped migrations are never edited — restore it and put the change in a new migration`);
    }
  }
  for (const [v, name] of shipped) if (!actual.some((a) => a.version === v)) problems.push(`shipped migration ${v} (${name}) is missing`);
  return problems;
}
