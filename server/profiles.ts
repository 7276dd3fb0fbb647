/**
 * Rule profiles published centrally: the municipality's profile (shared/domain/profile.ts) is stored as a synced
 * record ('rule_profiles', one per municipality) that terminals of that municipality pull. Terminals never push
 * one (push refuses it); only this server-side publication writes it.
 */
import { createHash } from 'node:crypto';
// Publication takes the same lock as pushes, so server_seq stays in commit order.
import { ENTITY_WRITE_LOCK, withTransaction, type Pool, type PoolClient } from './db';
import { ruleProfileSchema, type RuleProfile } from '../shared/domain/profile';


/** A stable record ID per municipality (UUID-shaped, from the 団体コード). */
export function profileRecordId(municipalityCode: string): string {
  const h = createHash('sha256').update(`rule-profile:${municipalityCode}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stored profile as the schema reads it, or null when unreadable (its defaults apply). */
function readProfile(payload: { profile_json?: string }): RuleProfile | null {
  try {
    const p = ruleProfileSchema.safeParse(JSON.parse(payload.profile_json ?? 'null'));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}

/** The published profile of each municipality, as the schema reads it (an unreadable one is left out: its defaults apply). */
export async function publishedProfiles(c: Pool | PoolClient): Promise<Map<string, RuleProfile>> {
  const out = new Map<string, RuleProfile>();
  for (const r of (await c.query<{ payload: { profile_json?: string } }>("SELECT payload FROM entities WHERE entity = 'rule_profiles' AND NOT deleted")).rows) {
    const p = readProfile(r.payload);
    if (p) out.set(p.municipalityCode, p);
  }
  return out;
}

/** One municipality's published profile (its record only, for the checks each push makes), or null. */
export async function publishedProfile(c: Pool | PoolClient, municipality: string): Promise<RuleProfile | null> {
  const r = (await c.query<{ payload: { profile_json?: string } }>("SELECT payload FROM entities WHERE entity = 'rule_profiles' AND entity_id = $1 AND NOT deleted", [profileRecordId(municipality)])).rows[0];
  const p = r ? readProfile(r.payload) : null;
  return p && p.municipalityCode === municipality ? p : null;
}

export async function publishProfile(pool: Pool, raw: unknown, by: string): Promise<{ municipality: string; version: number; changed: boolean }> {
  const parsed = ruleProfileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`ルールプロファイルが正しくありません:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(全体)'}: ${i.message}`).join('\n')}`);
  }
  const p = parsed.data;
  const id = profileRecordId(p.municipalityCode);
  return withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
    const cur = await c.query<{ version: number; payload: { profile_json?: string } }>(`SELECT version, payload FROM entities WHERE entity = 'rule_profiles' AND entity_id = $1 FOR UPDATE`, [id]);
    if (cur.rows[0] && cur.rows[0].payload.profile_json === JSON.stringify(raw)) {
      return { municipality: p.municipalityCode, version: cur.rows[0].version, changed: false };
    }
    const version = (cur.rows[0]?.version ?? 0) + 1;
    const now = new Date().toISOString();
    const payload = {
      id, version, created_at: now, created_by: by, updated_at: now, updated_by: by, deleted: 0,
      municipality_code: p.municipalityCode, profile_json: JSON.stringify(raw), published_at: now,
    };
    if (cur.rows[0]) {
      await c.query(
        `UPDATE entities SET version = $2, payload = $3, updated_by_terminal = 'SERVER', server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
         WHERE entity = 'rule_profiles' AND entity_id = $1`,
        [id, version, JSON.stringify(payload)],
      );
    } else {
      await c.query(
        `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
         VALUES ('rule_profiles', $1, 1, $2, 'SERVER', false, $3, NULL, NULL)`,
        [id, JSON.stringify(payload), p.municipalityCode],
      );
    }
    return { municipality: p.municipalityCode, version, changed: true };
  });
}

/**
 * Publishes every `*.json` in `dir` (the server's data dir `profiles/`): IT places a municipality's profile there
 * and starts or SIGHUPs the server. Unchanged profiles are skipped; an invalid one is reported, not published.
 */
export async function publishProfilesFromDir(pool: Pool, dir: string, log: (line: string) => void = console.log): Promise<number> {
  const { readdirSync, readFileSync, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (!existsSync(dir)) return 0;
  let published = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const r = await publishProfile(pool, JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown, 'SERVER');
      if (r.changed) {
        published++;
        log(`[server] published rule profile ${name} for ${r.municipality} (version ${r.version})`);
      }
    } catch (e) {
      log(`[server] rule profile ${name} not published: ${(e as Error).message}`);
    }
  }
  return published;
}
