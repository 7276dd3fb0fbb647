import type { ServerMigration } from './migration';

/**
 * 保護受給 from the 生活保護 system (issue 17, docs/interfaces/seiho.md, server/import/import.ts applySeiho): one row
 * per ケース番号, 宛名番号 and 保護開始年月日, with its 開始・変更・廃止, 地区担当員, 扶助の種類 and 福祉事務所コード (the
 * last stays on the server). `resident_id` is the resident found by 宛名番号 in the municipality; NULL while none is
 * held (the line is kept, and becomes a 'seiho_jukyu' entity for terminals of the 事務 seikatsu once the resident
 * arrives). No 個人番号 (seed 001).
 */
export const seihoJukyu: ServerMigration = {
  version: 18,
  name: 'seiho-jukyu',
  sql: `
      CREATE TABLE seiho_jukyu (
        municipality TEXT NOT NULL,
        case_no TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        started_on DATE NOT NULL,
        household_no TEXT NOT NULL,
        head_flag TEXT NOT NULL CHECK (head_flag IN ('1', '2')),
        changed_on DATE,
        ended_on DATE,
        change_reason TEXT NOT NULL,
        caseworker TEXT NOT NULL,
        aid_kinds TEXT NOT NULL,
        office_code TEXT NOT NULL,
        resident_id TEXT,
        import_id BIGINT NOT NULL, -- the import_log row that last wrote it: its line, or the import that found its resident
        PRIMARY KEY (municipality, case_no, atena_no, started_on),
        CHECK (ended_on IS NULL OR ended_on > started_on),
        CHECK (changed_on IS NULL OR changed_on >= started_on)
      );
      CREATE INDEX seiho_jukyu_held ON seiho_jukyu (municipality, atena_no) WHERE resident_id IS NULL;
      CREATE INDEX seiho_jukyu_import ON seiho_jukyu (import_id);
    `,
};
