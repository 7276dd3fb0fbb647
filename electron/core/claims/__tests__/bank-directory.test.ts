import { describe, it, expect, beforeAll } from 'vitest';
import { createBankDirectory, dataDateOf, directoryKey, type BankDirectory, type ZenginData } from '../bank-directory';

/** The real list from the `zengin-code` package: these codes are long-standing and stable. */
describe('bank directory over zengin-code', () => {
  let dir: BankDirectory;
  let loadMs = 0;
  beforeAll(async () => {
    dir = createBankDirectory();
    const t0 = performance.now();
    await dir.load();
    loadMs = performance.now() - t0;
  });

  it('loads the whole list once and reports its version and data date', async () => {
    const info = await dir.info();
    expect(info.banks).toBeGreaterThan(1000);
    expect(info.branches).toBeGreaterThan(20000);
    expect(info.version).toMatch(/^1\.0\.0-p\d{8}$/);
    expect(info.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    console.info(`zengin-code ${info.version}: ${info.banks} banks, ${info.branches} branches, loaded in ${loadMs.toFixed(0)} ms`);
  });

  it('finds banks by code, accepting full-width digits', async () => {
    expect(await dir.findBank('0001')).toEqual({ code: '0001', name: 'みずほ', kana: 'ミズホ' });
    expect((await dir.findBank('９９００'))?.name).toBe('ゆうちょ');
    expect(await dir.findBank('0002')).toBeNull();
    expect(await dir.findBank('1')).toBeNull();
    expect(await dir.findBank('abcd')).toBeNull();
  });

  it('finds a branch of a bank and nothing for a code of another bank', async () => {
    expect(await dir.findBranch('0001', '001')).toEqual({ code: '001', name: '東京営業部', kana: 'トウキヨウ' });
    expect(await dir.findBranch('0005', '135')).toMatchObject({ name: '渋谷' });
    expect(await dir.findBranch('0001', '0001')).toBeNull();
    expect(await dir.findBranch('0002', '001')).toBeNull();
  });

  it('searches banks by code prefix, kanji/hiragana name and kana typed with small kana or half-width', async () => {
    const byCode = await dir.searchBanks('00', 5);
    expect(byCode.map((b) => b.code)).toEqual(['0001', '0005', '0009', '0010', '0017']);
    expect((await dir.searchBanks('みずほ', 3))[0]?.code).toBe('0001');
    expect((await dir.searchBanks('ゆうちょ'))[0]?.code).toBe('9900'); // ょ → ヨ: list kana is ユウチヨ
    expect((await dir.searchBanks('ﾕｳﾁｮ'))[0]?.code).toBe('9900');
    expect((await dir.searchBanks('三菱UFJ'))[0]?.code).toBe('0005'); // list spells 三菱ＵＦＪ
    expect(await dir.searchBanks('', 5)).toEqual([]);
    expect(await dir.searchBanks('存在しない銀行名ザ', 5)).toEqual([]);
  });

  it('honours the limit and ranks prefix matches before substring matches', async () => {
    expect(await dir.searchBanks('シンキン', 7)).toHaveLength(7);
    const r = await dir.searchBanks('りそな', 10);
    expect(r[0]?.code).toBe('0010'); // りそな (prefix) before 埼玉りそな (substring)
    expect(r.map((b) => b.code)).toContain('0017');
  });

  it('searches the branches of one bank', async () => {
    const r = await dir.searchBranches('0005', 'しぶや', 5);
    expect(r.map((b) => b.name)).toContain('渋谷');
    expect((await dir.searchBranches('0001', '00', 3)).every((b) => b.code.startsWith('00'))).toBe(true);
    expect(await dir.searchBranches('0002', 'し', 5)).toEqual([]);
  });

  it('checks the codes of an account with Japanese messages naming the field', async () => {
    expect(await dir.checkAccountCodes('0001', '001')).toMatchObject({ ok: true, bank: { name: 'みずほ' }, branch: { name: '東京営業部' } });
    const noBank = await dir.checkAccountCodes('0002', '001');
    expect(noBank).toMatchObject({ ok: false, field: 'bankCode' });
    if (!noBank.ok) expect(noBank.message).toMatch(/^金融機関コード「0002」は全銀コード一覧（\d{4}-\d{2}-\d{2}版）にありません$/);
    const noBranch = await dir.checkAccountCodes('0001', '999');
    expect(noBranch).toMatchObject({ ok: false, field: 'branchCode' });
    if (!noBranch.ok) expect(noBranch.message).toContain('みずほ（0001）');
  });

  it('answers a lookup in microseconds and a search in under 5 ms once loaded', async () => {
    const N = 2000;
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await dir.findBranch('0005', '135');
    const lookupUs = ((performance.now() - t0) / N) * 1000;
    t0 = performance.now();
    for (let i = 0; i < 200; i++) await dir.searchBanks('しん', 20);
    const searchUs = ((performance.now() - t0) / 200) * 1000;
    console.info(`findBranch ${lookupUs.toFixed(1)} µs, searchBanks ${searchUs.toFixed(1)} µs`);
    expect(lookupUs).toBeLessThan(1000);
    expect(searchUs).toBeLessThan(5000);
  });
});

describe('bank directory loading', () => {
  const data: ZenginData = {
    '0001': { code: '0001', name: 'テスト', kana: 'テスト', branches: { '001': { code: '001', name: '本店', kana: 'ホンテン' } } },
  };

  it('loads lazily, once, and retries after a failed load', async () => {
    let calls = 0;
    const dir = createBankDirectory({
      source: () => {
        calls++;
        if (calls === 1) throw new Error('disk error');
        return { data, version: '1.0.0-p20260101' };
      },
    });
    expect(calls).toBe(0);
    await expect(dir.findBank('0001')).rejects.toThrow('disk error');
    expect(await dir.findBank('0001')).toMatchObject({ name: 'テスト' });
    await dir.findBranch('0001', '001');
    await dir.searchBanks('テ');
    expect(calls).toBe(2);
    expect((await dir.info()).dataDate).toBe('2026-01-01');
  });
});

describe('directoryKey / dataDateOf', () => {
  it('folds kana, width, small kana and dashes', () => {
    expect(directoryKey('きゅう　しゅう')).toBe('キユウシユウ');
    expect(directoryKey('ポート')).toBe(directoryKey('ポ－ト'));
    expect(directoryKey('ｐａｙｐａｙ')).toBe('PAYPAY');
  });
  it('reads the data date from the package version', () => {
    expect(dataDateOf('1.0.0-p20260824')).toBe('2026-08-24');
    expect(dataDateOf('1.0.0')).toBeNull();
    expect(dataDateOf(null)).toBeNull();
  });
});
