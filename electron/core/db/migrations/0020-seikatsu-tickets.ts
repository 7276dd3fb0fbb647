import type { Migration } from '../migration-runner';

/**
 * 生活保護の給付券 (issue 17): 医療券・調剤券・介護券 are certificates of which a person holds many valid at once —
 * one per month, 指定機関 and 診療別 (shared/domain/seikatsu/ticket.ts) — so the one-valid-per-person-and-type index
 * leaves them out, and a second index holds them to one valid ticket per recipient, month, 指定機関 and 診療別
 * (the 診療別 sets of the three types do not overlap, as in findDuplicateTicket).
 *
 * (Reserved as terminal migration 0020; numbered 18 on its branch because the runner allows no gaps.)
 */
export const seikatsuTickets: Migration = {
  version: 20,
  name: 'seikatsu-tickets',
  up(db) {
    db.exec(`
      DROP INDEX certificates_one_valid;
      CREATE UNIQUE INDEX certificates_one_valid ON certificates (resident_id, cert_type)
        WHERE status = 'valid' AND deleted = 0 AND cert_type NOT IN ('seikatsu_iryo', 'seikatsu_chozai', 'seikatsu_kaigo');
      CREATE UNIQUE INDEX certificates_one_ticket ON certificates (resident_id, json_extract(details_json, '$.month'),
        json_extract(details_json, '$.institutionCode'), json_extract(details_json, '$.shinryo'))
        WHERE status = 'valid' AND deleted = 0 AND cert_type IN ('seikatsu_iryo', 'seikatsu_chozai', 'seikatsu_kaigo');
    `);
  },
};
