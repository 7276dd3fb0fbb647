import type { ServerMigration } from './migration';

/**
 * The daily 異動 job (issue 15 §2, server/jobs/ido-work.ts): which imported 異動 files it has turned into work, a
 * log of every run (counts only), the 喪失 candidates it records for the 資格 work, and an index to find a
 * person's certificates.
 */
export const idoWork: ServerMigration = {
  version: 10,
  name: 'ido-work',
  sql: `
      -- Every run of a server job, whatever became of it: counts only, never content. Times from the server's clock.
      CREATE TABLE job_log (
        job_id BIGSERIAL PRIMARY KEY,
        job TEXT NOT NULL CHECK (job IN ('ido-work')),
        source TEXT NOT NULL CHECK (source IN ('timer', 'cli')),
        result TEXT NOT NULL CHECK (result IN ('done', 'error')),
        files INTEGER NOT NULL DEFAULT 0,
        ido_lines INTEGER NOT NULL DEFAULT 0,
        removals INTEGER NOT NULL DEFAULT 0,
        certificates INTEGER NOT NULL DEFAULT 0,
        candidates INTEGER NOT NULL DEFAULT 0,
        message TEXT,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL
      );

      -- The processed marker: an applied 異動 file (import_log) the job has turned into work, and by which run.
      CREATE TABLE juki_ido_processed (
        import_id BIGINT PRIMARY KEY,
        job_id BIGINT NOT NULL REFERENCES job_log (job_id)
      );

      -- 喪失 candidates: a 転出 or 死亡 of a person, one row per 事務 with 資格, for the 資格 work to decide
      -- (open → later steps). Recorded only; nothing consumes them yet.
      CREATE TABLE shikaku_candidates (
        candidate_id BIGSERIAL PRIMARY KEY,
        municipality TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        jimu TEXT NOT NULL,
        loss_reason TEXT NOT NULL,
        ido_date DATE NOT NULL,
        notified_on DATE,
        import_id BIGINT NOT NULL,
        line_no INTEGER NOT NULL,
        job_id BIGINT NOT NULL REFERENCES job_log (job_id),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open')),
        created_at TIMESTAMPTZ NOT NULL,
        UNIQUE (municipality, atena_no, jimu, loss_reason, ido_date)
      );

      -- A person's certificates, found by the resident's record ID.
      CREATE INDEX entities_certificate_resident ON entities ((payload->>'resident_id')) WHERE entity = 'certificates';
    `,
};
