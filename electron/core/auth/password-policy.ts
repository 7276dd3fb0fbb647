import { hiraganaToKatakana } from '../../../shared/domain/kana';
import { COMMON_PASSWORD_WORDS } from './password-words';

/**
 * Password strength rules applied when staff set or change a password ("not guessable": minimum length from the
 * policy; no dictionary words, keyboard walks, repetitions or sequences; not the user's own ID or name).
 *
 * Every check works on the NFKC form of the password, case-insensitively, so full-width letters and digits count
 * as their ASCII forms. Lengths are counted in characters (code points) of the password exactly as typed, leading
 * and trailing whitespace included; the pattern checks ignore that leading and trailing whitespace.
 *
 * The messages are shown next to the password field. They are fixed texts (plus the lengths) and never quote the
 * password or the part of it that was refused.
 */

export interface PasswordRules {
  minLength: number;
  /** Default 256. */
  maxLength?: number;
}

export interface PasswordSubject {
  staffId: string;
  /** As registered, e.g. '山田\u3000太郎' or 'John Smith'. */
  name: string;
  /** Katakana or hiragana reading, e.g. 'ヤマダ タロウ'. */
  nameKana?: string;
}

export type PasswordProblemCode =
  | 'too_short'
  | 'too_long'
  | 'contains_id'
  | 'contains_name'
  | 'dictionary'
  | 'keyboard'
  | 'repeated'
  | 'sequence'
  | 'low_variety'
  | 'whitespace_only';

export interface PasswordProblem {
  code: PasswordProblemCode;
  /** Japanese, shown next to the field; never contains the password. */
  message: string;
}

export const DEFAULT_PASSWORD_RULES: Readonly<Required<PasswordRules>> = { minLength: 12, maxLength: 256 };

/** The order problems are reported in. */
export const PASSWORD_PROBLEM_ORDER: readonly PasswordProblemCode[] = [
  'too_short',
  'too_long',
  'contains_id',
  'contains_name',
  'dictionary',
  'keyboard',
  'repeated',
  'sequence',
  'low_variety',
  'whitespace_only',
];

/** A password this long (and over maxLength) gets only the length verdict, so a pasted megabyte costs nothing. */
const CONTENT_CHECK_LIMIT = 1024;
/** At least this many characters and a single character class is still fine (a passphrase). */
const PASSPHRASE_LENGTH = 20;
/** Runs of this many keyboard-adjacent or consecutive characters are refused. */
const RUN_LENGTH = 4;
/** Dictionary words this long are refused anywhere in the password; shorter ones only as its whole word part. */
const CONTAINED_WORD_LENGTH = 5;

const FIXED_MESSAGES: Record<Exclude<PasswordProblemCode, 'too_short' | 'too_long'>, string> = {
  contains_id: 'パスワードに職員IDを含めることはできません',
  contains_name: 'パスワードに氏名を含めることはできません',
  dictionary: 'よく使われる単語や推測しやすい語（password など）は使えません',
  keyboard: 'キーボードの並び（qwerty、asdf など）は使えません',
  repeated: '同じ文字や同じ並びの繰り返しは使えません',
  sequence: '連続した文字や数字（abcd、1234 など）は使えません',
  low_variety: '英大文字・英小文字・数字・記号のうち2種類以上を組み合わせてください（20文字以上なら1種類でも可）',
  whitespace_only: '空白だけのパスワードは使えません',
};

export function checkPasswordStrength(password: string, rules: PasswordRules, subject: PasswordSubject): PasswordProblem[] {
  const minLength = positiveInteger(rules.minLength, DEFAULT_PASSWORD_RULES.minLength);
  const maxLength = positiveInteger(rules.maxLength, DEFAULT_PASSWORD_RULES.maxLength);
  const length = Array.from(password).length;
  const found = new Map<PasswordProblemCode, string>();
  const flag = (code: Exclude<PasswordProblemCode, 'too_short' | 'too_long'>): void => {
    found.set(code, FIXED_MESSAGES[code]);
  };

  if (length < minLength) found.set('too_short', `パスワードは${minLength}文字以上にしてください（現在${length}文字）`);
  if (length > maxLength) found.set('too_long', `パスワードは${maxLength}文字以下にしてください（現在${length}文字）`);

  const shaped = password.normalize('NFKC').trim();
  if (password.length > 0 && shaped.length === 0) flag('whitespace_only');

  if (shaped.length > 0 && !(length > maxLength && length > CONTENT_CHECK_LIMIT)) {
    const text = shaped.toLowerCase();
    const chars = Array.from(text);
    if (containsStaffId(text, subject.staffId)) flag('contains_id');
    if (containsName(text, subject)) flag('contains_name');
    if (isDictionaryBased(text)) flag('dictionary');
    if (hasKeyboardRun(chars)) flag('keyboard');
    if (hasRepetition(chars)) flag('repeated');
    if (hasSequence(chars)) flag('sequence');
    if (characterClasses(shaped) < 2 && length < PASSPHRASE_LENGTH) flag('low_variety');
  }

  return PASSWORD_PROBLEM_ORDER.flatMap((code) => {
    const message = found.get(code);
    return message === undefined ? [] : [{ code, message }];
  });
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation helpers

const LEET: Readonly<Record<string, string>> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** Undo leet-speak; '1' stands for either 'i' or 'l', so the caller tries both. */
function undoLeet(text: string, one: 'i' | 'l'): string {
  let out = '';
  for (const c of text) out += c === '1' ? one : (LEET[c] ?? c);
  return out;
}

const isAsciiLetter = (c: string): boolean => c >= 'a' && c <= 'z';

/** Drop everything but a–z from both ends ("password2026!" → "password"). */
function stripEnds(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && !isAsciiLetter(chars[start] ?? '')) start++;
  while (end > start && !isAsciiLetter(chars[end - 1] ?? '')) end--;
  return chars.slice(start, end).join('');
}

const lettersOnly = (text: string): string => text.replace(/[^a-z]+/g, '');

const reverse = (text: string): string => Array.from(text).reverse().join('');

const hasKana = (text: string): boolean => /[\u3041-\u3096\u30a1-\u30fa\u30fc]/.test(text);

// ---------------------------------------------------------------------------------------------------------------
// Own ID and name

function containsStaffId(text: string, staffId: string): boolean {
  const id = staffId.normalize('NFKC').trim().toLowerCase();
  if (Array.from(id).length < 3) return false;
  if (text.includes(id)) return true;
  // 'A-0001' for 'A0001' (and the other way round).
  const bare = (s: string): string => s.replace(/[^\p{L}\p{N}]+/gu, '');
  const bareId = bare(id);
  return Array.from(bareId).length >= 3 && bare(text).includes(bareId);
}

function containsName(text: string, subject: PasswordSubject): boolean {
  const needles = nameNeedles(subject);
  if (needles.length === 0) return false;
  const folded = hiraganaToKatakana(text);
  const haystacks = [folded, undoLeet(folded, 'i'), undoLeet(folded, 'l')];
  return needles.some((needle) => haystacks.some((h) => h.includes(needle)));
}

const splitName = (name: string): string[] =>
  hiraganaToKatakana(name.normalize('NFKC').toLowerCase())
    .split(/[\s・,，]+/u)
    .filter((part) => part.length > 0);

/** The name parts to look for: as typed (two characters or more, three for a Latin part such as 'li'), and the
 * Hepburn romanisations of the kana reading (three letters or more). */
function nameNeedles(subject: PasswordSubject): string[] {
  const needles = new Set<string>();
  const addTyped = (part: string): void => {
    const length = Array.from(part).length;
    const latinOnly = /^[\x20-\x7e]+$/.test(part);
    if (length >= (latinOnly ? 3 : 2)) needles.add(part);
  };
  for (const part of splitName(subject.name)) addTyped(part);
  for (const part of splitName(subject.nameKana ?? '')) {
    addTyped(part);
    for (const romaji of kanaToRomajiVariants(part)) {
      if (/^[a-z]{3,}$/.test(romaji)) needles.add(romaji);
    }
  }
  return [...needles];
}

// ---------------------------------------------------------------------------------------------------------------
// Katakana → Hepburn romaji

const KANA: Readonly<Record<string, string>> = {
  ア: 'a', イ: 'i', ウ: 'u', エ: 'e', オ: 'o',
  カ: 'ka', キ: 'ki', ク: 'ku', ケ: 'ke', コ: 'ko',
  サ: 'sa', シ: 'shi', ス: 'su', セ: 'se', ソ: 'so',
  タ: 'ta', チ: 'chi', ツ: 'tsu', テ: 'te', ト: 'to',
  ナ: 'na', ニ: 'ni', ヌ: 'nu', ネ: 'ne', ノ: 'no',
  ハ: 'ha', ヒ: 'hi', フ: 'fu', ヘ: 'he', ホ: 'ho',
  マ: 'ma', ミ: 'mi', ム: 'mu', メ: 'me', モ: 'mo',
  ヤ: 'ya', ユ: 'yu', ヨ: 'yo',
  ラ: 'ra', リ: 'ri', ル: 'ru', レ: 're', ロ: 'ro',
  ワ: 'wa', ヰ: 'i', ヱ: 'e', ヲ: 'o', ン: 'n',
  ガ: 'ga', ギ: 'gi', グ: 'gu', ゲ: 'ge', ゴ: 'go',
  ザ: 'za', ジ: 'ji', ズ: 'zu', ゼ: 'ze', ゾ: 'zo',
  ダ: 'da', ヂ: 'ji', ヅ: 'zu', デ: 'de', ド: 'do',
  バ: 'ba', ビ: 'bi', ブ: 'bu', ベ: 'be', ボ: 'bo',
  パ: 'pa', ピ: 'pi', プ: 'pu', ペ: 'pe', ポ: 'po',
  ヴ: 'vu', ヵ: 'ka', ヶ: 'ke', ヮ: 'wa',
};
const SMALL_Y: Readonly<Record<string, string>> = { ャ: 'a', ュ: 'u', ョ: 'o' };
const SMALL_VOWEL: Readonly<Record<string, string>> = { ァ: 'a', ィ: 'i', ゥ: 'u', ェ: 'e', ォ: 'o' };
const VOWELS = 'aiueo';

interface RomajiOptions {
  /** 'ー' repeats the vowel before it ('raamen') or is dropped ('ramen'). */
  longVowel: 'repeat' | 'drop';
  /** Traditional Hepburn 'm' for ン before b, m, p ('homma' rather than 'honma'). */
  mBeforeLabial: boolean;
}

function romanise(kana: string, options: RomajiOptions): string {
  const syllables: string[] = [];
  let geminate = false;
  for (const c of hiraganaToKatakana(kana.normalize('NFKC'))) {
    const last = syllables.length - 1;
    const previous = syllables[last];
    if (c === 'ッ') {
      geminate = true;
      continue;
    }
    if (c === 'ー') {
      const vowel = previous?.slice(-1) ?? '';
      if (options.longVowel === 'repeat' && VOWELS.includes(vowel) && vowel !== '') syllables.push(vowel);
      continue;
    }
    const y = SMALL_Y[c];
    if (y !== undefined) {
      // キャ → kya, シャ → sha, チャ → cha, ジャ → ja; a lone ャ → ya.
      if (previous !== undefined && previous.length >= 2 && previous.endsWith('i')) {
        const base = previous.slice(0, -1);
        syllables[last] = /(sh|ch|j)$/.test(base) ? base + y : `${base}y${y}`;
      } else syllables.push(`y${y}`);
      continue;
    }
    const smallVowel = SMALL_VOWEL[c];
    if (smallVowel !== undefined) {
      // ファ → fa, ティ → ti, シェ → she, ウィ → wi; a lone ァ → a.
      if (previous !== undefined && VOWELS.includes(previous.slice(-1)) && previous !== 'n') {
        const consonant = previous.slice(0, -1);
        syllables[last] = (consonant === '' ? 'w' : consonant) + smallVowel;
      } else syllables.push(smallVowel);
      continue;
    }
    let syllable = KANA[c] ?? c;
    if (geminate && /^[bcdfghjkmprstvwz]/.test(syllable)) syllable = (syllable.startsWith('ch') ? 't' : syllable[0]) + syllable;
    geminate = false;
    syllables.push(syllable);
  }
  if (options.mBeforeLabial) {
    syllables.forEach((s, i) => {
      if (s === 'n' && /^[bmp]/.test(syllables[i + 1] ?? '')) syllables[i] = 'm';
    });
  }
  return syllables.join('');
}

/** Hepburn romanisation of a katakana (or hiragana) string: ヤマダ → yamada, タロウ → tarou, シンイチ → shinichi,
 * キョウコ → kyouko, ハットリ → hattori, ラーメン → raamen. Characters that are not kana are passed through. */
export function kanaToRomaji(kana: string): string {
  return romanise(kana, { longVowel: 'repeat', mBeforeLabial: false });
}

/** The ways a kana reading is commonly written in romaji: strict Hepburn ('tarou', 'raamen', 'honma') and the
 * simplified forms without long vowels ('taro', 'ramen') and with 'm' before b/m/p ('homma'). */
export function kanaToRomajiVariants(kana: string): string[] {
  const variants = new Set<string>();
  for (const longVowel of ['repeat', 'drop'] as const) {
    for (const mBeforeLabial of [false, true]) {
      const full = romanise(kana, { longVowel, mBeforeLabial });
      variants.add(full);
      variants.add(full.replace(/ou/g, 'o').replace(/([aiueo])\1/g, '$1'));
    }
  }
  return [...variants];
}

// ---------------------------------------------------------------------------------------------------------------
// Dictionary

interface DictionaryForms {
  /** Compared with the whole word list: also with the separators inside dropped ('pass-w0rd' → 'password'). */
  whole: Set<string>;
  /** Searched for the longer words; separators stay, so 'kondo-no-yasumi' does not read as 'oyasumi'. */
  contained: Set<string>;
}

/** The forms of a (lower-case) text compared with the word list: leet undone (both readings of '1'), digits and
 * symbols dropped at the ends (before or after undoing leet), and each of those reversed ('drowssap'). */
function dictionaryForms(text: string): DictionaryForms {
  const whole = new Set<string>();
  const contained = new Set<string>();
  const stripped = stripEnds(text);
  for (const one of ['i', 'l'] as const) {
    for (const form of [stripEnds(undoLeet(text, one)), stripEnds(undoLeet(stripped, one))]) {
      for (const f of [form, reverse(form)]) {
        contained.add(f);
        whole.add(f);
        whole.add(lettersOnly(f));
      }
    }
  }
  return { whole, contained };
}

interface WordIndex {
  /** Every normalised form, matched against the whole word part of the password. */
  whole: ReadonlySet<string>;
  /** The forms long enough to be refused anywhere in the password. */
  contained: readonly string[];
}

let wordIndex: WordIndex | null = null;

function words(): WordIndex {
  if (wordIndex === null) {
    const whole = new Set<string>();
    for (const word of COMMON_PASSWORD_WORDS) {
      const text = word.normalize('NFKC').toLowerCase();
      // The word as listed and its leet-undone, end-stripped readings ('trustno1' → 'trustnoi', 'trustnol', 'trustno').
      for (const one of ['i', 'l'] as const) {
        for (const form of [text, stripEnds(undoLeet(text, one)), stripEnds(undoLeet(stripEnds(text), one))]) {
          if (form.length >= 3) whole.add(form);
        }
      }
    }
    wordIndex = { whole, contained: [...whole].filter((w) => w.length >= CONTAINED_WORD_LENGTH) };
  }
  return wordIndex;
}

function isDictionaryBased(text: string): boolean {
  const sources = [text];
  // 'パスワード2026' reads as 'pasuwaado2026' / 'pasuwado2026'.
  if (hasKana(text)) sources.push(...kanaToRomajiVariants(text));
  const index = words();
  for (const source of sources) {
    const forms = dictionaryForms(source);
    for (const form of forms.whole) if (form !== '' && index.whole.has(form)) return true;
    for (const form of forms.contained) if (index.contained.some((word) => form.includes(word))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns

/** Keyboard lines (US QWERTY, as a Japanese JIS keyboard has the same letter and digit rows): the rows, the
 * shifted digit row, and the column walks ('1qaz2wsx…', 'qazwsx…', 'zaq1xsw2…'). Each also counts reversed. */
const KEYBOARD_LINES = [
  '1234567890-=',
  '!@#$%^&*()_+',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
  'qazwsxedcrfvtgbyhnujmik,ol.p;/',
  'zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0',
  'zaqxswcdevfrbgtnhymju,ki.lo/;p',
];

const KEYBOARD_RUNS: ReadonlySet<string> = (() => {
  const runs = new Set<string>();
  for (const line of KEYBOARD_LINES) {
    for (const l of [line, reverse(line)]) {
      for (let i = 0; i + RUN_LENGTH <= l.length; i++) runs.add(l.slice(i, i + RUN_LENGTH));
    }
  }
  return runs;
})();

function hasKeyboardRun(chars: readonly string[]): boolean {
  for (let i = 0; i + RUN_LENGTH <= chars.length; i++) {
    if (KEYBOARD_RUNS.has(chars.slice(i, i + RUN_LENGTH).join(''))) return true;
  }
  return false;
}

/** 'aaa' anywhere, or the whole password one short unit (up to 4 characters) over and over ('passpass'). */
function hasRepetition(chars: readonly string[]): boolean {
  for (let i = 2; i < chars.length; i++) {
    if (chars[i] === chars[i - 1] && chars[i] === chars[i - 2]) return true;
  }
  for (let unit = 1; unit <= 4; unit++) {
    if (chars.length >= unit * 2 && chars.length % unit === 0 && chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** Four or more consecutive letters or digits going up or down by one ('abcd', '6789', '9876'). */
function hasSequence(chars: readonly string[]): boolean {
  const kind = (c: string): 'letter' | 'digit' | null => (isAsciiLetter(c) ? 'letter' : c >= '0' && c <= '9' ? 'digit' : null);
  let run = 1;
  let step = 0;
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1] ?? '';
    const b = chars[i] ?? '';
    const k = kind(b);
    const d = k !== null && k === kind(a) ? b.charCodeAt(0) - a.charCodeAt(0) : 0;
    if ((d === 1 || d === -1) && d === step) run++;
    else if (d === 1 || d === -1) {
      run = 2;
      step = d;
    } else {
      run = 1;
      step = 0;
    }
    if (run >= RUN_LENGTH) return true;
  }
  return false;
}

/** How many of lower case, upper case, digits and anything else (symbols, spaces, Japanese) the password uses. */
function characterClasses(text: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (const c of text) {
    if (/\p{Ll}/u.test(c)) lower = true;
    else if (/\p{Lu}/u.test(c)) upper = true;
    else if (/\p{Nd}/u.test(c)) digit = true;
    else other = true;
  }
  return [lower, upper, digit, other].filter(Boolean).length;
}
