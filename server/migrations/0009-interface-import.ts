import type { ServerMigration } from './migration';

/**
 * Interfaces from the municipality's systems (issue 15 §1, server/import/): the log of every file offered (applied,
 * no-op or 連携エラー), the 住民記録 items terminals have no column for, the 異動 history, and 国保 資格.
 */
export const interfaceImport: ServerMigration = {
  version: 9,
  name: 'interface-import',
  sql: `
      -- Every file offered for import, whatever became of it. Times from the server's clock. At most one applied
      -- file per interface, municipality and sequence number: the sequence has no gaps and no repeats.
      CREATE TABLE import_log (
        import_id BIGSERIAL PRIMARY KEY,
        file_name TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('cli', 'inbox')),
        interface TEXT,
        municipality TEXT,
        file_kind TEXT CHECK (file_kind IN ('FULL', 'DIFF')),
        seq BIGINT CHECK (seq > 0),
        file_sha256 TEXT NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        data_sha256 TEXT CHECK (data_sha256 ~ '^[0-9a-f]{64}$'),
        data_lines INTEGER CHECK (data_lines >= 0),
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        result TEXT NOT NULL CHECK (result IN ('applied', 'noop', 'error')),
        message TEXT,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        CHECK (result <> 'applied' OR (interface IS NOT NULL AND municipality IS NOT NULL AND seq IS NOT NULL))
      );
      CREATE UNIQUE INDEX import_log_applied_seq ON import_log (interface, municipality, seq) WHERE result = 'applied';

      -- Imported residents are entities like any other (pulled by terminals); found again by 宛名番号.
      CREATE INDEX entities_resident_atena ON entities (municipality, (payload->>'atena_no')) WHERE entity = 'residents';

      -- 住民記録 items the terminal's residents table has no column for, per resident, as last imported.
      CREATE TABLE juki_residents (
        municipality TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        relationship TEXT NOT NULL,
        true_name TEXT,
        became_resident_on DATE NOT NULL,
        ido_reason TEXT NOT NULL,
        ido_date DATE NOT NULL,
        notified_on DATE,
        removed BOOLEAN NOT NULL,
        removed_on DATE,
        import_id BIGINT NOT NULL, -- the import_log row that wrote it (no foreign key: a million per-row checks on a full load)
        PRIMARY KEY (municipality, atena_no)
      );

      -- Each 異動 line of a daily file (the feed later steps turn into work: 転出, 死亡 …).
      CREATE TABLE juki_ido (
        import_id BIGINT NOT NULL, -- the import_log row that wrote it (no foreign key: a million per-row checks on a full load)
        line_no INTEGER NOT NULL,
        municipality TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        ido_reason TEXT NOT NULL,
        ido_date DATE NOT NULL,
        notified_on DATE,
        removed BOOLEAN NOT NULL,
        PRIMARY KEY (import_id, line_no)
      );
      CREATE INDEX juki_ido_person ON juki_ido (municipality, atena_no, ido_date);

      -- 国保 被保険者資格: one row per person and 資格 period, with its 世帯's items. Server-side only (for now).
      CREATE TABLE kokuho_shikaku (
        municipality TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        acquired_on DATE NOT NULL,
        household_no TEXT NOT NULL,
        head_atena_no TEXT NOT NULL,
        insurer_no TEXT NOT NULL,
        symbol TEXT NOT NULL,
        number TEXT NOT NULL,
        branch TEXT NOT NULL,
        acquire_reason TEXT NOT NULL,
        acquire_notified_on DATE,
        lost_on DATE,
        lose_reason TEXT,
        lose_notified_on DATE,
        income_class TEXT,
        import_id BIGINT NOT NULL, -- the import_log row that wrote it (no foreign key: a million per-row checks on a full load)
        PRIMARY KEY (municipality, atena_no, acquired_on),
        CHECK (lost_on IS NULL OR lost_on >= acquired_on)
      );
      CREATE INDEX kokuho_shikaku_household ON kokuho_shikaku (municipality, household_no);
    `,
};
