/**
 * BENCH ONLY — the size a kodomo-only terminal's database would have (issue 16 §1/§5), measured on a copy of the
 * bench's full encrypted database: the copy is opened through openDatabase, everyone outside the こども医療
 * population is deleted, then VACUUM and wal_checkpoint(TRUNCATE), and the file is measured.
 *
 * The population is the rule terminals get from the server (shared/domain/population.ts, the profile's default
 * こども settings): children from birth through the 18歳年度末 on `today` (as birth-date bounds), their 保護者
 * (resident_guardians), and anyone a kodomo record names — a こども医療 受給資格 (its holder and 保護者), a kodomo claim
 * (対象者 and 申請者), a kodomo certificate (対象者 and 保護者).
 * Records are kept only for members; 国保 資格 and 接種歴 (other 事務's records) are dropped entirely. The copy's
 * audit_log (the bench's own search entries, append-only) is left as it is (a few MiB at most).
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../electron/core/db/database';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { populationRules } from '../shared/domain/population';
import { populationSettingsSchema } from '../shared/domain/profile';

export interface KodomoCopy {
  bytes: number;
  residents: number;
  children: number;
  /** 保護者 of those children who are not children themselves. */
  guardians: number;
  /** Kept only because a kodomo record names them (e.g. a 受給資格 holder past the 18歳年度末 whose record was not lost). */
  namedByRecords: number;
  ms: number;
}

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** `srcPath` must be checkpointed (wal_checkpoint(TRUNCATE)) by its own connection before this is called. */
export function kodomoOnlyCopy(srcPath: string, srcKeyPath: string, workDir: string, today: string): KodomoCopy {
  const t0 = performance.now();
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const path = join(workDir, 'madoguchi.db');
  const keyPath = join(workDir, 'db.key');
  copyFileSync(srcPath, path);
  copyFileSync(srcKeyPath, keyPath);
  const db = openDatabase({ path, keyProvider: new FileKeyProvider(keyPath) });
  try {
    // VACUUM rewrites every page anyway; overwriting each deleted row first would only add time. Foreign keys are
    // checked once at the end (foreign_key_check) instead of row by row.
    db.pragma('secure_delete = OFF');
    db.pragma('foreign_keys = OFF');
    const band = populationRules(populationSettingsSchema.parse({}), today).find((r) => r.jimu === 'kodomo')!.bands[0]!;
    db.transaction(() => {
      db.exec('CREATE TEMP TABLE kodomo_children (id TEXT PRIMARY KEY) WITHOUT ROWID');
      db.exec('CREATE TEMP TABLE kodomo_keep (id TEXT PRIMARY KEY) WITHOUT ROWID');
      db.prepare('INSERT INTO kodomo_children SELECT id FROM residents WHERE deleted = 0 AND birth_date <= ? AND birth_date >= ?').run(band.bornOnOrBefore, band.bornOnOrAfter);
      db.exec(`
        INSERT OR IGNORE INTO kodomo_keep SELECT id FROM kodomo_children;
        INSERT OR IGNORE INTO kodomo_keep SELECT guardian_id FROM resident_guardians WHERE deleted = 0 AND child_id IN (SELECT id FROM kodomo_children);
        CREATE TEMP TABLE kodomo_family AS SELECT count(*) AS n FROM kodomo_keep;
        INSERT OR IGNORE INTO kodomo_keep SELECT resident_id FROM kodomo_shikaku WHERE deleted = 0;
        INSERT OR IGNORE INTO kodomo_keep SELECT guardian_id FROM kodomo_shikaku WHERE deleted = 0 AND guardian_id IS NOT NULL;
        INSERT OR IGNORE INTO kodomo_keep SELECT resident_id FROM claims WHERE deleted = 0 AND claim_kind LIKE 'kodomo\\_%' ESCAPE '\\';
        INSERT OR IGNORE INTO kodomo_keep SELECT applicant_id FROM claims WHERE deleted = 0 AND claim_kind LIKE 'kodomo\\_%' ESCAPE '\\' AND applicant_id IS NOT NULL;
        INSERT OR IGNORE INTO kodomo_keep SELECT resident_id FROM certificates WHERE deleted = 0 AND cert_type = 'kodomo';
        INSERT OR IGNORE INTO kodomo_keep SELECT guardian_id FROM certificates WHERE deleted = 0 AND cert_type = 'kodomo' AND guardian_id IS NOT NULL;
        DELETE FROM kokuho_shikaku;
        DELETE FROM vaccination_records;
      `);
      // Every row that names a resident outside the population, in any table with a reference to residents.
      const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all();
      for (const { name } of tables) {
        if (name === 'residents') continue;
        const refs = (db.pragma(`foreign_key_list("${name}")`) as { table: string; from: string }[]).filter((f) => f.table === 'residents');
        for (const f of refs) db.exec(`DELETE FROM "${name}" WHERE "${f.from}" IS NOT NULL AND "${f.from}" NOT IN (SELECT id FROM kodomo_keep)`);
      }
      db.exec('DELETE FROM residents WHERE id NOT IN (SELECT id FROM kodomo_keep)');
    })();
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`kodomo-only copy: ${broken.length} broken references after the deletes`);
    const children = count(db, 'SELECT count(*) AS n FROM kodomo_children');
    const family = count(db, 'SELECT n FROM kodomo_family');
    db.exec('DROP TABLE kodomo_children; DROP TABLE kodomo_keep; DROP TABLE kodomo_family;');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const residents = count(db, 'SELECT count(*) AS n FROM residents');
    db.close();
    return { bytes: statSync(path).size, residents, children, guardians: family - children, namedByRecords: residents - family, ms: performance.now() - t0 };
  } catch (e) {
    db.close();
    throw e;
  }
}
