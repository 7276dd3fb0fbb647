import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ONSHI_ITEMS, OnshiLinkError, readOnshiFile, writeOnshiFile, type OnshiHeader, type OnshiRecord } from '../online-shikaku';

const sha = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');
const HEADER: OnshiHeader = { kind: 'DIFF', municipality: '271004', system: '窓口端末 中央サーバ', createdOn: '2026-05-01', seq: 3 };

const QUAL: OnshiRecord = { record_kind: '1', recipient_no: '0000018', public_payer_no: '12270104', name_kana: 'マドグチ ハナコ', birth_date: '1960-02-29', sex: '2', qualified_from: '2026-04-10' };
const TICKET: OnshiRecord = {
  record_kind: '2', recipient_no: '0000018', public_payer_no: '12270104', institution_code: '2712345678', ticket_kind: '1', infectious_37_2: '0', late_elderly: '0',
  issue_no: '2605000001', confirm_method: '1', social_insurance: '0', disease_names: '高血圧症、糖尿病', shinryo: '2', coverage: '1', self_pay_yen: '0', prefectural: '0',
  valid_from: '2026-05-01', valid_to: '2026-05-31',
};
const DISPENSING: OnshiRecord = {
  ...TICKET, institution_code: '2740000011', prescriber_code: '2712345678', ticket_kind: '2', shinryo: '4', disease_names: null, issue_no: '2605000002',
  coverage: '2', social_insurance: '1', self_pay_yen: '1200', prefectural: '1', valid_from: '2026-05-10', valid_to: '2026-05-31',
};

describe('the オンライン資格確認 file: written, then read back field by field', () => {
  const out = writeOnshiFile(HEADER, [QUAL, TICKET, DISPENSING], sha);

  it('has the H / I / D / T layout and the file name', () => {
    expect(out.fileName).toBe('ONSHI_271004_20260501_3.csv');
    expect(out.lines[0]).toBe('H,UTF-8,ONSHI,DIFF,271004,窓口端末 中央サーバ,20260501,3');
    expect(out.lines[1]).toBe(`I,${ONSHI_ITEMS.map((i) => i.id).join(',')}`);
    expect(out.lines).toHaveLength(6);
    expect(out.lines[5]).toBe(`T,3,${sha(new TextEncoder().encode(out.lines.slice(2, 5).map((l) => `${l}\n`).join('')))}`);
    expect(out.lines[2]).toBe('D,1,0000018,12270104,マドグチ ハナコ,19600229,2,20260410,,,,,,,,,,,,,,,,');
  });

  it('reads back every field of every record', () => {
    const back = readOnshiFile(out.bytes, out.fileName, sha);
    expect(back.header).toEqual(HEADER);
    const full = (r: OnshiRecord) => Object.fromEntries(ONSHI_ITEMS.map((i) => [i.id, r[i.id] ?? null]));
    expect(back.records).toHaveLength(3);
    [QUAL, TICKET, DISPENSING].forEach((r, n) => {
      for (const item of ONSHI_ITEMS) expect(back.records[n]![item.id], `${n + 1}件目 ${item.name}`).toBe(full(r)[item.id]);
    });
  });

  it('quotes a value with a comma and reads it back', () => {
    const o = writeOnshiFile(HEADER, [{ ...TICKET, disease_names: '腰痛症,"慢性"' }], sha);
    expect(readOnshiFile(o.bytes, o.fileName, sha).records[0]!.disease_names).toBe('腰痛症,"慢性"');
  });

  it('refuses a changed byte, a dropped line and a renamed file', () => {
    const text = new TextDecoder().decode(out.bytes);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(() => readOnshiFile(enc(text.replace('2605000001', '2605000009')), out.fileName, sha)).toThrow('トレーラの SHA-256 が D 行と一致しません');
    const dropped = text.split('\r\n').filter((_, i) => i !== 3).join('\r\n');
    expect(() => readOnshiFile(enc(dropped), out.fileName, sha)).toThrow('トレーラのデータ件数（3）が D 行の数（2）と違います');
    expect(() => readOnshiFile(out.bytes, 'ONSHI_271004_20260501_4.csv', sha)).toThrow('ファイル名がヘッダと一致しません');
  });
});

describe('a value outside the definition is a 連携エラー naming the item (nothing written)', () => {
  const cases: [string, OnshiRecord, string][] = [
    ['an item not in the definition', { ...TICKET, my_number: '123456789018' }, '1件目: 項目「my_number」は定義にありません（オンライン資格確認の定義にない項目は送りません）'],
    ['a 受給者番号 with a wrong check digit', { ...TICKET, recipient_no: '0000017' }, '1件目: 項目「受給者番号」: 受給者番号の検証番号が一致しません'],
    ['a 公費負担者番号 of another 法別', { ...TICKET, public_payer_no: '88131016' }, '1件目: 項目「公費負担者番号」: 公費負担者番号の法別番号が88です（生活保護は12）'],
    ['an unknown 診療別 code', { ...TICKET, shinryo: '6' }, '1件目: 項目「診療別」のコードが定義にありません（使えるコード: 1、2、3、4、5）'],
    ['a negative 本人支払額', { ...TICKET, self_pay_yen: '-1' }, '1件目: 項目「本人支払額」は半角数字です'],
    ['a 7-digit 指定医療機関コード', { ...TICKET, institution_code: '1234567' }, '1件目: 項目「指定医療機関コード」は10桁の半角数字です'],
    ['a 調剤券 without 処方箋発行元', { ...DISPENSING, prescriber_code: null }, '1件目: 項目「処方箋発行元医療機関」がありません（調剤券には必須です）'],
    ['a 医療券 with 診療別 調剤', { ...TICKET, shinryo: '4' }, '1件目: 項目「診療別」が医療券/調剤券別と合いません（調剤券は調剤、医療券は調剤以外）'],
    ['a 医療券 without 傷病名', { ...TICKET, disease_names: null }, '1件目: 項目「傷病名」がありません（医療券には必須です）'],
    ['単独 with a 社会保険', { ...TICKET, social_insurance: '2' }, '1件目: 項目「社会保険状況」が単独/併用別と合いません（単独は社会保険なし、併用は社会保険あり）'],
    ['a ticket item on a 資格 record', { ...QUAL, issue_no: '1' }, '1件目: 項目「交付番号」は医療券・調剤券のレコードにだけ書きます'],
    ['a 資格 record without 生年月日', { ...QUAL, birth_date: null }, '1件目: 項目「生年月日」がありません（受給者資格のレコードには必須です）'],
    ['a ticket without 本人支払額', { ...TICKET, self_pay_yen: null }, '1件目: 項目「本人支払額」がありません（医療券・調剤券のレコードには必須です）'],
    ['a validity across two months', { ...TICKET, valid_to: '2026-06-01' }, '1件目: 項目「有効期間終了年月日」が開始年月日より前か、別の月です（券は月ごとです）'],
    ['an impossible date', { ...TICKET, valid_to: '2026-02-30' }, '1件目: 項目「有効期間終了年月日」は西暦の年月日（YYYYMMDD、8桁）で、実在する日付です'],
    ['a control character in 傷病名', { ...TICKET, disease_names: '腰痛\n症' }, '1件目: 項目「傷病名」に改行や制御文字は使えません'],
  ];
  for (const [name, rec, message] of cases) {
    it(name, () => {
      let err: unknown = null;
      try {
        writeOnshiFile(HEADER, [rec], sha);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OnshiLinkError);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message.startsWith('連携エラー: ')).toBe(true);
    });
  }
  it('a duplicate ticket record', () => {
    expect(() => writeOnshiFile(HEADER, [TICKET, TICKET], sha)).toThrow('2件目: 同じレコード（受給者番号・公費負担者番号・交付番号）が重複しています');
  });
});
