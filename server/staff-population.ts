/**
 * Which staff records each 事務's terminals hold (issue 16 §1, "staff records carry what offline login needs and
 * nothing more"). The rule is shared/sync/staff-scope.ts; this module keeps its answer in `staff_population` and
 * makes a change reach terminals the way server/population.ts does for people: every record that enters or leaves
 * some 事務 is re-drawn a server_seq (the staff row before their grants and credentials), so the next pull sends it
 * to terminals that now hold it and `dropped` to the others (server/sync.ts).
 *
 * Refreshed in full per municipality with the population (server start, the daily check, jobs, imports), which
 * also lets grants that expired since drop out; and after each pushed identity record, for its member of staff and
 * for whoever waits for them as 所属長.
 */
import type { PoolClient } from './db';
import { STAFF_ENTITIES, pendingApprovers, staffPopulation, type IdentityRecord, type StaffEntity } from '../shared/sync/staff-scope';

export interface StaffPopulationRefresh {
  /** Rows (record × 事務) after the refresh, in the part looked at. */
  members: number;
  /** Records re-drawn a server_seq (entered or left some 事務). */
  touched: number;
}

async function load(c: PoolClient, municipality: string, ids: string[] | null): Promise<IdentityRecord[]> {
  const r = await c.query<{ entity: StaffEntity; entity_id: string; payload: Record<string, unknown> }>(
    `SELECT entity, entity_id, payload FROM entities
      WHERE municipality = $1 AND entity = ANY($2::text[]) AND ($3::text[] IS NULL OR payload->>'staff_id' = ANY($3::text[]))`,
    [municipality, [...STAFF_ENTITIES], ids],
  );
  return r.rows.map((x) => ({ entity: x.entity, id: x.entity_id, payload: x.payload }));
}

/** Staff IDs with a request still waiting for one of `approvers` (their place follows the 所属長's). */
async function waitingFor(c: PoolClient, municipality: string, approvers: string[], now: string): Promise<string[]> {
  const r = await c.query<{ entity: StaffEntity; entity_id: string; payload: Record<string, unknown> }>(
    `SELECT entity, entity_id, payload FROM entities WHERE municipality = $1 AND NOT deleted AND (
        (entity = 'staff_grants' AND payload->>'approval_status' = 'pending' AND payload->>'approved_by' = ANY($2::text[]))
        OR (entity = 'authenticators' AND payload->>'approval_status' = 'pending' AND payload->>'approver' = ANY($2::text[]))
        OR (entity = 'staff' AND coalesce(payload->>'role_request', '') <> ''))`,
    [municipality, approvers],
  );
  const wanted = new Set(approvers);
  const out = new Set<string>();
  for (const row of r.rows) {
    const rec: IdentityRecord = { entity: row.entity, id: row.entity_id, payload: row.payload };
    if (pendingApprovers([rec], now).some((a) => wanted.has(a)) && typeof row.payload.staff_id === 'string') out.add(row.payload.staff_id);
  }
  return [...out];
}

/**
 * Brings `staff_population` of one municipality up to date (everyone, or the staff IDs `ids` and those waiting for
 * them as 所属長) and re-draws the server_seq of every record that entered or left. Runs inside the caller's
 * transaction, which must hold ENTITY_WRITE_LOCK.
 */
export async function refreshStaffPopulationIn(c: PoolClient, municipality: string, now: Date, ids: string[] | null = null): Promise<StaffPopulationRefresh> {
  const at = now.toISOString();
  let scope: string[] | null = null;
  let records: IdentityRecord[];
  if (ids === null) {
    records = await load(c, municipality, null);
  } else {
    if (ids.length === 0) return { members: 0, touched: 0 };
    scope = [...new Set([...ids, ...(await waitingFor(c, municipality, ids, at))])];
    records = await load(c, municipality, scope);
    // The 所属長 they wait for decide where they go: their records are read too (not refreshed).
    const inScope = new Set(scope);
    const approvers = [...new Set(pendingApprovers(records, at))].filter((a) => !inScope.has(a));
    if (approvers.length > 0) records = [...records, ...(await load(c, municipality, approvers))];
  }
  const inScope = scope === null ? null : new Set(scope);
  const wanted = staffPopulation(records, at);
  const want = new Map<string, { staffId: string; entity: string; id: string; jimu: string }>();
  for (const r of records) {
    const staffId = r.payload.staff_id;
    if (typeof staffId !== 'string' || (inScope !== null && !inScope.has(staffId))) continue;
    for (const j of wanted.get(`${r.entity}:${r.id}`) ?? []) want.set(`${r.entity}:${r.id}:${j}`, { staffId, entity: r.entity, id: r.id, jimu: j });
  }
  const current = await c.query<{ entity: string; entity_id: string; jimu: string }>(
    'SELECT entity, entity_id, jimu FROM staff_population WHERE municipality = $1 AND ($2::text[] IS NULL OR staff_id = ANY($2::text[]))',
    [municipality, scope],
  );
  const have = new Set(current.rows.map((r) => `${r.entity}:${r.entity_id}:${r.jimu}`));
  const left = current.rows.filter((r) => !want.has(`${r.entity}:${r.entity_id}:${r.jimu}`));
  const entered = [...want.entries()].filter(([k]) => !have.has(k)).map(([, v]) => v);
  if (left.length > 0) {
    await c.query(
      `DELETE FROM staff_population p USING unnest($1::text[], $2::text[], $3::text[]) AS x(entity, entity_id, jimu)
        WHERE p.entity = x.entity AND p.entity_id = x.entity_id AND p.jimu = x.jimu`,
      [left.map((r) => r.entity), left.map((r) => r.entity_id), left.map((r) => r.jimu)],
    );
  }
  if (entered.length > 0) {
    await c.query(
      `INSERT INTO staff_population (municipality, staff_id, entity, entity_id, jimu)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
      [municipality, entered.map((r) => r.staffId), entered.map((r) => r.entity), entered.map((r) => r.id), entered.map((r) => r.jimu)],
    );
  }
  const changed = new Map<string, Set<string>>();
  for (const r of [...left.map((x) => ({ entity: x.entity, id: x.entity_id })), ...entered]) {
    const set = changed.get(r.entity) ?? new Set<string>();
    set.add(r.id);
    changed.set(r.entity, set);
  }
  // The staff row first: a terminal that newly holds someone receives them before what refers to them.
  let touched = 0;
  for (const entity of STAFF_ENTITIES) {
    const idsOf = [...(changed.get(entity) ?? [])];
    if (idsOf.length === 0) continue;
    const u = await c.query(
      `UPDATE entities SET server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq'))
        WHERE entity = $1 AND entity_id = ANY($2::text[]) AND municipality = $3`,
      [entity, idsOf, municipality],
    );
    touched += u.rowCount ?? 0;
  }
  return { members: want.size, touched };
}
