import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editedMigrations, migrationFolderProblems, sha256, type Pinned } from '../../../../testing/migrations';
import { tempDir } from '../../../../testing/db';
import { databasePath, keyFilePath } from '../../app-core';
import { openDatabase, type Db } from '../database';
import { FileKeyProvider } from '../file-key-provider';
import type { Migration } from '../migration-runner';
import { dumpSchema } from '../schema-dump';
import { MIGRATIONS } from '../schema';

/**
 * The terminal migrations as they shipped: SHA-256 over the SQL each one runs (its `exec`/`prepare` texts, each
 * prefixed with the method, joined by NUL). Pinned from the single schema.ts of f3567c3, before the split into
 * one file per migration. Databases in the field have run exactly this; never change a line here — a schema
 * change is a new migration, pinned here once it is final.
 */
const SHIPPED: readonly Pinned[] = [
  [1, 'foundation', '38d67aebd8eefb8aa07bd2c1fc91b72c0e18196ba5fc36410b69f997830aa1a7'],
  [2, 'identity-and-access', '44639e61674b293bb7558541d0642710a580e31dfbbf37e4713d5a2475dd3897'],
  [3, 'sync-state', '077fca094273523ddc7d48c7a82d770ed78d550b5ad51623195c1da992525cbc'],
  [4, 'sync-snapshot', '619af71240a011d08ef28fb41a72aa32383c6a0348ab6e70d0bd3e03771497bb'],
  [5, 'claims', '0411fc30aa4df5083de62acd051db5cd079ed1951f081e379d925cf76501aa7c'],
  [6, 'certificate-lifecycle', 'c7de00b37d691c70110a8e34fa04bc6d7778a7f655acd38056bd8d060704fcbf'],
  [7, 'audit-review-export', 'e3e920bb354baf30b0fc5da7ee33c6750c9b07b728f258771120586ad52e53b3'],
  [8, 'audit-checkpoints', '115da6236f983b931c801bc21daefd83403e30151530cc17f4ab4acc46695db7'],
  [9, 'audit-retention', '7dacb1b7f1f8a9f3203c30276a0860dc182801bfdb301e11510b85c91aea7b7e'],
  [10, 'rule-profiles', 'c2afbc74e7b45e51b6da52086728832891391ed4f0e50e55d5e1db10fc1891b3'],
  [11, 'identity-approvals', 'b2f9b0bcd1c2c6d357c4a33301b8393110addc6a4cb999512d9543a9b0a8c590'],
  [12, 'kokuho-shikaku', '01a81417b44eba7bd925db9e37894a1b12f109bd0a90820d6b4304a47e024405'],
  [13, 'kodomo-shikaku', '902d1203b06df3baf761163e8ceb70dac459ac30526ad1dbdd23c00081a20dfe'],
  [14, 'retention-purge', 'a9278d5c3aaa6964e4ef3fb57f15678840ef59f0cdcc72b533d2398bbd88a6a0'],
  [15, 'no-my-number', '54d75a2de544ab4654e7b3ae8010b94052c23c855427fd3c0a03170d71254684'],
  [16, 'sync-waiting', 'bf4a604734bb141a94c0b3ff1a852f4060f9f02d6db01fcbcc0783953ee1bbac'],
  [17, 'seiho-jukyu', 'f9cff0012af6ed5ac3e97f9ebfff173b487390e0c9b8c564ac7246e9a93ab0b2'],
  [18, 'audit-append-indexes', '35550beb90806bbcdcf293fd38a120490a0d1790bc8078cd82400ad342223489'],
  [19, 'fujo-flows', '51ce13c6f0cfa124ebc0ab9559e626a90ee0cf1452f338a48ad4a0f168d65f5a'],
  [20, 'seikatsu-tickets', '36cf7c4d1bae49760336364658595a3bc6c2e49955552754fd23f1b6943e39a9'],
  [21, 'audit-log-lean', 'b6ab3dd1fc363de03c249294ff50a0e7fe243428c8a8989f14573eebc5a8f3ae'],
];

const SNAPSHOT = join(import.meta.dirname, '../schema.snapshot.sql');

let dir: string;
beforeEach(() => (dir = tempDir()));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const open = (migrations: readonly Migration[] = MIGRATIONS): Db =>
  openDatabase({ path: databasePath(dir), keyProvider: new FileKeyProvider(keyFilePath(dir)), migrations });

/** Each migration's SQL as it runs against a real database (the runner's own pragmas are not part of it). */
function executedSql(migrations: readonly Migration[]): Map<number, string[]> {
  const executed = new Map<number, string[]>();
  const recording = migrations.map((m): Migration => ({
    ...m,
    up(db) {
      const log: string[] = [];
      executed.set(m.version, log);
      const proxy = new Proxy(db, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (prop === 'exec' || prop === 'prepare') {
            return (sql: string) => {
              log.push(`${prop}:${sql}`);
              return (value as (sql: string) => unknown).call(target, sql);
            };
          }
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      m.up(proxy);
    },
  }));
  open(recording).close();
  return executed;
}

const actualShas = (migrations: readonly Migration[] = MIGRATIONS) => {
  const executed = executedSql(migrations);
  return migrations.map((m) => ({ version: m.version, name: m.name, sha256: sha256((executed.get(m.version) ?? []).join('\u0000')) }));
};

describe('terminal migrations: one file each, never edited once shipped', () => {
  it('every migrations/NNNN-name.ts holds the migration of that version and name, and index.ts lists them all in order', async () => {
    expect(await migrationFolderProblems(join(import.meta.dirname, '../migrations'), MIGRATIONS, ['index.ts', 'domain-columns.ts', 'README.md'])).toEqual([]);
  });

  it('each migration runs exactly the SQL it shipped with', () => {
    expect(editedMigrations(actualShas(), SHIPPED)).toEqual([]);
  });

  it('an edited shipped migration is refused; a new one is asked to be pinned', () => {
    const addIndex = (m: Migration): Migration => ({
      ...m,
      up(db) {
        m.up(db);
        db.exec('CREATE INDEX sync_state_value ON sync_state (value)');
      },
    });
    const edited = MIGRATIONS.map((m) => (m.version === 3 ? addIndex(m) : m));
    const added: Migration = { version: MIGRATIONS.length + 1, name: 'scratch', up: (db) => db.exec('ALTER TABLE residents ADD COLUMN scratch TEXT') };
    const problems = editedMigrations(actualShas([...edited, added]), SHIPPED);
    expect(problems).toEqual([
      expect.stringMatching(/^migration 3 \(sync-state\) is not the SQL that shipped: shipped migrations are never edited/),
      expect.stringMatching(new RegExp(`^migration ${added.version} \\(scratch\\) is not pinned yet; once it is final, pin it: \\[${added.version}, 'scratch', '[0-9a-f]{64}'\\]$`)),
    ]);
  });
});

describe('schema snapshot (electron/core/db/schema.snapshot.sql)', () => {
  it('is the schema of a freshly migrated database', () => {
    const db = open();
    let actual: string;
    try {
      actual = dumpSchema(db);
    } finally {
      db.close();
    }
    expect(
      actual,
      'electron/core/db/schema.snapshot.sql is not the schema the migrations produce. After adding a migration, run ' +
        '`npm run schema:snapshot` and commit the snapshot with it (shipped migrations are never edited: a change is a new migration).',
    ).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('shows every table, index, trigger and view with its SQL, the ALTER TABLE columns in place', () => {
    const text = readFileSync(SNAPSHOT, 'utf8');
    const db = open();
    try {
      const objects = db.prepare<[], { type: string; name: string }>(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all();
      expect(objects.length).toBeGreaterThan(50);
      for (const o of objects) expect(text).toMatch(new RegExp(`^-- ${o.type} ${o.name}( on [a-z_]+)?$`, 'm'));
    } finally {
      db.close();
    }
    // Migration 2 added these to staff and dropped can_reveal_my_number; migration 11 added the role request after them.
    expect(text).toContain('  may_self_enroll INTEGER NOT NULL DEFAULT 0 CHECK (may_self_enroll IN (0,1)),\n  role_request TEXT');
    expect(text).toContain('  role_approval_json TEXT CHECK (role_approval_json IS NULL OR json_valid(role_approval_json))\n);');
    expect(text).not.toContain('can_reveal_my_number');
  });
});
