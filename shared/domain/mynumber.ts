/**
 * 個人番号（マイナンバー）validation.
 * The number itself must never leak: see maskMyNumber.
 */

export type MyNumberCheck = { ok: true; value: string } | { ok: false; message: string };

const WEIGHTS = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Spaces (incl. U+3000 and other whitespace) and hyphen-like characters that are ignored in input. */
const IGNORED_RE = /[\s\-\u2010\u2011\u2012\u2013\u2212\uFF0D]/gu;

/** Full-width digits (０-９) as ASCII digits. */
export function toHalfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Check digit for the first 11 digits of a 個人番号. Throws RangeError unless exactly 11 ASCII digits. */
export function myNumberCheckDigit(first11: string): number {
  if (!/^\d{11}$/.test(first11)) {
    throw new RangeError('チェックデジットの計算には11桁の数字が必要です');
  }
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    sum += Number(first11[i]) * (WEIGHTS[i] ?? 0);
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

export function checkMyNumber(input: string): MyNumberCheck {
  const s = toHalfWidthDigits(String(input ?? '').trim()).replace(IGNORED_RE, '');
  if (s.length === 0) return { ok: false, message: '個人番号を入力してください' };
  if (!/^\d+$/.test(s)) return { ok: false, message: '個人番号に数字以外の文字が含まれています' };
  if (s.length !== 12) return { ok: false, message: `個人番号は12桁の数字です（現在${s.length}桁）` };
  if (myNumberCheckDigit(s.slice(0, 11)) !== Number(s[11])) {
    return { ok: false, message: '個人番号のチェックデジットが一致しません（入力の誤りの可能性があります）' };
  }
  return { ok: true, value: s };
}

export function isValidMyNumber(s: string): boolean {
  return checkMyNumber(s).ok;
}

/** Always returns 12 asterisks: no digit of the number is ever shown. */
export function maskMyNumber(v: string): string {
  void v;
  return '************';
}

/**
 * Whether a text contains a valid 個人番号 written as 12 digits (half- or full-width), plain or grouped
 * 4-4-4 with spaces or hyphens, not part of a longer number. Used to refuse copying it.
 */
export function containsMyNumber(text: string): boolean {
  const t = toHalfWidthDigits(text);
  const re = /(?<!\d)(\d{4})[ \u3000\-\u2010-\u2015\u2212\uFF0D]?(\d{4})[ \u3000\-\u2010-\u2015\u2212\uFF0D]?(\d{4})(?!\d)/g;
  for (const m of t.matchAll(re)) if (isValidMyNumber(`${m[1]}${m[2]}${m[3]}`)) return true;
  return false;
}
