import type { Db } from './database';

/** One row of sqlite_master, as the schema snapshot lists it. */
export interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

const TYPE_ORDER = ['table', 'view', 'index', 'trigger'];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The schema objects of a database (sqlite_master without SQLite's own `sqlite_*` objects), grouped by table:
 * each table, then its indexes and triggers, tables by name.
 */
export function schemaObjects(db: Db): SchemaObject[] {
  const rows = db
    .prepare<[], SchemaObject>(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)
    .all();
  const rank = (t: string) => (TYPE_ORDER.includes(t) ? TYPE_ORDER.indexOf(t) : TYPE_ORDER.length);
  return rows.sort((a, b) => cmp(a.tbl_name, b.tbl_name) || rank(a.type) - rank(b.type) || cmp(a.name, b.name));
}

/** Calls `visit` with every character of `sql` from `from` on that is outside quotes and `--` comments; a true result stops. */
function scanCode(sql: string, from: number, visit: (ch: string, i: number) => boolean | void): void {
  let quote: string | null = null;
  let comment = false;
  for (let i = from; i < sql.length; i++) {
    const ch = sql[i]!;
    if (comment) comment = ch !== '\n';
    else if (quote) quote = ch === quote ? null : quote;
    else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '-' && sql[i + 1] === '-') comment = true;
    else if (visit(ch, i)) return;
  }
}

/** Splits `text` at the commas that are outside parentheses, quotes and comments. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  scanCode(text, 0, (ch, i) => {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(text.slice(start));
  return parts;
}

/** The index of the `)` that closes the `(` at `open`, skipping quotes and comments (-1 if none). */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  let close = -1;
  scanCode(sql, open, (ch, i) => {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) close = i;
    return close >= 0;
  });
  return close;
}

const lines = (s: string) => s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).filter((l) => l !== '');

/**
 * CREATE TABLE as stored, laid out one column or constraint per line. Only whitespace changes: SQLite keeps the
 * statement's original text (including the indentation of the TypeScript around it, and columns added by
 * ALTER TABLE appended to the last line), which would make the snapshot hard to read.
 */
function formatTable(sql: string): string {
  const open = sql.indexOf('(');
  const close = open < 0 ? -1 : closingParen(sql, open);
  if (close < 0) return formatOther(sql);
  const defs = splitTopLevel(sql.slice(open + 1, close)).map((part, i, all) => {
    const ls = lines(part);
    const text = ls.filter((l) => !l.startsWith('--')).join(' ') + (i < all.length - 1 ? ',' : '');
    // Comment lines keep their place before or after the definition's text.
    const firstDef = ls.findIndex((l) => !l.startsWith('--'));
    const before = ls.slice(0, firstDef < 0 ? ls.length : firstDef);
    const after = firstDef < 0 ? [] : ls.slice(firstDef).filter((l) => l.startsWith('--'));
    return [...before, text, ...after].map((l) => `  ${l}`).join('\n');
  });
  const tail = sql.slice(close + 1).trim();
  return `${sql.slice(0, open).trim()} (\n${defs.join('\n')}\n)${tail ? ` ${tail}` : ''}`;
}

/** Any other statement: lines trimmed, blank lines dropped, continuation lines indented by two spaces. */
function formatOther(sql: string): string {
  const [first = '', ...rest] = lines(sql);
  return [first, ...rest.map((l) => `  ${l}`)].join('\n');
}

/** The checked-in snapshot text (schema.snapshot.sql) for a database. */
export function dumpSchema(db: Db): string {
  const version = db.pragma('user_version', { simple: true }) as number;
  const out = [
    `-- The terminal database after all migrations (user_version ${version}): sqlite_master of a fresh database,`,
    '-- grouped by table, each object under a "-- <type> <name> [on <table>]" line, its SQL as stored with the layout',
    '-- normalised. Generated: do not edit by hand. After adding a migration (electron/core/db/migrations/),',
    '-- regenerate it with `npm run schema:snapshot`.',
  ];
  for (const o of schemaObjects(db)) {
    const sql = o.type === 'table' ? formatTable(o.sql) : formatOther(o.sql);
    out.push('', `-- ${o.type} ${o.name}${o.name === o.tbl_name ? '' : ` on ${o.tbl_name}`}`, `${sql};`);
  }
  return out.join('\n') + '\n';
}
