/**
 * A `pg_dump --schema-only`-like text of the server database's `public` schema, read from pg_catalog: tables
 * with their columns (in column order), constraints, indexes, sequences, views, triggers and functions, each
 * group by name. The checked-in server/schema.snapshot.sql is this text for a freshly migrated database.
 */
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

async function rows<T extends pg.QueryResultRow>(db: Queryable, sql: string): Promise<T[]> {
  return (await db.query<T>(sql)).rows;
}

const CONSTRAINT_ORDER = `array_position(ARRAY['p','u','f','c','x','t','n'], con.contype::text), con.conname`;

export async function dumpServerSchema(db: Queryable): Promise<string> {
  const migrations = await rows<{ version: number; name: string }>(db, 'SELECT version, name FROM schema_migrations ORDER BY version');
  const out = [
    `-- The central server database after all migrations (${migrations.map((m) => `${m.version} ${m.name}`).join(', ')}):`,
    '-- the public schema of a freshly migrated PostgreSQL, read from pg_catalog. Generated: do not edit by hand.',
    '-- After adding a migration (server/migrations/), regenerate it with `npm run schema:snapshot`.',
  ];

  const tables = await rows<{ oid: number; name: string }>(
    db,
    `SELECT c.oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  for (const t of tables) {
    const columns = await rows<{ def: string }>(
      db,
      `SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
              || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
              || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS def
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ${t.oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    const constraints = await rows<{ def: string }>(
      db,
      `SELECT 'CONSTRAINT ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con WHERE con.conrelid = ${t.oid} AND con.contype <> 'n' ORDER BY ${CONSTRAINT_ORDER}`,
    );
    const defs = [...columns, ...constraints].map((r) => `  ${r.def}`).join(',\n');
    out.push('', `-- table ${t.name}`, `CREATE TABLE ${t.name} (\n${defs}\n);`);
    // Indexes that no constraint owns (those appear as constraints above).
    const indexes = await rows<{ name: string; def: string }>(
      db,
      `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
       WHERE i.indrelid = ${t.oid} AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = ${t.oid})
       ORDER BY ic.relname`,
    );
    for (const i of indexes) out.push('', `-- index ${i.name} on ${t.name}`, `${i.def};`);
    const triggers = await rows<{ name: string; def: string }>(
      db,
      `SELECT tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = ${t.oid} AND NOT tgisinternal ORDER BY tgname`,
    );
    for (const tr of triggers) out.push('', `-- trigger ${tr.name} on ${t.name}`, `${tr.def};`);
  }

  const sequences = await rows<{ name: string; type: string; start: string; increment: string; owner: string | null }>(
    db,
    `SELECT s.sequencename AS name, s.data_type::text AS type, s.start_value::text AS start, s.increment_by::text AS increment,
            (SELECT tc.relname || '.' || a.attname FROM pg_depend dep
               JOIN pg_class tc ON tc.oid = dep.refobjid
               JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
             WHERE dep.classid = 'pg_class'::regclass AND dep.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass
               AND dep.deptype IN ('a', 'i')) AS owner
     FROM pg_sequences s WHERE s.schemaname = 'public' ORDER BY s.sequencename`,
  );
  for (const s of sequences) {
    out.push('', `-- sequence ${s.name}`, `CREATE SEQUENCE ${s.name} AS ${s.type} START ${s.start} INCREMENT ${s.increment}${s.owner ? ` OWNED BY ${s.owner}` : ''};`);
  }
  const views = await rows<{ name: string; def: string }>(
    db,
    `SELECT viewname AS name, definition AS def FROM pg_views WHERE schemaname = 'public' ORDER BY viewname`,
  );
  for (const v of views) out.push('', `-- view ${v.name}`, `CREATE VIEW ${v.name} AS\n${v.def.trim()}`);
  const functions = await rows<{ name: string; def: string }>(
    db,
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' ORDER BY p.proname, p.oid`,
  );
  for (const f of functions) out.push('', `-- function ${f.name}`, `${f.def.trim()};`);
  return out.join('\n') + '\n';
}
