/**
 * 口座（振込先）intake rules: the account schema and the 名義人カナ normalisation to the characters that
 * 全銀 (Zengin) transfers accept. Pure: no Node, no DOM. Whether a 金融機関コード / 支店コード actually exists
 * is checked on the core side against the 全銀 code list (electron/core/claims/bank-directory.ts).
 *
 * Character set (受取人名, 全銀協規定フォーマット): half-width katakana ｱ〜ﾝ without ｦ and without small kana,
 * ﾞ and ﾟ, digits 0–9, upper-case A–Z, space and the symbols ( ) . - / , (the comma as in the brief; some
 * bank systems refuse it, the ones that list ｢ ｣ \ as well are not covered). 長音「ー」 is sent as '-',
 * small kana as large kana (ｷｭｳ → ｷﾕｳ), which is how 通帳 print names.
 *
 * Length: 30 half-width characters, the 受取人名 field of the 全銀協 総合振込 data record (30 bytes in the
 * 120-byte record). ﾞ and ﾟ occupy one character each, so 「ガ」 counts as two.
 */
import { z } from 'zod';
import { hiraganaToKatakana } from './kana';

z.config(z.locales.ja());

/** 預金種別 and its 全銀 code (1 普通, 2 当座, 4 貯蓄). */
export const DEPOSIT_TYPES = ['普通', '当座', '貯蓄'] as const;
export type DepositType = (typeof DEPOSIT_TYPES)[number];
export const DEPOSIT_TYPE_ZENGIN_CODES: Readonly<Record<DepositType, '1' | '2' | '4'>> = { 普通: '1', 当座: '2', 貯蓄: '4' };

/** 受取人名 field width in the 全銀協 総合振込 data record. */
export const ACCOUNT_HOLDER_KANA_MAX = 30;
export const ACCOUNT_NUMBER_LENGTH = 7;

export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };
export type AccountNumberResult = { ok: true; value: string; note: string | null } | { ok: false; message: string };

const FULL_DIGIT_RE = /[０-９]/g;
function toHalfWidthDigits(s: string): string {
  return s.replace(FULL_DIGIT_RE, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * 口座番号: half- or full-width digits only (surrounding spaces ignored). Shorter numbers are left-padded
 * with zeros to 7 digits, and the note says so: a number written as 12345 on the form is 0012345 in the
 * 全銀 record. Anything else (hyphens, letters, 8+ digits) is refused rather than guessed.
 */
export function normalizeAccountNumber(input: string): AccountNumberResult {
  const s = toHalfWidthDigits(String(input ?? '')).replace(/^[\s\u3000]+|[\s\u3000]+$/gu, '');
  if (s.length === 0) return { ok: false, message: '口座番号を入力してください' };
  if (!/^\d+$/.test(s)) return { ok: false, message: '口座番号は数字のみで入力してください（記号や空白は使えません）' };
  if (s.length > ACCOUNT_NUMBER_LENGTH) {
    return { ok: false, message: `口座番号は7桁以内の数字です（現在${s.length}桁）` };
  }
  if (s.length === ACCOUNT_NUMBER_LENGTH) return { ok: true, value: s, note: null };
  const value = s.padStart(ACCOUNT_NUMBER_LENGTH, '0');
  return { ok: true, value, note: `口座番号が${s.length}桁のため、先頭を0で埋めて7桁にしました（${s} → ${value}）` };
}

/** Full-width katakana (after NFKC) → half-width, without voicing marks (those come from NFD). */
const FULL_KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
const HALF_KANA = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
const TO_HALF = new Map<string, string>([...FULL_KANA].map((c, i) => [c, HALF_KANA[i] ?? '']));
TO_HALF.set('\u3099', 'ﾞ');
TO_HALF.set('\u309A', 'ﾟ');
/** Small kana are sent as large kana. */
const SMALL_TO_LARGE = new Map<string, string>(
  [...'ァィゥェォャュョッヮヵヶ'].map((c, i) => [c, 'アイウエオヤユヨツワカケ'[i] ?? '']),
);
/** 長音 and dash-like characters are sent as '-'. */
const DASH_RE = /[\u30FC\u2010-\u2015\u2212\uFF0D\uFF70]/gu;
const ALLOWED_ASCII_RE = /^[0-9A-Z ().\-/,]$/;

/**
 * 法人略語 (the parenthesised abbreviations of the 全銀 受取人名 rules): 「(株)山田」→「カ)ヤマダ」,
 * 「山田(株)」→「ヤマダ(カ」, in the middle 「(カ)」. Only the parenthesised short forms are recognised
 * (㈱ is turned into (株) by NFKC); spelled-out 株式会社 in kanji is refused like any kanji.
 */
const CORPORATE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  株: 'カ',
  有: 'ユ',
  名: 'メ',
  資: 'シ',
  合: 'ド',
  医: 'イ',
  財: 'ザイ',
  社: 'シヤ',
  学: 'ガク',
  福: 'フク',
  特非: 'トクヒ',
};
const ABBREVIATION_RE = /\s*\((株|有|名|資|合|医|財|社|学|福|特非)\)\s*/gu;

function applyCorporateAbbreviations(s: string): string {
  return s.replace(ABBREVIATION_RE, (whole: string, kind: string, offset: number) => {
    const abbr = CORPORATE_ABBREVIATIONS[kind] ?? kind;
    if (offset === 0) return `${abbr})`;
    if (offset + whole.length === s.length) return `(${abbr}`;
    return `(${abbr})`;
  });
}

function hintFor(c: string): string {
  if (c === 'ヲ') return '（「オ」で入力してください）';
  if (c === '・') return '（スペースまたは「.」に置き換えてください）';
  if (c === 'ヰ' || c === 'ヱ') return '（「イ」「エ」で入力してください）';
  if (/\p{Script=Han}/u.test(c)) return '（カナで入力してください）';
  return '';
}

/**
 * 名義人カナ → the string sent in a 全銀 transfer (half-width katakana upper case). Accepts hiragana,
 * full- or half-width katakana, full-width digits and Latin letters; collapses spaces; refuses with a
 * Japanese message naming the first character that cannot be sent, or when longer than 30 characters.
 */
export function normalizeAccountHolderKana(input: string): NormalizeResult {
  let s = String(input ?? '')
    // A stand-alone ゛/゜ would become ' ' + combining mark under NFKC; make it the combining mark directly.
    .replace(/\u309B|\uFF9E/g, '\u3099')
    .replace(/\u309C|\uFF9F/g, '\u309A')
    .normalize('NFKC')
    .normalize('NFC')
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();
  if (s.length === 0) return { ok: false, message: '口座名義（カナ）を入力してください' };
  s = applyCorporateAbbreviations(s);

  let out = '';
  for (const ch of s) {
    let c = hiraganaToKatakana(ch);
    c = SMALL_TO_LARGE.get(c) ?? c;
    c = c.replace(DASH_RE, '-');
    if (/^[a-z]$/.test(c)) c = c.toUpperCase();
    if (ALLOWED_ASCII_RE.test(c)) {
      out += c;
      continue;
    }
    // Katakana (possibly voiced): decompose into base + ゛/゜ and map each part.
    const parts = [...c.normalize('NFD')];
    const mapped = parts.map((p) => TO_HALF.get(p));
    if (parts.length > 0 && parts.length <= 2 && mapped.every((m) => m !== undefined) && TO_HALF.has(parts[0] ?? '')) {
      out += mapped.join('');
      continue;
    }
    return { ok: false, message: `口座名義に使用できない文字「${ch}」が含まれています${hintFor(c)}` };
  }
  if (out.length > ACCOUNT_HOLDER_KANA_MAX) {
    return {
      ok: false,
      message: `口座名義（カナ）は半角${ACCOUNT_HOLDER_KANA_MAX}文字以内です（濁点・半濁点も1文字と数えます。現在${out.length}文字）`,
    };
  }
  return { ok: true, value: out };
}

/** Full-width digits are accepted; the result must be exactly `len` ASCII digits (no padding of codes). */
const fixedDigits = (len: number, label: string) =>
  z
    .string(`${label}を入力してください`)
    .transform((v) => toHalfWidthDigits(v).trim())
    .pipe(z.string().regex(new RegExp(`^[0-9]{${len}}$`), `${label}は${len}桁の数字です`));

/**
 * A bank account as entered at the counter. Output: codes and 口座番号 as ASCII digits (口座番号 padded to
 * 7), 名義人カナ normalised for 全銀. 公金受取口座 (the account registered under 公金受取口座登録法) may only be
 * chosen with the applicant's consent to its use.
 */
export const bankAccountSchema = z
  .object({
    bankCode: fixedDigits(4, '金融機関コード'),
    branchCode: fixedDigits(3, '支店コード'),
    depositType: z.enum(DEPOSIT_TYPES, '預金種別を選択してください（普通・当座・貯蓄）'),
    accountNumber: z.string('口座番号を入力してください').transform((v, ctx) => {
      const r = normalizeAccountNumber(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      return r.value;
    }),
    holderKana: z.string('口座名義（カナ）を入力してください').transform((v, ctx) => {
      const r = normalizeAccountHolderKana(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      return r.value;
    }),
    /** 公金受取口座を利用する. */
    publicFundAccount: z.boolean(),
    /** 公金受取口座の利用についての同意. */
    publicFundConsent: z.boolean(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.publicFundAccount && !a.publicFundConsent) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicFundConsent'],
        message: '公金受取口座を利用するには、申請者の同意が必要です（同意欄を確認してください）',
      });
    }
  });

export type BankAccountInput = z.input<typeof bankAccountSchema>;
export type BankAccount = z.output<typeof bankAccountSchema>;
