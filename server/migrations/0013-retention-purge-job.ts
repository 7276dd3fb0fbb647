import type { ServerMigration } from './migration';

/**
 * The retention purge job (issue 16 §3, server/jobs/retention-purge.ts) writes its runs to job_log beside the
 * 異動 job: the job names it may carry gain 'retention-purge'. Its counts: certificates in `certificates`, all
 * of them in `message`.
 */
export const retentionPurgeJob: ServerMigration = {
  version: 13,
  name: 'retention-purge-job',
  sql: `
      ALTER TABLE job_log DROP CONSTRAINT job_log_job_check;
      ALTER TABLE job_log ADD CONSTRAINT job_log_job_check CHECK (job IN ('ido-work', 'retention-purge'));
    `,
};
