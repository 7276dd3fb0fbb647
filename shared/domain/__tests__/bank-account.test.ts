import { describe, it, expect } from 'vitest';
import {
  ACCOUNT_HOLDER_KANA_MAX,
  bankAccountSchema,
  DEPOSIT_TYPE_ZENGIN_CODES,
  normalizeAccountHolderKana,
  normalizeAccountNumber,
} from '../bank-account';

const ok = (value: string) => ({ ok: true, value });

describe('normalizeAccountHolderKana', () => {
  it('turns hiragana and full-width katakana into half-width katakana with separate voicing marks', () => {
    expect(normalizeAccountHolderKana('やまだ　たろう')).toEqual(ok('ﾔﾏﾀﾞ ﾀﾛｳ'));
    expect(normalizeAccountHolderKana('ヤマダ タロウ')).toEqual(ok('ﾔﾏﾀﾞ ﾀﾛｳ'));
    expect(normalizeAccountHolderKana('ﾔﾏﾀﾞ ﾀﾛｳ')).toEqual(ok('ﾔﾏﾀﾞ ﾀﾛｳ'));
    expect(normalizeAccountHolderKana('パピプペポ ヴ')).toEqual(ok('ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ ｳﾞ'));
    expect(normalizeAccountHolderKana('ゔぃ')).toEqual(ok('ｳﾞｲ'));
  });

  it('writes small kana as large kana', () => {
    expect(normalizeAccountHolderKana('キュウヨ ショウコ')).toEqual(ok('ｷﾕｳﾖ ｼﾖｳｺ'));
    expect(normalizeAccountHolderKana('ガッコウ')).toEqual(ok('ｶﾞﾂｺｳ'));
    expect(normalizeAccountHolderKana('ぁぃぅぇぉゃゅょっゎ')).toEqual(ok('ｱｲｳｴｵﾔﾕﾖﾂﾜ'));
    expect(normalizeAccountHolderKana('ｷｭｳ')).toEqual(ok('ｷﾕｳ'));
  });

  it('sends the long vowel mark and dashes as "-"', () => {
    expect(normalizeAccountHolderKana('サトー')).toEqual(ok('ｻﾄ-'));
    expect(normalizeAccountHolderKana('ｻﾄｰ')).toEqual(ok('ｻﾄ-'));
    expect(normalizeAccountHolderKana('サト－')).toEqual(ok('ｻﾄ-'));
  });

  it('turns full-width digits and Latin letters into half-width upper case', () => {
    expect(normalizeAccountHolderKana('ｓｍｉｔｈ ｊｏｈｎ')).toEqual(ok('SMITH JOHN'));
    expect(normalizeAccountHolderKana('Smith John')).toEqual(ok('SMITH JOHN'));
    expect(normalizeAccountHolderKana('ﾀﾞｲ２ ｼﾃﾝ')).toEqual(ok('ﾀﾞｲ2 ｼﾃﾝ'));
  });

  it('keeps the allowed symbols ( ) . - / , and collapses spaces', () => {
    expect(normalizeAccountHolderKana('（ヤマダ）．／，')).toEqual(ok('(ﾔﾏﾀﾞ)./,'));
    expect(normalizeAccountHolderKana('  ヤマダ \u3000\t タロウ  ')).toEqual(ok('ﾔﾏﾀﾞ ﾀﾛｳ'));
  });

  it('abbreviates parenthesised corporate forms by position', () => {
    expect(normalizeAccountHolderKana('（株）ヤマダショウテン')).toEqual(ok('ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ'));
    expect(normalizeAccountHolderKana('ヤマダショウテン（株）')).toEqual(ok('ﾔﾏﾀﾞｼﾖｳﾃﾝ(ｶ'));
    expect(normalizeAccountHolderKana('ヤマダ（株）ホンテン')).toEqual(ok('ﾔﾏﾀﾞ(ｶ)ﾎﾝﾃﾝ'));
    expect(normalizeAccountHolderKana('㈲ヤマダ')).toEqual(ok('ﾕ)ﾔﾏﾀﾞ'));
    expect(normalizeAccountHolderKana('(医) サクラカイ')).toEqual(ok('ｲ)ｻｸﾗｶｲ'));
  });

  it('names the first character that cannot be sent', () => {
    expect(normalizeAccountHolderKana('山田 タロウ')).toEqual({
      ok: false,
      message: '口座名義に使用できない文字「山」が含まれています（カナで入力してください）',
    });
    expect(normalizeAccountHolderKana('スミス・ジョン')).toEqual({
      ok: false,
      message: '口座名義に使用できない文字「・」が含まれています（スペースまたは「.」に置き換えてください）',
    });
    expect(normalizeAccountHolderKana('カヲル')).toMatchObject({ ok: false, message: expect.stringContaining('「ヲ」') });
    expect(normalizeAccountHolderKana('ヤマダ&タロウ')).toMatchObject({ ok: false, message: expect.stringContaining('「&」') });
    expect(normalizeAccountHolderKana('ヤマダ＠')).toMatchObject({ ok: false, message: expect.stringContaining('「@」') });
    expect(normalizeAccountHolderKana('José')).toMatchObject({ ok: false, message: expect.stringContaining('「é」') });
  });

  it('refuses an empty name', () => {
    expect(normalizeAccountHolderKana(' 　')).toEqual({ ok: false, message: '口座名義（カナ）を入力してください' });
  });

  it('allows 30 half-width characters, counting voicing marks, and refuses 31', () => {
    expect(ACCOUNT_HOLDER_KANA_MAX).toBe(30);
    const thirty = 'ア'.repeat(30);
    expect(normalizeAccountHolderKana(thirty)).toEqual(ok('ｱ'.repeat(30)));
    // 15 × ガ = 30 half-width characters; one more ガ is 32.
    expect(normalizeAccountHolderKana('ガ'.repeat(15))).toEqual(ok('ｶﾞ'.repeat(15)));
    expect(normalizeAccountHolderKana('ガ'.repeat(16))).toEqual({
      ok: false,
      message: '口座名義（カナ）は半角30文字以内です（濁点・半濁点も1文字と数えます。現在32文字）',
    });
  });

  it('is idempotent', () => {
    const once = normalizeAccountHolderKana('きゅうよ　いちろう');
    expect(once.ok).toBe(true);
    if (once.ok) expect(normalizeAccountHolderKana(once.value)).toEqual(once);
  });
});

describe('normalizeAccountNumber', () => {
  it('accepts 7 digits as they are', () => {
    expect(normalizeAccountNumber('1234567')).toEqual({ ok: true, value: '1234567', note: null });
    expect(normalizeAccountNumber('１２３４５６７')).toEqual({ ok: true, value: '1234567', note: null });
  });
  it('pads a shorter number with zeros and says so', () => {
    expect(normalizeAccountNumber('12345')).toEqual({
      ok: true,
      value: '0012345',
      note: '口座番号が5桁のため、先頭を0で埋めて7桁にしました（12345 → 0012345）',
    });
  });
  it('refuses non-digits, 8 digits and empty input', () => {
    expect(normalizeAccountNumber('123-4567')).toEqual({ ok: false, message: '口座番号は数字のみで入力してください（記号や空白は使えません）' });
    expect(normalizeAccountNumber('12a4567').ok).toBe(false);
    expect(normalizeAccountNumber('12345678')).toEqual({ ok: false, message: '口座番号は7桁以内の数字です（現在8桁）' });
    expect(normalizeAccountNumber('')).toEqual({ ok: false, message: '口座番号を入力してください' });
  });
});

describe('bankAccountSchema', () => {
  const valid = {
    bankCode: '0001',
    branchCode: '001',
    depositType: '普通',
    accountNumber: '12345',
    holderKana: 'やまだ たろう',
    publicFundAccount: false,
    publicFundConsent: false,
  };

  it('parses and normalises a valid account', () => {
    expect(bankAccountSchema.parse(valid)).toEqual({ ...valid, accountNumber: '0012345', holderKana: 'ﾔﾏﾀﾞ ﾀﾛｳ' });
    expect(bankAccountSchema.parse({ ...valid, bankCode: '０００５', branchCode: '１３５' })).toMatchObject({ bankCode: '0005', branchCode: '135' });
    expect(DEPOSIT_TYPE_ZENGIN_CODES['貯蓄']).toBe('4');
  });

  it('refuses codes of the wrong length instead of padding them', () => {
    const r = bankAccountSchema.safeParse({ ...valid, bankCode: '1', branchCode: '12' });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(messages).toEqual(['bankCode:金融機関コードは4桁の数字です', 'branchCode:支店コードは3桁の数字です']);
  });

  it('refuses an unknown deposit type and a bad name with Japanese messages', () => {
    const r = bankAccountSchema.safeParse({ ...valid, depositType: '外貨', holderKana: '山田' });
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      '預金種別を選択してください（普通・当座・貯蓄）',
      '口座名義に使用できない文字「山」が含まれています（カナで入力してください）',
    ]);
  });

  it('requires consent when the 公金受取口座 is chosen', () => {
    const r = bankAccountSchema.safeParse({ ...valid, publicFundAccount: true, publicFundConsent: false });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({
      path: ['publicFundConsent'],
      message: '公金受取口座を利用するには、申請者の同意が必要です（同意欄を確認してください）',
    });
    expect(bankAccountSchema.safeParse({ ...valid, publicFundAccount: true, publicFundConsent: true }).success).toBe(true);
  });

  it('refuses unexpected fields and uses Japanese default messages', () => {
    const r = bankAccountSchema.safeParse({ ...valid, extra: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const missing = bankAccountSchema.safeParse({ ...valid, publicFundAccount: undefined });
    expect(missing.error?.issues[0]?.path).toEqual(['publicFundAccount']);
  });
});
