/**
 * The terminal database's migrations, in order: one file each (`NNNN-name.ts`, NNNN = version).
 *
 * Shipped migrations are never edited — terminals in the field have already run them, and `user_version` says
 * so. A change to the schema is a new file, added at the end of this list; then regenerate
 * `../schema.snapshot.sql` with `npm run schema:snapshot`. The tests in `../__tests__/schema.test.ts` pin each
 * shipped migration's SQL (SHA-256) and compare the snapshot with a freshly migrated database.
 */
import type { Migration } from '../migration-runner';
import { foundation } from './0001-foundation';
import { identityAndAccess } from './0002-identity-and-access';
import { syncState } from './0003-sync-state';
import { syncSnapshot } from './0004-sync-snapshot';
import { claims } from './0005-claims';
import { certificateLifecycle } from './0006-certificate-lifecycle';
import { auditReviewExport } from './0007-audit-review-export';
import { auditCheckpoints } from './0008-audit-checkpoints';
import { auditRetention } from './0009-audit-retention';
import { ruleProfiles } from './0010-rule-profiles';
import { identityApprovals } from './0011-identity-approvals';
import { kokuhoShikaku } from './0012-kokuho-shikaku';
import { kodomoShikaku } from './0013-kodomo-shikaku';
import { retentionPurge } from './0014-retention-purge';
import { noMyNumber } from './0015-no-my-number';
import { syncWaiting } from './0016-sync-waiting';
import { seihoJukyu } from './0017-seiho-jukyu';
import { auditAppendIndexes } from './0018-audit-append-indexes';
import { fujoFlows } from './0019-fujo-flows';
import { seikatsuTickets } from './0020-seikatsu-tickets';
import { auditLogLean } from './0021-audit-log-lean';

export const MIGRATIONS: readonly Migration[] = [
  foundation,
  identityAndAccess,
  syncState,
  syncSnapshot,
  claims,
  certificateLifecycle,
  auditReviewExport,
  auditCheckpoints,
  auditRetention,
  ruleProfiles,
  identityApprovals,
  kokuhoShikaku,
  kodomoShikaku,
  retentionPurge,
  noMyNumber,
  syncWaiting,
  seihoJukyu,
  auditAppendIndexes,
  fujoFlows,
  seikatsuTickets,
  auditLogLean,
];
