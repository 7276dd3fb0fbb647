/**
 * 公費負担者番号（8桁: 法別番号2 + 都道府県番号2 + 実施機関番号3 + 検証番号1）and
 * 公費負担医療の受給者番号（7桁: 6桁 + 検証番号1）.
 *
 * Check digit (modulus 10, weights 2-1): starting from the rightmost of the body digits,
 * multiply alternately by 2, 1, 2, 1, …; sum the digits of each product (14 → 1 + 4);
 * check = (10 − (sum mod 10)) mod 10.
 */

function luhnLikeCheckDigit(body: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    const p = Number(body[i]) * weight;
    sum += Math.floor(p / 10) + (p % 10);
    weight = weight === 2 ? 1 : 2;
  }
  return (10 - (sum % 10)) % 10;
}

export function publicPayerCheckDigit(first7: string): number {
  if (!/^\d{7}$/.test(first7)) {
    throw new RangeError('公費負担者番号の検証番号の計算には7桁の数字が必要です');
  }
  return luhnLikeCheckDigit(first7);
}

export function isValidPublicPayerNumber(s: string): boolean {
  if (typeof s !== 'string' || !/^\d{8}$/.test(s)) return false;
  return publicPayerCheckDigit(s.slice(0, 7)) === Number(s[7]);
}

export function recipientCheckDigit(first6: string): number {
  if (!/^\d{6}$/.test(first6)) {
    throw new RangeError('受給者番号の検証番号の計算には6桁の数字が必要です');
  }
  return luhnLikeCheckDigit(first6);
}

export function isValidRecipientNumber(s: string): boolean {
  if (typeof s !== 'string' || !/^\d{7}$/.test(s)) return false;
  return recipientCheckDigit(s.slice(0, 6)) === Number(s[6]);
}
