import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * 医療扶助・介護扶助 flows of the 福祉事務所 (issue 17; shared/domain/seikatsu/flows.ts): one row per flow, entered and
 * advanced at a terminal serving 生活保護 (the 事務 seikatsu) and synced ('fujo_flows', scoped to seikatsu). The
 * whole record (state, facts, who entered/checked, history) is `record_json` (a FlowRecord); `kind`, `state` and
 * `applied_on` are copies for lists and queues; `proofs_json` holds the members' signatures of the checks and 決裁
 * (shared/domain/seikatsu/step-proof.ts) by history index. The central server replays the history through the same state
 * machine before it accepts a version (server/fujo.ts). Names its person (resident_id): the person is in the
 * 事務's population (shared/domain/population.ts). `flow_no`: the 受付番号, numbered per terminal and day like claims.
 */
export const fujoFlows: Migration = {
  version: 19,
  name: 'fujo-flows',
  up(db) {
    db.exec(`
      CREATE TABLE fujo_flows (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        flow_no TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('iryo_ikensho', 'iryo_direct', 'kaigo')),
        state TEXT NOT NULL CHECK (state IN ('received', 'tahou_queried', 'tahou_answered', 'opinion_issued', 'opinion_returned',
          'doctor_reviewed', 'insurance_queried', 'insurance_answered', 'checked', 'decided', 'rejected', 'plan_requested',
          'plan_received', 'abolish_proposed', 'abolish_checked', 'abolished')),
        applied_on TEXT NOT NULL,
        record_json TEXT NOT NULL CHECK (json_valid(record_json)),
        proofs_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(proofs_json))
      );
      CREATE INDEX fujo_flows_resident ON fujo_flows (resident_id, applied_on) WHERE deleted = 0;
      CREATE INDEX fujo_flows_state ON fujo_flows (state) WHERE deleted = 0;
      CREATE UNIQUE INDEX fujo_flows_no ON fujo_flows (flow_no) WHERE deleted = 0;
    `);
  },
};
