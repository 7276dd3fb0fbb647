import type { ServerMigration } from './migration';

/**
 * こども医療 受給資格 in the daily job (issue 15 §2, server/jobs/ido-work.ts): the job now consumes the 喪失 candidates
 * of the 事務 kodomo (a 転出・死亡 ends the child's 受給資格, or there was none to end) and ends every 受給資格 past
 * its 18歳年度末. A candidate it has dealt with is marked with its outcome and the run; job_log counts both.
 */
export const kodomoShikakuJob: ServerMigration = {
  version: 11,
  name: 'kodomo-shikaku-job',
  sql: `
      -- open: not dealt with yet (the 事務 kokuho's stay open: its 資格 come from the 国保 system);
      -- applied: the job wrote the 喪失 into the person's 受給資格; no_shikaku: the person had none without a 喪失.
      ALTER TABLE shikaku_candidates DROP CONSTRAINT shikaku_candidates_status_check;
      ALTER TABLE shikaku_candidates ADD CONSTRAINT shikaku_candidates_status_check CHECK (status IN ('open', 'applied', 'no_shikaku'));
      ALTER TABLE shikaku_candidates ADD COLUMN done_job_id BIGINT REFERENCES job_log (job_id);
      ALTER TABLE shikaku_candidates ADD CONSTRAINT shikaku_candidates_done CHECK ((status = 'open') = (done_job_id IS NULL));

      -- こども 受給資格 ended by the run: by a 転出・死亡 candidate, and at the 18歳年度末. Candidates it closed.
      ALTER TABLE job_log ADD COLUMN kodomo_ido_losses INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE job_log ADD COLUMN kodomo_age_losses INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE job_log ADD COLUMN candidates_closed INTEGER NOT NULL DEFAULT 0;

      -- A person's 受給資格, found by the resident's record ID.
      CREATE INDEX entities_kodomo_shikaku_resident ON entities ((payload->>'resident_id')) WHERE entity = 'kodomo_shikaku';
    `,
};
