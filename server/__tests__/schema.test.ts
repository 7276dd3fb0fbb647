import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedMigrations, migrationFolderProblems, sha256, type Pinned } from '../../testing/migrations';
import { resetDb, startPostgres, type PgFixture } from '../../testing/server';
import { AuditEntryWireSchema, CheckpointWireSchema } from '../../shared/sync/audit-protocol';
import { SYNC_ENTITIES, SYNC_ENTITY_FIELDS } from '../../shared/sync/protocol';
import { migrate } from '../db';
import { SERVER_MIGRATIONS } from '../migrations';
import { publishProfile } from '../profiles';
import { dumpServerSchema } from '../schema-dump';
import { validateMutation } from '../sync';

/**
 * The server's schema against real PostgreSQL: one file per migration, shipped migrations unchanged, the
 * checked-in snapshot, and the per-field structure of what the server stores from the wire.
 */

/**
 * The server migrations as they shipped: SHA-256 of each one's SQL, pinned from server/db.ts of f3567c3 (before
 * the split into one file per migration). Never change a line here: a schema change is a new migration, pinned
 * once it is final.
 */
const SHIPPED: readonly Pinned[] = [
  [1, 'sync-foundation', '7a953712d374a086e16327472b29841bdb4f779ea7b0bf26a4c1256ab0388eae'],
  [2, 'number-leases', '9bd6061b3ffd7b898494b653156040767689f548a3c46ba79d238a84137c0b43'],
  [3, 'staff-sessions', 'a5ac6b099a84b161d837b6166032ce4582af6ac0094775920bd881d8fd6713cf'],
  [4, 'pull-scope', '4bd6797fb9f3bc14bb7d6a392fc59ee694d24f3be5f1c91e4c65fd6e7966a688'],
  [5, 'audit-entries', '7e0f380f8f7b15bd08e717dbcaa78731f7434ff2809e0280333a6a3141c98386'],
  [6, 'audit-checkpoints', '652551a38962243088c799698bdbf4030212c758d7854834f3b5240510914539'],
  [7, 'staff-sessions-per-municipality', '4100d4502cb93b2d93abde0fa59f126be0d1980897909b6045bfe9de4173cfac'],
  [8, 'identity-approvals', '4de05513b238e5148b7e2e34f7a113ce3bcb724b8b2fbbf6700ae0306a07906f'],
  [9, 'interface-import', '317bfbf1099ccdcb92f2b07ceff8a79d3c3bcb6a6c67a1b70762b53e2b27286a'],
  [10, 'ido-work', '52c16e267411c8f10046347c12b596a15fd0e6b04450950e21268ef898dcd1e4'],
  [11, 'kodomo-shikaku-job', '1dfd94809a1d422b5c7bee41da2c8fe7cc83deac354824fc28e99710e90e3c59'],
  [12, 'retired-terminals', '7ddd6088140039f1271072a204c916cb6ee3fa43524d782598094d8def9af06c'],
  [13, 'retention-purge-job', '81d07dbfb287722f77f634db55a8bf84d7b9cb996cb8c81ff022f8f609b7419b'],
  [14, 'mynumber-access', '44e9a4f408f5f6a04cf92a18b9fc62168d2d9a703a09cee141cf1bd02a205787'],
  [15, 'mynumber-confirmations', '72408db5634bc0dfefc1fd3e72887cd0031cb6ef3cb98787dd8d374078e4c289'],
  [16, 'population', '67a1dc4c91ab2dcb091106ce9cb48e4ca97b019b49cd3f0fc18ee505bb7e9490'],
  [17, 'mynumber-confirmation-decisions', '6930c1a07b079822385a5c02e54de0c6d6bcc0555e9b4648d7f795cf1e4fd79d'],
  [18, 'seiho-jukyu', '44b1733d84ddf274c3db01634e98be0d1cc6527210a8f958bf66945e89640616'],
  [19, 'staff-population', '9c0ad933ee5454d8ae7dc2a519da15effca296c31c9696207d7bc865484929da'],
  [20, 'onshi-export', 'b8b1bf09077eea3339f179adc82d4b3f75af70f7af4a3f938b24806993e76285'],
  [21, 'seikatsu-lookups', 'bc4379e84f7012d5885dec462bb90863efdad6d6d24b45136af21ea2502d3bed'],
];

const SNAPSHOT = join(import.meta.dirname, '../schema.snapshot.sql');

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);

const columnsOf = async (table: string): Promise<string[]> =>
  (await pg.pool.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table])).rows.map((r) => r.c);

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('server migrations: one file each, never edited once shipped', () => {
  it('every migrations/NNNN-name.ts holds the migration of that version and name, and index.ts lists them all in order', async () => {
    expect(await migrationFolderProblems(join(import.meta.dirname, '../migrations'), SERVER_MIGRATIONS, ['index.ts', 'migration.ts', 'README.md'])).toEqual([]);
  });

  it('each migration is exactly the SQL it shipped with', () => {
    expect(editedMigrations(SERVER_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sha256: sha256(m.sql) })), SHIPPED)).toEqual([]);
  });
});

describe('schema snapshot (server/schema.snapshot.sql)', () => {
  it('is the schema of a freshly migrated database, and running the migrations again changes nothing', async () => {
    const actual = await dumpServerSchema(pg.pool);
    expect(
      actual,
      'server/schema.snapshot.sql is not the schema the migrations produce. After adding a migration, run ' +
        '`npm run schema:snapshot` and commit the snapshot with it (shipped migrations are never edited: a change is a new migration).',
    ).toBe(readFileSync(SNAPSHOT, 'utf8'));
    expect(await migrate(pg.pool)).toEqual([]);
    expect(await dumpServerSchema(pg.pool)).toBe(actual);
  });

  it('lists every table with its columns, and every index', async () => {
    const text = readFileSync(SNAPSHOT, 'utf8');
    const tables = (await pg.pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.t);
    expect(tables.length).toBeGreaterThanOrEqual(13);
    for (const t of tables) {
      expect(text).toContain(`\nCREATE TABLE ${t} (\n`);
      for (const c of await columnsOf(t)) expect(text).toMatch(new RegExp(`^  ${c} `, 'm'));
    }
    const indexes = (await pg.pool.query<{ i: string }>(`SELECT indexname AS i FROM pg_indexes WHERE schemaname = 'public'`)).rows.map((r) => r.i);
    for (const i of indexes) expect(text).toMatch(new RegExp(`(-- index ${i} on |CONSTRAINT ${i} )`));
  });
});

describe('what the server stores from the wire, field by field', () => {
  it('audit_entries holds exactly the fields of an uploaded entry, plus when it was received', async () => {
    const wire = Object.keys(AuditEntryWireSchema.shape).map(snake);
    expect((await columnsOf('audit_entries')).sort()).toEqual([...wire, 'received_at'].sort());
  });

  it('audit_checkpoints holds the fields of an uploaded checkpoint (its id as checkpoint_id; the key in audit_keys), plus when it was received', async () => {
    const stored: Record<string, string> = { id: 'checkpoint_id', publicKeyPem: 'audit_keys.public_key_pem' };
    const wire = Object.keys(CheckpointWireSchema.shape).map((k) => stored[k] ?? snake(k));
    expect(wire.filter((c) => c.startsWith('audit_keys.'))).toEqual(['audit_keys.public_key_pem']);
    expect(await columnsOf('audit_keys')).toContain('public_key_pem');
    expect((await columnsOf('audit_checkpoints')).sort()).toEqual([...wire.filter((c) => !c.includes('.')), 'received_at'].sort());
  });

  it('entities.payload: every synced field of every entity passes the push gate, any other field is refused', () => {
    for (const entity of SYNC_ENTITIES) {
      const entityId = randomUUID();
      const payload = Object.fromEntries(SYNC_ENTITY_FIELDS[entity].map((f) => [f, f === 'version' ? 1 : f === 'id' ? entityId : null]));
      const m = { mutationId: 1, clientUuid: randomUUID(), entity, entityId, op: 'insert', payload };
      expect({ entity, result: validateMutation(m) }).toMatchObject({ entity, result: { ok: true } });
      expect(validateMutation({ ...m, payload: { ...m.payload, not_a_column: 'x' } })).toEqual({ ok: false, reason: `unknown fields for ${entity}: not_a_column` });
    }
  });

  it('entities.payload of a rule profile the server publishes has exactly the synced fields of rule_profiles', async () => {
    await resetDb(pg.pool);
    const profile = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/profiles/sample-osaka.json'), 'utf8')) as unknown;
    await publishProfile(pg.pool, profile, 'IT');
    const { rows } = await pg.pool.query<{ k: string }>(`SELECT jsonb_object_keys(payload) AS k FROM entities WHERE entity = 'rule_profiles'`);
    expect(rows.map((r) => r.k).sort()).toEqual([...SYNC_ENTITY_FIELDS.rule_profiles].sort());
  });
});
