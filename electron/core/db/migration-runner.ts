import type Database from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
  /**
   * The migration rebuilds tables that others reference (SQLite's documented 12-step procedure): foreign
   * keys are switched off around its transaction and `foreign_key_check` must come back empty before commit.
   */
  rebuildsTables?: boolean;
}

/**
 * Apply pending migrations in order, each in its own transaction together with the `user_version` bump,
 * so a migration that fails midway leaves the database exactly at the previous version.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration versions must be 1..n without gaps (found ${m.version})`);
  });
  let current = db.pragma('user_version', { simple: true }) as number;
  if (current > sorted.length) {
    throw new Error(
      `データベースのスキーマ版 (${current}) がこのアプリの対応版 (${sorted.length}) より新しいため開けません。`,
    );
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    const fk = m.rebuildsTables ? (db.pragma('foreign_keys', { simple: true }) as number) : 0;
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.up(db);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} (${m.name}) leaves ${broken.length} broken references`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables && fk) db.pragma('foreign_keys = ON');
    }
    current = m.version;
  }
  return current;
}
