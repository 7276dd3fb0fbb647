/**
 * Who each 事務's terminals hold (issue 16 §1). The rule is shared/domain/population.ts (birth-date bounds from the
 * profile's age bands, 保護者, 国保 世帯, records of the 事務); this module keeps its answer in `population` and makes
 * the change reach terminals: everyone who enters or leaves some 事務's population has their own records
 * (residents, health_insurance, resident_guardians) re-drawn a server_seq, so the next pull sends them to terminals
 * that now hold them, and tells terminals that no longer do to drop them (pull's `dropped` changes, server/sync.ts).
 *
 * Refreshed in full per municipality when the day or the rules changed (server start, the daily check, a profile
 * publication, an import, a job), and for the people named by each push batch right after it. A full refresh also
 * brings the staff records terminals hold up to date (server/staff-population.ts: grants that expired since drop out).
 */
import { createHash } from 'node:crypto';
import { ENTITY_WRITE_LOCK, withTransaction, type Pool, type PoolClient } from './db';
import { publishedProfile, publishedProfiles } from './profiles';
import { JIMU } from '../shared/domain/rights';
import { populationSettingsSchema, type PopulationSettings } from '../shared/domain/profile';
import { PERSON_REFERENCE_FIELDS, populationRules, type JimuPopulationRule } from '../shared/domain/population';
import { todayInJapan } from '../shared/domain/wareki';
import { refreshStaffPopulationIn } from './staff-population';

export interface PopulationRefresh {
  municipality: string;
  /** Members (person × 事務) after the refresh. */
  members: number;
  entered: number;
  left: number;
  /** People whose records were re-drawn a server_seq (entered or left some 事務). */
  touched: number;
}

const DEFAULTS: PopulationSettings = populationSettingsSchema.parse({});

async function settingsOf(c: PoolClient, municipality: string): Promise<PopulationSettings> {
  return (await publishedProfile(c, municipality))?.population ?? DEFAULTS;
}

/** Municipalities that hold residents or staff. */
async function municipalities(c: Pool | PoolClient): Promise<string[]> {
  const r = await c.query<{ municipality: string }>("SELECT DISTINCT municipality FROM entities WHERE entity IN ('residents', 'staff') AND municipality IS NOT NULL ORDER BY 1");
  return r.rows.map((x) => x.municipality);
}

const REF_VALUES = PERSON_REFERENCE_FIELDS.map((f) => `(e.payload->>'${f}')`).join(', ');

/**
 * Fills the temporary table `want(jimu, resident_id)` with the population of `municipality` on the day the rules
 * were resolved for; `ids` restricts it to those people (null: everyone).
 */
async function computeWanted(c: PoolClient, municipality: string, rules: JimuPopulationRule[], today: string, ids: string[] | null): Promise<void> {
  await c.query('CREATE TEMP TABLE IF NOT EXISTS want (jimu TEXT NOT NULL, resident_id TEXT NOT NULL) ON COMMIT DROP');
  await c.query('TRUNCATE want');
  const onlyIds = (col: string, n: number) => `($${n}::text[] IS NULL OR ${col} = ANY($${n}::text[]))`;
  for (const rule of rules) {
    for (const band of rule.bands) {
      const bandSql = `(r.payload->>'birth_date') <= $3 AND ($4::text IS NULL OR (r.payload->>'birth_date') >= $4)`;
      await c.query(
        `INSERT INTO want SELECT $2, r.entity_id FROM entities r
          WHERE r.entity = 'residents' AND NOT r.deleted AND r.municipality = $1 AND ${bandSql} AND ${onlyIds('r.entity_id', 5)}`,
        [municipality, rule.jimu, band.bornOnOrBefore, band.bornOnOrAfter, ids],
      );
      if (rule.guardians) {
        await c.query(
          `INSERT INTO want SELECT $2, g.payload->>'guardian_id' FROM entities g
             JOIN entities r ON r.entity = 'residents' AND r.entity_id = g.payload->>'child_id' AND NOT r.deleted AND r.municipality = $1
            WHERE g.entity = 'resident_guardians' AND NOT g.deleted AND g.municipality = $1 AND ${bandSql}
              AND g.payload->>'guardian_id' IS NOT NULL AND ${onlyIds("g.payload->>'guardian_id'", 5)}`,
          [municipality, rule.jimu, band.bornOnOrBefore, band.bornOnOrAfter, ids],
        );
      }
    }
    if (rule.jimu === 'kokuho') {
      // Anyone holding a 国保 資格 record; with `households`, everyone of a 世帯 with a current one.
      await c.query(
        `INSERT INTO want SELECT 'kokuho', r.entity_id FROM entities r
          WHERE r.entity = 'residents' AND NOT r.deleted AND r.municipality = $1 AND ${onlyIds('r.entity_id', 2)}
            AND (EXISTS (SELECT 1 FROM kokuho_shikaku k WHERE k.municipality = $1 AND k.atena_no = r.payload->>'atena_no')
                 OR ($3 AND EXISTS (SELECT 1 FROM kokuho_shikaku k WHERE k.municipality = $1 AND k.household_no = r.payload->>'household_no'
                                     AND (k.lost_on IS NULL OR k.lost_on > $4::date))))`,
        [municipality, ids, rule.kokuhoHouseholds, today],
      );
    }
  }
  // Everyone a record of a 事務 names (証, 請求 and its 申請者, 受給資格 and its 保護者, 接種歴 …).
  await c.query(
    `INSERT INTO want SELECT e.jimu, v.ref FROM entities e CROSS JOIN LATERAL (VALUES ${REF_VALUES}) AS v(ref)
      WHERE e.municipality = $1 AND e.jimu = ANY($2::text[]) AND NOT e.deleted AND v.ref IS NOT NULL AND ${onlyIds('v.ref', 3)}`,
    [municipality, [...JIMU], ids],
  );
}

/**
 * Brings `population` of one municipality up to date (everyone, or only `ids` and the people linked to them as
 * 保護者 or child) and re-draws the server_seq of the own records of everyone who entered or left. Runs inside the
 * caller's transaction, which must hold ENTITY_WRITE_LOCK.
 */
export async function refreshPopulationIn(c: PoolClient, municipality: string, now: Date, ids: string[] | null = null): Promise<PopulationRefresh> {
  const today = todayInJapan(now);
  const rules = populationRules(await settingsOf(c, municipality), today);
  let scope = ids;
  if (scope !== null) {
    if (scope.length === 0) return { municipality, members: 0, entered: 0, left: 0, touched: 0 };
    // A child's membership makes their 保護者 members; a 保護者's records do not change the child's, but both are
    // looked at again so the links between them (resident_guardians) are sent or dropped together.
    const linked = await c.query<{ id: string }>(
      `SELECT DISTINCT x.id FROM entities g CROSS JOIN LATERAL (VALUES (g.payload->>'child_id'), (g.payload->>'guardian_id')) AS x(id)
        WHERE g.entity = 'resident_guardians' AND NOT g.deleted AND g.municipality = $1
          AND (g.payload->>'child_id' = ANY($2::text[]) OR g.payload->>'guardian_id' = ANY($2::text[])) AND x.id IS NOT NULL`,
      [municipality, scope],
    );
    scope = [...new Set([...scope, ...linked.rows.map((r) => r.id)])];
  }
  await computeWanted(c, municipality, rules, today, scope);
  const within = scope === null ? 'TRUE' : 'p.resident_id = ANY($2::text[])';
  const params = scope === null ? [municipality] : [municipality, scope];
  const left = await c.query<{ resident_id: string }>(
    `DELETE FROM population p WHERE p.municipality = $1 AND ${within}
        AND NOT EXISTS (SELECT 1 FROM want w WHERE w.jimu = p.jimu AND w.resident_id = p.resident_id)
      RETURNING p.resident_id`,
    params,
  );
  const entered = await c.query<{ resident_id: string }>(
    `INSERT INTO population (municipality, resident_id, jimu) SELECT DISTINCT $1::text, w.resident_id, w.jimu FROM want w
      ON CONFLICT DO NOTHING RETURNING resident_id`,
    [municipality],
  );
  const changed = [...new Set([...left.rows, ...entered.rows].map((r) => r.resident_id))];
  if (changed.length > 0) {
    await c.query(
      `UPDATE entities SET server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq'))
        WHERE municipality = $1 AND (
          (entity = 'residents' AND entity_id = ANY($2::text[]))
          OR (entity = 'health_insurance' AND payload->>'resident_id' = ANY($2::text[]))
          OR (entity = 'resident_guardians' AND (payload->>'child_id' = ANY($2::text[]) OR payload->>'guardian_id' = ANY($2::text[]))))`,
      [municipality, changed],
    );
  }
  const members = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM population WHERE municipality = $1', [municipality])).rows[0]!.n);
  if (scope === null) {
    await refreshStaffPopulationIn(c, municipality, now);
    await c.query(
      `INSERT INTO population_refresh (municipality, refreshed_on, rules, members, refreshed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (municipality) DO UPDATE SET refreshed_on = excluded.refreshed_on, rules = excluded.rules, members = excluded.members, refreshed_at = excluded.refreshed_at`,
      [municipality, today, rulesHash(rules), members, now],
    );
  }
  return { municipality, members, entered: entered.rowCount ?? 0, left: left.rowCount ?? 0, touched: changed.length };
}

/** Changed with the staff rule (shared/sync/staff-scope.ts), so a server that starts with a new one refreshes in full. */
const STAFF_RULES = 's1';

function rulesHash(rules: JimuPopulationRule[]): string {
  return createHash('sha256').update(JSON.stringify(rules) + STAFF_RULES).digest('hex').slice(0, 16);
}

/** Refreshes every municipality in full inside the caller's transaction (which holds ENTITY_WRITE_LOCK): a job's changes and who terminals hold commit together. */
export async function refreshAllPopulationsIn(c: PoolClient, now: Date): Promise<PopulationRefresh[]> {
  const out: PopulationRefresh[] = [];
  for (const m of await municipalities(c)) out.push(await refreshPopulationIn(c, m, now));
  return out;
}

/** Refreshes every municipality in full, each in its own transaction. */
export async function refreshPopulations(pool: Pool, now: Date): Promise<PopulationRefresh[]> {
  const out: PopulationRefresh[] = [];
  for (const m of await municipalities(pool)) {
    out.push(
      await withTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
        return refreshPopulationIn(c, m, now);
      }),
    );
  }
  return out;
}

/** Municipalities whose population was not refreshed in full today (Japan date) or with today's rules. */
export async function populationsDue(pool: Pool, now: Date): Promise<string[]> {
  const today = todayInJapan(now);
  const profiles = await publishedProfiles(pool);
  const done = new Map((await pool.query<{ municipality: string; refreshed_on: string; rules: string }>(
    "SELECT municipality, to_char(refreshed_on, 'YYYY-MM-DD') AS refreshed_on, rules FROM population_refresh",
  )).rows.map((r) => [r.municipality, r]));
  return (await municipalities(pool)).filter((m) => {
    const d = done.get(m);
    return !d || d.refreshed_on !== today || d.rules !== rulesHash(populationRules(profiles.get(m)?.population ?? DEFAULTS, today));
  });
}

/** Refreshes the municipalities that are due (see populationsDue); what changed. */
export async function refreshDuePopulations(pool: Pool, now: Date): Promise<PopulationRefresh[]> {
  const out: PopulationRefresh[] = [];
  for (const m of await populationsDue(pool, now)) {
    out.push(
      await withTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
        return refreshPopulationIn(c, m, now);
      }),
    );
  }
  return out;
}

/**
 * Checks every `checkMs` (default 10 minutes) whether a municipality's population is due (a new day, new rules)
 * and refreshes it. A failed run is logged and tried again at the next tick. Returns a function that stops it.
 */
export function schedulePopulationRefresh(pool: Pool, opts: { clock: { now(): Date }; checkMs?: number; log?: (message: string, err?: unknown) => void }): () => void {
  const log = opts.log ?? ((message: string, err?: unknown) => (err === undefined ? console.log(message) : console.error(message, err)));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshDuePopulations(pool, opts.clock.now())
      .then((rs) => {
        for (const r of rs) log(`[server] population of ${r.municipality}: ${r.members} members, ${r.entered} entered, ${r.left} left`);
      })
      .catch((err: unknown) => log('[server] population refresh failed; trying again at the next check:', err instanceof Error ? err.message : err))
      .finally(() => {
        running = false;
      });
  }, opts.checkMs ?? 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
