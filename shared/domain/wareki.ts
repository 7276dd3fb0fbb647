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
