/**
 * 和暦（Japanese era）formatting and pure ISO-date (YYYY-MM-DD) arithmetic: string/number math, no time zones.
 * The one exception is reading an instant (a stored UTC timestamp) in Japan time: todayInJapan and the jst*
 * formatters at the end, the only place in the tree that knows Japan is UTC+9.
 */

export type Era = '明治' | '大正' | '昭和' | '平成' | '令和';

export type Wareki = { era: Era; year: number; month: number; day: number };

type YMD = { y: number; m: number; d: number };

/** Eras in descending order of start date. */
const ERAS: ReadonlyArray<{ era: Era; short: string; start: string; startYear: number }> = [
  { era: '令和', short: 'R', start: '2019-05-01', startYear: 2019 },
  { era: '平成', short: 'H', start: '1989-01-08', startYear: 1989 },
  { era: '昭和', short: 'S', start: '1926-12-25', startYear: 1926 },
  { era: '大正', short: 'T', start: '1912-07-30', startYear: 1912 },
  { era: '明治', short: 'M', start: '1868-01-25', startYear: 1868 },
];

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (!Number.isInteger(m) || m < 1 || m > 12) {
    throw new RangeError(`月は1〜12で指定してください（${m}）`);
  }
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isValidYmd(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) &&
    y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
  );
}

/** Strict YYYY-MM-DD that denotes a real (proleptic Gregorian) calendar date, years 0001–9999. */
export function isValidIsoDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_RE.exec(s);
  if (!m) return false;
  return isValidYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function parseIso(iso: string): YMD {
  const m = typeof iso === 'string' ? ISO_RE.exec(iso) : null;
  if (!m) throw new RangeError(`日付の形式が正しくありません（YYYY-MM-DD 形式で指定してください）: ${String(iso)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!isValidYmd(y, mo, d)) throw new RangeError(`存在しない日付です: ${iso}`);
  return { y, m: mo, d };
}

export function toIso(y: number, m: number, d: number): string {
  if (!isValidYmd(y, m, d)) throw new RangeError(`存在しない日付です: ${y}年${m}月${d}日`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's days_from_civil. */
function toDayNumber({ y, m, d }: YMD): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(n: number): YMD {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return { y, m, d };
}

export function addDays(iso: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`加算する日数は整数で指定してください（${n}）`);
  const r = fromDayNumber(toDayNumber(parseIso(iso)) + n);
  if (r.y < 1 || r.y > 9999) throw new RangeError('計算結果の日付が扱える範囲（0001〜9999年）を超えています');
  return toIso(r.y, r.m, r.d);
}

export function compareIso(a: string, b: string): -1 | 0 | 1 {
  parseIso(a);
  parseIso(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The k-th birthday anniversary in `year`; a 2/29 birthday falls on 3/1 in non-leap years. */
function anniversaryIn(birth: YMD, year: number): string {
  if (birth.m === 2 && birth.d === 29 && !isLeapYear(year)) return toIso(year, 3, 1);
  return toIso(year, birth.m, birth.d);
}

/**
 * Age on `onIso` per 年齢計算ニ関スル法律: an age is attained at the end of the day
 * before the birthday anniversary, i.e. the age is the number of anniversaries A
 * (A = 1st, 2nd, … anniversary) with A − 1 day <= onIso.
 */
export function ageOn(birthIso: string, onIso: string): number {
  const b = parseIso(birthIso);
  const on = parseIso(onIso);
  if (birthIso > onIso) throw new RangeError(`生年月日（${birthIso}）が基準日（${onIso}）より後です`);
  // The (on.y - b.y + 1)-th anniversary is the largest that can possibly qualify
  // (e.g. born 1/1, on 12/31 of the previous year).
  for (let k = on.y - b.y + 1; k >= 1; k--) {
    if (b.y + k > 9999) continue;
    if (addDays(anniversaryIn(b, b.y + k), -1) <= onIso) return k;
  }
  return 0;
}

export function toWareki(iso: string): Wareki {
  const { y, m, d } = parseIso(iso);
  for (const e of ERAS) {
    if (iso >= e.start) return { era: e.era, year: y - e.startYear + 1, month: m, day: d };
  }
  throw new RangeError(`明治元年（1868年1月25日）より前の日付は和暦に変換できません: ${iso}`);
}

export function formatWareki(iso: string, opts?: { gannen?: boolean }): string {
  const w = toWareki(iso);
  const gannen = opts?.gannen ?? true;
  const year = w.year === 1 && gannen ? '元' : String(w.year);
  return `${w.era}${year}年${w.month}月${w.day}日`;
}

export function formatWarekiShort(iso: string): string {
  const w = toWareki(iso);
  const short = ERAS.find((e) => e.era === w.era)?.short ?? '';
  return `${short}${w.year}.${w.month}.${w.day}`;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and 年月 as staff type them: 和暦 (令和8年12月6日, R8.12.6, 平28.5.10, R081206) or 西暦 (2026/12/6,
// 2026-12-06, 20261206, 2026年12月6日), full-width or not, with or without spaces. One reading for every form.

export type DateInputResult = { ok: true; iso: string; wareki: string } | { ok: false; message: string };
export type MonthInputResult = { ok: true; ym: string; wareki: string } | { ok: false; message: string };

/** Every way an era is written at the counter: name, first kanji, Latin initial (after upper-casing). */
const ERA_WRITINGS: ReadonlyArray<[string, Era]> = ERAS.flatMap((e) => [
  [e.era, e.era],
  [e.era.charAt(0), e.era],
  [e.short, e.era],
]);
const ERA_ALT = ERA_WRITINGS.map(([w]) => w).sort((a, b) => b.length - a.length).join('|');
const YEAR_SEP = '(?:年|[./-])';
const MONTH_SEP = '(?:月|[./-])';
const DATE_ERA_RE = new RegExp(`^(${ERA_ALT})[./-]?(元|\\d{1,2})${YEAR_SEP}(\\d{1,2})${MONTH_SEP}(\\d{1,2})日?$`);
const DATE_ERA_COMPACT_RE = new RegExp(`^(${ERA_ALT})(\\d{2})(\\d{2})(\\d{2})$`);
const DATE_WESTERN_RE = new RegExp(`^(\\d{4})${YEAR_SEP}(\\d{1,2})${MONTH_SEP}(\\d{1,2})日?$`);
const DATE_COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_SHORT_YEAR_RE = new RegExp(`^\\d{1,3}${YEAR_SEP}\\d{1,2}${MONTH_SEP}\\d{1,2}日?$`);
const MONTH_ERA_RE = new RegExp(`^(${ERA_ALT})[./-]?(元|\\d{1,2})${YEAR_SEP}(\\d{1,2})月?$`);
const MONTH_ERA_COMPACT_RE = new RegExp(`^(${ERA_ALT})(\\d{2})(\\d{2})$`);
const MONTH_WESTERN_RE = new RegExp(`^(\\d{4})${YEAR_SEP}(\\d{1,2})月?$`);
const MONTH_COMPACT_RE = /^(\d{4})(\d{2})$/;
const DATE_NO_YEAR_RE = new RegExp(`^\\d{1,2}${MONTH_SEP}\\d{1,2}日?$`);
const MONTH_SHORT_YEAR_RE = new RegExp(`^\\d{1,3}${YEAR_SEP}\\d{1,2}月?$`);

/** The earliest date any era (明治) covers: earlier dates have no 和暦 here. */
const FIRST_ERA_DAY = ERAS[ERAS.length - 1]!.start;

/**
 * Width folded (NFKC: full-width digits, letters and ．／－ become ASCII), spaces removed, Latin upper-cased, and
 * the dashes an IME gives for '-' (ー, −, ‐, —, ―, ～ is not one) and ・ as a separator read as '-' and '.'.
 */
function foldDateText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u3000]/gu, '')
    .toUpperCase()
    .replace(/[\u2010-\u2015\u2212\u30FC\uFF70]/gu, '-')
    .replace(/[・･]/gu, '.');
}

function eraInfo(era: Era) {
  const i = ERAS.findIndex((e) => e.era === era);
  return { def: ERAS[i]!, next: i > 0 ? ERAS[i - 1]! : null, previous: ERAS[i + 1] ?? null };
}

const yearLabel = (y: number) => (y === 1 ? '元' : String(y));

/** 'YYYY-MM-DD' → '31年4月30日' (the era's own year, 元 for 1), for the boundary messages. */
function eraDayLabel(era: Era, iso: string): string {
  const { y, m, d } = parseIso(iso);
  return `${yearLabel(y - eraInfo(era).def.startYear + 1)}年${m}月${d}日`;
}

/** Why a day (or, with `month`, a month) written in `era` lies outside it; null when inside. */
function outsideEra(era: Era, firstIso: string, lastIso: string, shown: string): string | null {
  const { def, next, previous } = eraInfo(era);
  if (lastIso < def.start) {
    return previous
      ? `${shown}は存在しません（${era}は${eraDayLabel(era, def.start)}からです。それより前は${previous.era}です）`
      : `${shown}は扱えません（${era}元年1月25日より前の日付は扱えません）`;
  }
  if (next && firstIso >= next.start) {
    const last = addDays(next.start, -1);
    return `${shown}は存在しません（${era}は${eraDayLabel(era, last)}までです。その翌日からは${next.era}元年です）`;
  }
  return null;
}

const EXAMPLES_DATE = '例: 令和8年12月6日、R8.12.6、2026/12/6、20261206';
const EXAMPLES_MONTH = '例: 令和8年10月、R8.10、2026/10、202610';

/** Reads a (Gregorian) year, month and day already split out; `shown` names the date as typed in messages. */
function checkDay(y: number, m: number, d: number, shown: string): DateInputResult {
  if (m < 1 || m > 12) return { ok: false, message: `月は1〜12で入力してください（${shown}）` };
  const last = daysInMonth(y, m);
  if (d < 1 || d > last) return { ok: false, message: `${shown}は存在しません（${m}月は${last}日までです）` };
  const iso = toIso(y, m, d);
  if (iso < FIRST_ERA_DAY) return { ok: false, message: `${shown}は扱えません（明治元年1月25日より前の日付は扱えません）` };
  return { ok: true, iso, wareki: formatWareki(iso) };
}

/**
 * A date as staff type it → ISO 'YYYY-MM-DD', with its 和暦 for the echo beside the field; or the Japanese
 * reason it cannot be read (平成31年5月1日 does not exist, nor does 2026/2/30).
 */
export function parseDateInput(raw: string): DateInputResult {
  const s = foldDateText(raw);
  if (s === '') return { ok: false, message: '日付を入力してください' };
  let m = DATE_ERA_RE.exec(s) ?? DATE_ERA_COMPACT_RE.exec(s);
  if (m) {
    const era = ERA_WRITINGS.find(([w]) => w === m![1])![1];
    const ey = m[2] === '元' ? 1 : Number(m[2]);
    const mo = Number(m[3]);
    const d = Number(m[4]);
    const shown = `${era}${yearLabel(ey)}年${mo}月${d}日`;
    if (ey < 1) return { ok: false, message: `${era}の年は元年（1年）からです（${shown}）` };
    const y = eraInfo(era).def.startYear + ey - 1;
    if (y > 9999) return { ok: false, message: `${shown}は扱えません` };
    const r = checkDay(y, mo, d, shown);
    if (!r.ok) return r;
    const outside = outsideEra(era, r.iso, r.iso, shown);
    return outside ? { ok: false, message: outside } : r;
  }
  m = DATE_WESTERN_RE.exec(s) ?? DATE_COMPACT_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return checkDay(y, mo, d, `${y}年${mo}月${d}日`);
  }
  if (DATE_NO_YEAR_RE.test(s)) return { ok: false, message: `年も入力してください（${EXAMPLES_DATE}）` };
  if (DATE_SHORT_YEAR_RE.test(s)) return { ok: false, message: `年は西暦4桁か、元号を付けて入力してください（${EXAMPLES_DATE}）` };
  return { ok: false, message: `日付として読み取れません（${EXAMPLES_DATE}）` };
}

/** 'YYYY-MM' in 和暦: '2026-10' → '令和8年10月'; a month two eras share is named by its last day's era. */
export function formatWarekiMonth(ym: string, era?: Era): string {
  const y = Number(ym.slice(0, 4));
  const mo = Number(ym.slice(5, 7));
  const e = era ?? toWareki(toIso(y, mo, daysInMonth(y, mo))).era;
  return `${e}${yearLabel(y - eraInfo(e).def.startYear + 1)}年${mo}月`;
}

/** A 年月 as staff type it (令和8年10月, R8.10, 2026/10, 202610) → 'YYYY-MM' with its 和暦, or the reason. */
export function parseMonthInput(raw: string): MonthInputResult {
  const s = foldDateText(raw);
  if (s === '') return { ok: false, message: '年月を入力してください' };
  let era: Era | null = null;
  let y: number;
  let mo: number;
  let shown: string;
  let m = MONTH_ERA_RE.exec(s) ?? MONTH_ERA_COMPACT_RE.exec(s);
  if (m) {
    era = ERA_WRITINGS.find(([w]) => w === m![1])![1];
    const ey = m[2] === '元' ? 1 : Number(m[2]);
    mo = Number(m[3]);
    shown = `${era}${yearLabel(ey)}年${mo}月`;
    if (ey < 1) return { ok: false, message: `${era}の年は元年（1年）からです（${shown}）` };
    y = eraInfo(era).def.startYear + ey - 1;
  } else {
    m = MONTH_WESTERN_RE.exec(s) ?? MONTH_COMPACT_RE.exec(s);
    if (!m) {
      if (MONTH_SHORT_YEAR_RE.test(s)) return { ok: false, message: `年は西暦4桁か、元号を付けて入力してください（${EXAMPLES_MONTH}）` };
      if (parseDateInput(raw).ok) return { ok: false, message: `年月だけを入力してください（日は不要です。${EXAMPLES_MONTH}）` };
      return { ok: false, message: `年月として読み取れません（${EXAMPLES_MONTH}）` };
    }
    y = Number(m[1]);
    mo = Number(m[2]);
    shown = `${y}年${mo}月`;
  }
  if (mo < 1 || mo > 12) return { ok: false, message: `月は1〜12で入力してください（${shown}）` };
  if (y > 9999) return { ok: false, message: `${shown}は扱えません` };
  const first = toIso(y, mo, 1);
  const last = toIso(y, mo, daysInMonth(y, mo));
  if (last < FIRST_ERA_DAY) return { ok: false, message: `${shown}は扱えません（明治元年1月25日より前の日付は扱えません）` };
  if (era) {
    const outside = outsideEra(era, first, last, shown);
    if (outside) return { ok: false, message: outside };
  }
  const ym = first.slice(0, 7);
  return { ok: true, ym, wareki: formatWarekiMonth(ym, era ?? undefined) };
}

/** What a form sends for a typed date: the ISO date when it reads, otherwise the text as typed (the contract refuses it). */
export function isoDateOrText(raw: string): string {
  const r = parseDateInput(raw);
  return r.ok ? r.iso : raw.trim();
}

/** What a form sends for a typed 年月: 'YYYY-MM' when it reads, otherwise the text as typed. */
export function isoMonthOrText(raw: string): string {
  const r = parseMonthInput(raw);
  return r.ok ? r.ym : raw.trim();
}

/** Asia/Tokyo is UTC+9 all year (no DST). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** Today's date in Asia/Tokyo (UTC+9, no DST) as YYYY-MM-DD. */
export function todayInJapan(now: Date): string {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('現在時刻が不正です');
  const jst = new Date(t + JST_OFFSET_MS);
  return toIso(jst.getUTCFullYear(), jst.getUTCMonth() + 1, jst.getUTCDate());
}

/**
 * An instant (ISO 8601 with 'Z' or an offset, as the core stores them) read in Japan time: its date
 * 'YYYY-MM-DD' and time 'HH:MM:SS'. Null when the text is not an instant.
 */
export function jstParts(instant: string): { date: string; time: string } | null {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return null;
  const j = new Date(t + JST_OFFSET_MS).toISOString();
  return { date: j.slice(0, 10), time: j.slice(11, 19) };
}

export interface JstFormat {
  /** 'HH:MM:SS' instead of 'HH:MM'. */
  seconds?: boolean;
  /** The date as 'YYYY-MM-DD' instead of 和暦. */
  isoDate?: boolean;
}

const timeOf = (p: { time: string }, f: JstFormat) => (f.seconds ? p.time : p.time.slice(0, 5));

/**
 * '2026-05-01T05:30:00Z' → '令和8年5月1日 14:30'; { seconds } → '令和8年5月1日 14:30:00';
 * { isoDate } → '2026-05-01 14:30'. Text that is not an instant is returned as it is.
 */
export function jstDateTime(instant: string, f: JstFormat = {}): string {
  const p = jstParts(instant);
  return p ? `${f.isoDate ? p.date : formatWareki(p.date)} ${timeOf(p, f)}` : instant;
}

/** '2026-05-01T05:30:00Z' → '14:30' ({ seconds } → '14:30:00'); text that is not an instant as it is. */
export function jstTime(instant: string, f: Pick<JstFormat, 'seconds'> = {}): string {
  const p = jstParts(instant);
  return p ? timeOf(p, f) : instant;
}

/** '2027-03-31T14:59:59.999Z' → '令和9年3月31日' (the date in Japan); text that is not an instant as it is. */
export function jstDate(instant: string): string {
  const p = jstParts(instant);
  return p ? formatWareki(p.date) : instant;
}

/** '2026-11-24T01:00:05Z' → '2026-11-24T10:00:05+09:00' (ISO 8601 with the JST offset); else as it is. */
export function jstIso(instant: string): string {
  const p = jstParts(instant);
  return p ? `${p.date}T${p.time}+09:00` : instant;
}
