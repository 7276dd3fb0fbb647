import type { ServerMigration } from './migration';

/**
 * Issue 17: the lookups the server makes on every pushed 生活保護 record, by person. A pushed 扶助 flow is checked
 * against the person's 保護受給 (seiho_jukyu by municipality and resident, server/fujo.ts); a pushed 給付券 against
 * the person's flows (fujo_flows entities by municipality and resident, server/sync.ts ticketFlowProblem) and their
 * other 給付券 (the duplicate check). Without these each push scans the municipality's rows.
 */
export const seikatsuLookups: ServerMigration = {
  version: 21,
  name: 'seikatsu-lookups',
  sql: `
      CREATE INDEX seiho_jukyu_resident ON seiho_jukyu (municipality, resident_id) WHERE resident_id IS NOT NULL;
      CREATE INDEX entities_seikatsu_person ON entities (municipality, (payload->>'resident_id'))
        WHERE entity IN ('fujo_flows', 'certificates');
    `,
};
