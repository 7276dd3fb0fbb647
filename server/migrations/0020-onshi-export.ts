import type { ServerMigration } from './migration';

/**
 * The オンライン資格確認 export (issue 17, server/export/onshi.ts, docs/interfaces/online-shikaku.md): every ONSHI file
 * the server produced for the policy's outbox, or tried to (export_log); what each record key was last sent as
 * (onshi_sent: a DIFF carries the records whose content differs from it); and the job name 'onshi-export' in job_log
 * (one row per run, for the daily timer).
 */
export const onshiExport: ServerMigration = {
  version: 20,
  name: 'onshi-export',
  sql: `
      -- Every ONSHI file written to the outbox (written), or refused (error: a 連携エラー or a failure; no file in the
      -- outbox). Times from the server's clock. One written file per municipality and sequence number (ファイル連番).
      CREATE TABLE export_log (
        export_id BIGSERIAL PRIMARY KEY,
        interface TEXT NOT NULL CHECK (interface IN ('ONSHI')),
        municipality TEXT NOT NULL CHECK (municipality ~ '^[0-9]{6}$'),
        source TEXT NOT NULL CHECK (source IN ('timer', 'cli')),
        file_kind TEXT NOT NULL CHECK (file_kind IN ('FULL', 'DIFF')),
        seq BIGINT NOT NULL CHECK (seq > 0),
        file_name TEXT NOT NULL,
        qualification_records INTEGER NOT NULL DEFAULT 0 CHECK (qualification_records >= 0),
        ticket_records INTEGER NOT NULL DEFAULT 0 CHECK (ticket_records >= 0),
        -- 券 already sent that were since cancelled or superseded: the definition has no 取消 record (reported, not sent).
        withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn >= 0),
        file_sha256 TEXT CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        data_sha256 TEXT CHECK (data_sha256 ~ '^[0-9a-f]{64}$'),
        result TEXT NOT NULL CHECK (result IN ('written', 'error')),
        message TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        CHECK (result <> 'written' OR (file_sha256 IS NOT NULL AND data_sha256 IS NOT NULL))
      );
      CREATE UNIQUE INDEX export_log_written_seq ON export_log (interface, municipality, seq) WHERE result = 'written';

      -- What each ONSHI record was last sent as: its key (レコード種別 + numbers, 券 + 交付番号), the SHA-256 of its
      -- D line, the record it came from, and the file. A 券 sent and later cancelled is counted once (withdrawn_export_id).
      CREATE TABLE onshi_sent (
        municipality TEXT NOT NULL,
        record_key TEXT NOT NULL,
        line_sha256 TEXT NOT NULL CHECK (line_sha256 ~ '^[0-9a-f]{64}$'),
        source_entity TEXT NOT NULL CHECK (source_entity IN ('residents', 'certificates')),
        source_id TEXT NOT NULL,
        export_id BIGINT NOT NULL REFERENCES export_log (export_id),
        withdrawn_export_id BIGINT REFERENCES export_log (export_id),
        PRIMARY KEY (municipality, record_key)
      );
      CREATE INDEX onshi_sent_source ON onshi_sent (source_entity, source_id);

      -- The 医療券・調剤券 the export reads, by municipality and end of validity (a partial index: 0 rows for other 証).
      CREATE INDEX entities_seikatsu_tickets ON entities (municipality, (payload->>'valid_to'))
        WHERE entity = 'certificates' AND payload->>'cert_type' IN ('seikatsu_iryo', 'seikatsu_chozai');

      ALTER TABLE job_log DROP CONSTRAINT job_log_job_check;
      ALTER TABLE job_log ADD CONSTRAINT job_log_job_check CHECK (job IN ('ido-work', 'retention-purge', 'onshi-export'));
    `,
};
