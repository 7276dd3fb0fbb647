import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERFACES } from '..';
import { ITEM_TABLE_HEADER, itemRow, itemText } from '../definition';
import { text } from '../../text';

/**
 * The interface documents (docs/interfaces/*.md) and the definitions the import parser runs on
 * (shared/interfaces/*.ts) say the same thing: the item table of each document, cell by cell.
 */
const ROOT = join(import.meta.dirname, '../../..');

/** The rows of the Markdown table between <!-- items:ID --> and <!-- /items --> as trimmed cells. */
function docTable(doc: string, id: string): string[][] {
  const md = readFileSync(join(ROOT, doc), 'utf8');
  const start = md.indexOf(`<!-- items:${id} -->`);
  const end = md.indexOf('<!-- /items -->', start);
  if (start < 0 || end < 0) throw new Error(`${doc}: no <!-- items:${id} --> … <!-- /items --> table`);
  return md
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| :]+\|$/.test(l))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}

describe('docs/interfaces and shared/interfaces cannot drift apart', () => {
  for (const def of Object.values(INTERFACES)) {
    it(`${def.id}: the item table of ${def.doc} is the definition, item by item`, () => {
      const [header, ...rows] = docTable(def.doc, def.id);
      expect(header).toEqual([...ITEM_TABLE_HEADER]);
      expect(rows).toEqual(def.items.map((item, i) => itemRow(item, i + 1)));
    });

    it(`${def.id}: its key items exist and are required`, () => {
      for (const k of def.key) expect(def.items.find((i) => i.id === k)?.required, k).toBe(true);
      expect(new Set(def.items.map((i) => i.id)).size).toBe(def.items.length);
    });
  }

  it('the README lists every interface with its document', () => {
    const md = readFileSync(join(ROOT, 'docs/interfaces/README.md'), 'utf8');
    for (const def of Object.values(INTERFACES)) {
      expect(md).toContain(`\`${def.id}\``);
      expect(md).toContain(`(${def.doc.replace('docs/interfaces/', '')})`);
    }
  });
});

describe('itemText reads a field as the shared text type does', () => {
  const cases = ['窓口 花子', '  前後の空白  ', 'ｶﾞ', 'が', 'か\u3099', '𠮷'.repeat(5), '𠮷'.repeat(6), 'a\u0000b', 'a\tb', '右\u202Eから', 'x\u2028y', '\uD800', 'abc', 'a'.repeat(6), ''];
  for (const s of cases) {
    it(`${JSON.stringify(s)}`, () => {
      const zod = text({ label: '項目「氏名」', max: 5, tooLongMessage: '項目「氏名」は5文字以内です' }).safeParse(s);
      const ours = itemText('氏名', s, 5);
      if (zod.success) expect(ours).toEqual({ ok: true, value: zod.data });
      else expect(ours).toEqual({ ok: false, problem: zod.error.issues[0]!.message });
    });
  }
});
