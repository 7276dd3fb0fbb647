import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/pia-traceability.md traces every technical control of the five privacy assessments to the code and the
 * test that proves it. This keeps the table honest: every row has a status, and every test it names exists.
 */
const ROOT = join(import.meta.dirname, '../..');
const DOC = 'docs/pia-traceability.md';
const HEADER = ['#', 'seed', '箇所・引用', '統制', '実装', '証明'];
const SEEDS = ['000', '001', '002', '003', '004'];

interface Row { line: number; cells: string[] }

/** The body rows of every table whose header is HEADER, as trimmed cells, with their line number. */
function controlRows(md: string): Row[] {
  const rows: Row[] = [];
  let inTable = false;
  md.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (!l.startsWith('|')) { inTable = false; return; }
    const cells = l.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
    if (cells.join('|') === HEADER.join('|')) { inTable = true; return; }
    if (!inTable || cells.every((c) => /^:?-+:?$/.test(c))) return;
    rows.push({ line: i + 1, cells });
  });
  return rows;
}

/** `path/to/file.test.ts › exact test title` references in a cell. */
function testRefs(cell: string): { file: string; title: string }[] {
  return [...cell.matchAll(/`([^`]+?\.test\.ts) › ([^`]+)`/g)].map((m) => ({ file: m[1]!, title: m[2]! }));
}

/** What is wrong with one row (empty when nothing). */
function rowProblems(row: Row, root = ROOT): string[] {
  const at = `${DOC}:${row.line}`;
  if (row.cells.length !== HEADER.length) return [`${at}: ${row.cells.length} cells, expected ${HEADER.length}`];
  const [id, seed, where, control, , proof] = row.cells as [string, string, string, string, string, string];
  const problems: string[] = [];
  if (!/^[A-Z][0-9]+$/.test(id)) problems.push(`${at}: row id "${id}"`);
  if (!/^(00[0-4]|req)(, (00[0-4]|req))*$/.test(seed)) problems.push(`${at}: seed "${seed}" (000–004 or req, comma-separated)`);
  if (!where || !control) problems.push(`${at}: no section/quote or no control`);
  for (const q of where.matchAll(/「([^」]*)」/g)) {
    if ([...q[1]!].length > 40) problems.push(`${at}: quote longer than 40 characters: 「${q[1]}」`);
  }
  const refs = testRefs(proof);
  const status = /^(not yet|partly|運用) — \S/.exec(proof)?.[1];
  if (refs.length === 0 && !status) {
    problems.push(`${at} (${id}): no status — name a test (\`file.test.ts › title\`) or say "not yet — …", "partly — …" or "運用 — …"`);
  }
  const bare = [...proof.matchAll(/`([^`]*\.test\.ts)`/g)].map((m) => m[1]);
  for (const b of bare) problems.push(`${at} (${id}): \`${b}\` names a test file without a test title`);
  for (const { file, title } of refs) {
    const path = join(root, file);
    if (!existsSync(path)) { problems.push(`${at} (${id}): ${file} does not exist`); continue; }
    const src = readFileSync(path, 'utf8');
    // A title written in single quotes has its apostrophes escaped in the source.
    if (!src.includes(title) && !src.includes(title.replaceAll("'", "\\'"))) {
      problems.push(`${at} (${id}): ${file} has no test titled "${title}"`);
    }
  }
  return problems;
}

describe('docs/pia-traceability.md', () => {
  const md = readFileSync(join(ROOT, DOC), 'utf8');
  const rows = controlRows(md);

  it('has control rows, each with a unique id', () => {
    expect(rows.length).toBeGreaterThan(40);
    const ids = rows.map((r) => r.cells[0]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('gives every row a status, and every test it names exists with that title', () => {
    expect(rows.flatMap((r) => rowProblems(r))).toEqual([]);
  });

  it('covers all five assessments', () => {
    const cited = new Set(rows.flatMap((r) => (r.cells[1] ?? '').split(', ')));
    expect(SEEDS.filter((s) => !cited.has(s))).toEqual([]);
  });

  it('the check itself catches a missing status, a missing file and a wrong title', () => {
    const row = (proof: string): Row => ({ line: 1, cells: ['Z1', '000', '「引用」', 'a control', 'x.ts', proof] });
    expect(rowProblems(row('works, trust me'))).toEqual([expect.stringContaining('no status')]);
    expect(rowProblems(row('`shared/__tests__/nope.test.ts › anything`'))).toEqual([expect.stringContaining('does not exist')]);
    expect(rowProblems(row('`shared/__tests__/text.test.ts › a title nobody wrote`'))).toEqual([expect.stringContaining('has no test titled')]);
    expect(rowProblems(row('`shared/__tests__/text.test.ts`'))).toEqual(expect.arrayContaining([expect.stringContaining('without a test title')]));
    expect(rowProblems(row('not yet — issue 16'))).toEqual([]);
    expect(rowProblems(row('`shared/__tests__/text.test.ts › counts characters as code points: 𠮷 is one`'))).toEqual([]);
  });
});
