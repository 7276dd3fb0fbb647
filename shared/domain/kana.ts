/**
 * Normalisation of カナ氏名 etc. into search keys, and the one hiragana → katakana conversion of the tree.
 */

/** Hiragana ぁ–ゖ (U+3041–U+3096) and the iteration marks ゝゞ (U+309D, U+309E); each sits 0x60 below its katakana. */
const HIRAGANA_RE = /[\u3041-\u3096\u309D\u309E]/g;

/** Hiragana → katakana (ゔ → ヴ, ゝゞ → ヽヾ, small kana stay small); every other character is left as it is. */
export function hiraganaToKatakana(s: string): string {
  return s.replace(HIRAGANA_RE, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/**
 * NFKC (half-width katakana → full-width, dakuten composed), hiragana → katakana,
 * all whitespace removed, Latin letters upper-cased.
 * A final NFC composes voiced marks that only became adjacent after whitespace
 * removal (NFKC turns '゛' into ' ' + U+3099).
 */
export function normalizeKana(s: string): string {
  return hiraganaToKatakana(s.normalize('NFKC'))
    .replace(/[\s\u3000]/gu, '')
    .replace(/\p{Script=Latin}/gu, (c) => c.toUpperCase())
    .normalize('NFC');
}

/** Katakana U+30A1–U+30FA, ・ U+30FB, ー U+30FC, ヽ U+30FD, ヾ U+30FE. */
const KANA_NAME_RE = /^[\u30A1-\u30FE]+$/u;

export function isKanaName(s: string): boolean {
  return KANA_NAME_RE.test(normalizeKana(s));
}

/** Exclusive upper bound for an index range scan: key >= prefix AND key < bound. */
export function kanaPrefixUpperBound(prefix: string): string {
  return prefix + '\uFFFF';
}
