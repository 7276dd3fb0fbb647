import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERFACES } from '..';
import { ITEM_TABLE_HEADER, itemRow, parseLine, type InterfaceDefinition } from '../definition';
import { SEIHO } from '../seiho';
import { ONSHI } from '../online-shikaku';

const ROOT = join(import.meta.dirname, '../../..');

/** The Markdown item table between <!-- items:ID --> and <!-- /items --> (as docs.test.ts reads it). */
function docTable(doc: string, id: string): string[][] {
  const md = readFileSync(join(ROOT, doc), 'utf8');
  const start = md.indexOf(`<!-- items:${id} -->`);
  const end = md.indexOf('<!-- /items -->', start);
  if (start < 0 || end < 0) throw new Error(`${doc}: no table`);
  return md.slice(start, end).split('\n').filter((l) => l.startsWith('|') && !/^\|[-| :]+\|$/.test(l)).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}

/** SEIHO (registered: docs.test.ts checks it too) and ONSHI (an output the server writes, never imported). */
const DEFINITIONS: InterfaceDefinition[] = [SEIHO, ONSHI];

describe('SEIHO and ONSHI definitions equal their documents', () => {
  for (const def of DEFINITIONS) {
    it(`${def.id}: ${def.doc}`, () => {
      const [header, ...rows] = docTable(def.doc, def.id);
      expect(header).toEqual([...ITEM_TABLE_HEADER]);
      expect(rows).toEqual(def.items.map((item, i) => itemRow(item, i + 1)));
      for (const k of def.key) expect(def.items.find((i) => i.id === k)?.required, k).toBe(true);
      expect(new Set(def.items.map((i) => i.id)).size).toBe(def.items.length);
    });
  }
  it('SEIHO is in the import registry (applySeiho); ONSHI, an output, is not', () => {
    expect(Object.keys(INTERFACES)).toContain('SEIHO');
    expect(Object.keys(INTERFACES)).not.toContain('ONSHI');
  });
});

const LINE: Record<string, string> = {
  case_no: '1020304', atena_no: '100000000000001', household_no: '200001', head_flag: '1', started_on: '20260410', changed_on: '', ended_on: '',
  change_reason: '11', caseworker: 'w1001', aid_kinds: '01 03 04', office_code: '271004',
};
const fields = (over: Record<string, string> = {}) => SEIHO.items.map((i) => ({ ...LINE, ...over })[i.id] ?? '');

describe('SEIHO lines', () => {
  it('a 保護開始 line parses (dates as YYYY-MM-DD)', () => {
    const r = parseLine(SEIHO, fields(), 'DIFF');
    expect(r.ok && r.values).toMatchObject({ case_no: '1020304', started_on: '2026-04-10', ended_on: null, aid_kinds: '01 03 04' });
  });
  const refused: [string, Record<string, string>, 'FULL' | 'DIFF', string][] = [
    ['an unknown 扶助 code', { aid_kinds: '04 09' }, 'DIFF', '項目「扶助の種類」は空白区切りの2桁コードです（使えるコード: 01、02、03、04、05、06、07、08）'],
    ['a repeated 扶助 code', { aid_kinds: '04 04' }, 'DIFF', '項目「扶助の種類」に同じコードが重複しています'],
    ['廃止 without 廃止年月日', { change_reason: '31' }, 'DIFF', '項目「保護廃止年月日」がありません（異動事由が保護廃止の行には必須です）'],
    ['廃止年月日 on a 開始 line', { ended_on: '20260601' }, 'DIFF', '項目「異動事由」が保護廃止ではありません（保護廃止年月日がある行は保護廃止です）'],
    ['廃止 on the 開始日', { change_reason: '31', ended_on: '20260410' }, 'DIFF', '項目「保護廃止年月日」が保護開始年月日より後ではありません'],
    ['変更 without 変更年月日', { change_reason: '21' }, 'DIFF', '項目「保護変更年月日」がありません（異動事由が変更の行には必須です）'],
    ['変更 before 開始', { change_reason: '21', changed_on: '20260401' }, 'DIFF', '項目「保護変更年月日」が保護開始年月日より前です'],
    ['a DIFF reason in a FULL file', {}, 'FULL', '項目「異動事由」は全件ファイルでは00（全件）です'],
    ['00 in a DIFF file', { change_reason: '00' }, 'DIFF', '項目「異動事由」の00（全件）は全件ファイルだけで使います'],
    ['a 地区担当員 that is not a staff ID', { caseworker: '地区 一' }, 'DIFF', '項目「地区担当員」は職員ID（英数字3〜32文字）です'],
    ['no ケース番号', { case_no: '' }, 'DIFF', '項目「ケース番号」がありません（必須項目です）'],
  ];
  for (const [name, over, kind, message] of refused) {
    it(`refused: ${name}`, () => {
      const r = parseLine(SEIHO, fields(over), kind);
      expect(r.ok ? [] : r.problems).toContain(message);
    });
  }
  it('a 全件 line with a 廃止年月日 and a 廃止 line pass', () => {
    expect(parseLine(SEIHO, fields({ change_reason: '00', ended_on: '20260601' }), 'FULL').ok).toBe(true);
    expect(parseLine(SEIHO, fields({ change_reason: '31', ended_on: '20260601', aid_kinds: '05' }), 'DIFF').ok).toBe(true);
  });
});
