/**
 * The central server's PostgreSQL migrations, in order: one file each (`NNNN-name.ts`, NNNN = version), applied
 * by `migrate` in server/db.ts and recorded in `schema_migrations`.
 *
 * Shipped migrations are never edited — server databases have already run them. A change to the schema is a new
 * file, added at the end of this list; then regenerate `../schema.snapshot.sql` with `npm run schema:snapshot`.
 * server/__tests__/schema.test.ts pins each shipped migration's SQL (SHA-256) and compares the snapshot with a
 * freshly migrated database.
 */
import type { ServerMigration } from './migration';
import { syncFoundation } from './0001-sync-foundation';
import { numberLeases } from './0002-number-leases';
import { staffSessions } from './0003-staff-sessions';
import { pullScope } from './0004-pull-scope';
import { auditEntries } from './0005-audit-entries';
import { auditCheckpoints } from './0006-audit-checkpoints';
import { staffSessionsPerMunicipality } from './0007-staff-sessions-per-municipality';
import { identityApprovals } from './0008-identity-approvals';
import { interfaceImport } from './0009-interface-import';
import { idoWork } from './0010-ido-work';
import { kodomoShikakuJob } from './0011-kodomo-shikaku-job';
import { retiredTerminals } from './0012-retired-terminals';
import { retentionPurgeJob } from './0013-retention-purge-job';
import { mynumberAccess } from './0014-mynumber-access';
import { mynumberConfirmations } from './0015-mynumber-confirmations';
import { population } from './0016-population';
import { mynumberConfirmationDecisions } from './0017-mynumber-confirmation-decisions';
import { seihoJukyu } from './0018-seiho-jukyu';
import { staffPopulation } from './0019-staff-population';
import { onshiExport } from './0020-onshi-export';
import { seikatsuLookups } from './0021-seikatsu-lookups';

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  syncFoundation,
  numberLeases,
  staffSessions,
  pullScope,
  auditEntries,
  auditCheckpoints,
  staffSessionsPerMunicipality,
  identityApprovals,
  interfaceImport,
  idoWork,
  kodomoShikakuJob,
  retiredTerminals,
  retentionPurgeJob,
  mynumberAccess,
  mynumberConfirmations,
  population,
  mynumberConfirmationDecisions,
  seihoJukyu,
  staffPopulation,
  onshiExport,
  seikatsuLookups,
];
