/**
 * 生活保護 の番号: 公費負担者番号 (法別番号 12) and 受給者番号 (7 digits). The check digits are those of
 * shared/domain/houbetsu.ts (公費負担医療 common rule: modulus 10, weights 2-1); nothing here computes a check
 * digit of its own.
 *
 * 法別番号: 12 = 生活保護法による医療扶助. The 介護扶助 uses the same 法別番号 12 on the 介護券 and in the 介護給付費
 * 請求 (公費負担者番号 12 + 都道府県 + 実施機関 + 検証番号; 介護保険の公費負担医療等の一覧 — 生活保護法の介護扶助 = 12).
 * 25 is not 生活保護: it is 中国残留邦人等支援給付 (医療支援給付・介護支援給付), a different 事務, refused here.
 * (Seed 001 names 公費負担者番号 as an item (別添2 No.192) but not its 法別; 12 is the public national rule.)
 */
import { isValidPublicPayerNumber, isValidRecipientNumber, recipientCheckDigit } from '../houbetsu';

/** 法別番号 of 生活保護 (医療扶助 and 介護扶助 alike). */
export const SEIKATSU_HOUBETSU = '12';

/** Why a 公費負担者番号 cannot be 生活保護's, in Japanese, or null when it can. */
export function seikatsuPublicPayerProblem(s: string): string | null {
  if (typeof s !== 'string' || !/^[0-9]{8}$/.test(s)) return '公費負担者番号は8桁の半角数字です';
  if (!isValidPublicPayerNumber(s)) return '公費負担者番号の検証番号が一致しません';
  if (s.slice(0, 2) !== SEIKATSU_HOUBETSU) return `公費負担者番号の法別番号が${s.slice(0, 2)}です（生活保護は${SEIKATSU_HOUBETSU}）`;
  const pref = Number(s.slice(2, 4));
  if (pref < 1 || pref > 47) return '公費負担者番号の都道府県番号（3・4桁目）は01〜47です';
  return null;
}

export function isSeikatsuPublicPayerNumber(s: string): boolean {
  return seikatsuPublicPayerProblem(s) === null;
}

/** Why a 受給者番号 is not valid, in Japanese, or null. */
export function recipientNumberProblem(s: string): string | null {
  if (typeof s !== 'string' || !/^[0-9]{7}$/.test(s)) return '受給者番号は7桁の半角数字です';
  return isValidRecipientNumber(s) ? null : '受給者番号の検証番号が一致しません';
}

/** Thrown when a profile's prefix and a serial cannot make a 受給者番号. */
export class RecipientNumberingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecipientNumberingError';
  }
}

/**
 * 受給者番号 from the profile's prefix (0–3 digits, as kodomo.recipientNumberPrefix) and a serial from the number
 * block: prefix + zero-padded serial = 6 digits, then the check digit. The same rule as the こども医療 受給者番号
 * (electron/core/certificates/numbering.ts recipientNumber), here pure so the server and the flows can use it.
 */
export function seikatsuRecipientNumber(prefix: string, serial: number): string {
  if (!/^[0-9]{0,3}$/.test(prefix)) throw new RecipientNumberingError('受給者番号の接頭辞は0〜3桁の数字です');
  if (!Number.isSafeInteger(serial) || serial < 1) throw new RecipientNumberingError('受給者番号の連番は1以上の整数です');
  const width = 6 - prefix.length;
  const body = String(serial).padStart(width, '0');
  if (body.length > width) throw new RecipientNumberingError('受給者番号の桁数を超えました。番号ブロックの設定を確認してください。');
  const first6 = prefix + body;
  return first6 + String(recipientCheckDigit(first6));
}
