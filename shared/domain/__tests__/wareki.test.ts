import { describe, it, expect } from 'vitest';
import {
  addDays, ageOn, compareIso, daysInMonth, formatWareki, formatWarekiShort, isLeapYear,
  isValidIsoDate, jstDate, jstDateTime, jstIso, jstParts, jstTime, parseIso, toIso, toWareki, todayInJapan,
  formatWarekiMonth, isoDateOrText, isoMonthOrText, parseDateInput, parseMonthInput,
} from '../wareki';

describe('isValidIsoDate', () => {
  it('accepts real dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2026-12-31')).toBe(true);
  });
  it('rejects impossible or malformed dates', () => {
    for (const s of ['2023-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00',
      '2026-1-1', '20260101', '2026/01/01', ' 2026-01-01', '2026-01-01T00:00', '0000-01-01', '']) {
      expect(isValidIsoDate(s), s).toBe(false);
    }
  });
});

describe('date helpers', () => {
  it('isLeapYear / daysInMonth', () => {
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
    expect(() => daysInMonth(2024, 13)).toThrow(RangeError);
  });
  it('parseIso / toIso', () => {
    expect(parseIso('2026-11-22')).toEqual({ y: 2026, m: 11, d: 22 });
    expect(toIso(2026, 1, 5)).toBe('2026-01-05');
    expect(() => parseIso('2023-02-29')).toThrow('存在しない日付です');
    expect(() => parseIso('2023/02/28')).toThrow('日付の形式が正しくありません');
    expect(() => toIso(2023, 2, 29)).toThrow(RangeError);
  });
  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2026-11-22', 0)).toBe('2026-11-22');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2000-01-01', 366)).toBe('2001-01-01');
    expect(addDays('1970-01-01', 20000)).toBe('2024-10-04');
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });
  it('compareIso', () => {
    expect(compareIso('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareIso('2026-01-02', '2026-01-02')).toBe(0);
    expect(compareIso('2027-01-01', '2026-12-31')).toBe(1);
    expect(() => compareIso('2026-02-30', '2026-01-01')).toThrow(RangeError);
  });
});

describe('toWareki / formatWareki', () => {
  it('era boundaries', () => {
    expect(formatWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(formatWareki('1989-01-08')).toBe('平成元年1月8日');
    expect(formatWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(formatWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(formatWareki('1926-12-24')).toBe('大正15年12月24日');
    expect(formatWareki('1926-12-25')).toBe('昭和元年12月25日');
    expect(formatWareki('1912-07-29')).toBe('明治45年7月29日');
    expect(formatWareki('1912-07-30')).toBe('大正元年7月30日');
    expect(formatWareki('1868-01-25')).toBe('明治元年1月25日');
  });
  it('元年 vs gannen:false', () => {
    expect(formatWareki('2019-05-01', { gannen: false })).toBe('令和1年5月1日');
    expect(formatWareki('2019-12-31', { gannen: true })).toBe('令和元年12月31日');
    expect(formatWareki('2020-01-01')).toBe('令和2年1月1日');
  });
  it('toWareki returns components', () => {
    expect(toWareki('2026-11-22')).toEqual({ era: '令和', year: 8, month: 11, day: 22 });
    expect(toWareki('1989-01-07')).toEqual({ era: '昭和', year: 64, month: 1, day: 7 });
    expect(formatWareki('2026-11-22')).toBe('令和8年11月22日');
  });
  it('rejects invalid and unsupported dates', () => {
    expect(() => toWareki('1868-01-24')).toThrow(RangeError);
    expect(() => toWareki('1868-01-24')).toThrow('明治元年');
    expect(() => formatWareki('2023-02-29')).toThrow(RangeError);
    expect(() => formatWareki('R8.11.22')).toThrow(RangeError);
  });
  it('formatWarekiShort', () => {
    expect(formatWarekiShort('2026-11-22')).toBe('R8.11.22');
    expect(formatWarekiShort('2019-05-01')).toBe('R1.5.1');
    expect(formatWarekiShort('1989-01-08')).toBe('H1.1.8');
    expect(formatWarekiShort('1989-01-07')).toBe('S64.1.7');
    expect(formatWarekiShort('1920-03-04')).toBe('T9.3.4');
    expect(formatWarekiShort('1900-01-01')).toBe('M33.1.1');
  });
});

describe('ageOn (年齢計算ニ関スル法律)', () => {
  it('attains the age on the day before the birthday', () => {
    expect(ageOn('2000-05-10', '2026-05-08')).toBe(25);
    expect(ageOn('2000-05-10', '2026-05-09')).toBe(26);
    expect(ageOn('2000-05-10', '2026-05-10')).toBe(26);
  });
  it('born 4/1 attains the age on 3/31', () => {
    expect(ageOn('2008-04-01', '2026-03-30')).toBe(17);
    expect(ageOn('2008-04-01', '2026-03-31')).toBe(18);
  });
  it('born 1/1 attains the age on 12/31 of the previous year', () => {
    expect(ageOn('2000-01-01', '2025-12-30')).toBe(25);
    expect(ageOn('2000-01-01', '2025-12-31')).toBe(26);
  });
  it('born 2/29', () => {
    expect(ageOn('2008-02-29', '2026-02-27')).toBe(17);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-27')).toBe(19);
    expect(ageOn('2008-02-29', '2028-02-28')).toBe(20);
  });
  it('newborns and invalid order', () => {
    expect(ageOn('2026-11-22', '2026-11-22')).toBe(0);
    expect(() => ageOn('2026-11-23', '2026-11-22')).toThrow(RangeError);
  });
});

describe('todayInJapan', () => {
  it('adds 9 hours to UTC', () => {
    expect(todayInJapan(new Date('2026-11-21T14:59:59Z'))).toBe('2026-11-21');
    expect(todayInJapan(new Date('2026-11-21T15:00:00Z'))).toBe('2026-11-22');
    expect(todayInJapan(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
  });
  it('rejects an invalid Date', () => {
    expect(() => todayInJapan(new Date('nope'))).toThrow(RangeError);
  });
});

describe('instants in Japan time (jst*)', () => {
  it('jstParts reads a UTC or offset instant at UTC+9, across the day, month and year boundary', () => {
    const read: [string, string, string][] = [
      ['2026-05-01T05:30:07Z', '2026-05-01', '14:30:07'], ['2026-11-21T14:59:59.999Z', '2026-11-21', '23:59:59'],
      ['2026-11-21T15:00:00Z', '2026-11-22', '00:00:00'], ['2026-12-31T15:00:00.000Z', '2027-01-01', '00:00:00'],
      ['2026-11-22T10:00:00+09:00', '2026-11-22', '10:00:00'],
    ];
    for (const [instant, date, time] of read) expect(jstParts(instant)).toEqual({ date, time });
    expect([jstParts(''), jstParts('nope')]).toEqual([null, null]);
  });
  it('formats: 和暦 date and HH:MM, with seconds or the ISO date; time, date and ISO with +09:00', () => {
    const at = '2026-05-01T05:30:07Z';
    expect([jstDateTime(at), jstDateTime(at, { seconds: true }), jstDateTime(at, { isoDate: true })]).toEqual(['令和8年5月1日 14:30', '令和8年5月1日 14:30:07', '2026-05-01 14:30']);
    expect(jstDateTime('2019-04-30T15:00:00Z')).toBe('令和元年5月1日 00:00');
    expect([jstTime(at), jstTime(at, { seconds: true }), jstIso('2026-11-24T01:00:05.123Z')]).toEqual(['14:30', '14:30:07', '2026-11-24T10:00:05+09:00']);
    expect([jstDate('2027-03-31T14:59:59.999Z'), jstDate('2027-03-31T15:00:00Z')]).toEqual(['令和9年3月31日', '令和9年4月1日']);
  });
  it('text that is not an instant is shown as it is', () => {
    for (const f of [(s: string) => jstDateTime(s), (s: string) => jstTime(s), jstDate, jstIso]) expect(f('不明')).toBe('不明');
  });
});

describe('parseDateInput: dates as staff type them', () => {
  const iso = (s: string) => {
    const r = parseDateInput(s);
    return r.ok ? r.iso : `✗ ${r.message}`;
  };
  const refusal = (s: string) => {
    const r = parseDateInput(s);
    expect(r.ok, s).toBe(false);
    return r.ok ? '' : r.message;
  };

  it('reads 和暦 in every common writing', () => {
    const cases: [string, string][] = [
      ['令和8年12月6日', '2026-12-06'], ['令和8年12月6', '2026-12-06'], ['R8.12.6', '2026-12-06'], ['R8/12/6', '2026-12-06'],
      ['r8.12.6', '2026-12-06'], ['R8-12-6', '2026-12-06'], ['R08.12.06', '2026-12-06'], ['R081206', '2026-12-06'],
      ['令8.12.6', '2026-12-06'], ['令和8.12.6', '2026-12-06'], ['R8年12月6日', '2026-12-06'], ['R.8.12.6', '2026-12-06'],
      ['H28.5.10', '2016-05-10'], ['h28.5.10', '2016-05-10'], ['平成28年5月10日', '2016-05-10'], ['平28.5.10', '2016-05-10'],
      ['S55.1.2', '1980-01-02'], ['昭和55年1月2日', '1980-01-02'], ['昭55.1.2', '1980-01-02'],
      ['T15.12.24', '1926-12-24'], ['大正15年12月24日', '1926-12-24'], ['M45.7.29', '1912-07-29'], ['明治45年7月29日', '1912-07-29'],
      ['令和元年5月10日', '2019-05-10'], ['R元.5.10', '2019-05-10'], ['令和1年5月1日', '2019-05-01'], ['平成元年1月8日', '1989-01-08'],
      ['平成31年4月30日', '2019-04-30'], ['昭和64年1月7日', '1989-01-07'], ['S64.1.7', '1989-01-07'], ['H1.1.8', '1989-01-08'],
    ];
    for (const [typed, want] of cases) expect(iso(typed), typed).toBe(want);
  });

  it('reads 西暦 with slashes, hyphens, dots, 年月日 or eight digits', () => {
    const cases: [string, string][] = [
      ['2026/12/6', '2026-12-06'], ['2026-12-06', '2026-12-06'], ['2026-12-6', '2026-12-06'], ['2026.12.6', '2026-12-06'],
      ['20261206', '2026-12-06'], ['2026年12月6日', '2026-12-06'], ['2024/2/29', '2024-02-29'], ['1989/1/7', '1989-01-07'],
    ];
    for (const [typed, want] of cases) expect(iso(typed), typed).toBe(want);
  });

  it('folds full-width digits and letters, IME dashes and spaces', () => {
    const cases: [string, string][] = [
      ['Ｒ８．１２．６', '2026-12-06'], ['ｒ８／１２／６', '2026-12-06'], ['２０２６－１２－０６', '2026-12-06'], ['２０２６１２０６', '2026-12-06'],
      ['令和８年１２月６日', '2026-12-06'], [' 令和 8年 12月 6日 ', '2026-12-06'], ['令和　８年　１２月　６日', '2026-12-06'],
      ['2026ー12ー06', '2026-12-06'], ['2026−12−06', '2026-12-06'], ['R 8 . 12 . 6', '2026-12-06'], ['H28・5・10', '2016-05-10'],
    ];
    for (const [typed, want] of cases) expect(iso(typed), typed).toBe(want);
  });

  it('gives the understood date in 和暦 for the echo', () => {
    expect(parseDateInput('R8.12.6')).toEqual({ ok: true, iso: '2026-12-06', wareki: '令和8年12月6日' });
    expect(parseDateInput('2019/5/1')).toEqual({ ok: true, iso: '2019-05-01', wareki: '令和元年5月1日' });
    expect(parseDateInput('1989-01-07')).toEqual({ ok: true, iso: '1989-01-07', wareki: '昭和64年1月7日' });
    expect(parseDateInput('19890108')).toEqual({ ok: true, iso: '1989-01-08', wareki: '平成元年1月8日' });
    expect(parseDateInput('2019-04-30')).toEqual({ ok: true, iso: '2019-04-30', wareki: '平成31年4月30日' });
  });

  it('refuses dates outside their era, with the era’s last or first day', () => {
    expect(refusal('平成31年5月1日')).toBe('平成31年5月1日は存在しません（平成は31年4月30日までです。その翌日からは令和元年です）');
    expect(refusal('H31.5.1')).toContain('平成は31年4月30日まで');
    expect(refusal('令和元年4月30日')).toBe('令和元年4月30日は存在しません（令和は元年5月1日からです。それより前は平成です）');
    expect(refusal('R1.4.30')).toContain('令和は元年5月1日から');
    expect(refusal('昭和64年1月8日')).toContain('昭和は64年1月7日まで');
    expect(refusal('平成元年1月7日')).toContain('平成は元年1月8日から');
    expect(refusal('平成40年1月1日')).toContain('平成は31年4月30日まで');
    expect(refusal('大正15年12月25日')).toContain('大正は15年12月24日まで');
    expect(refusal('明治元年1月1日')).toContain('明治元年1月25日より前の日付は扱えません');
    expect(refusal('令和0年1月1日')).toContain('元年（1年）から');
  });

  it('refuses days and months that do not exist', () => {
    expect(refusal('2026/2/30')).toBe('2026年2月30日は存在しません（2月は28日までです）');
    expect(refusal('2025/2/29')).toContain('2月は28日まで');
    expect(refusal('R8.4.31')).toBe('令和8年4月31日は存在しません（4月は30日までです）');
    expect(refusal('2026/13/1')).toContain('月は1〜12');
    expect(refusal('2026/0/1')).toContain('月は1〜12');
    expect(refusal('2026/1/0')).toContain('存在しません');
    expect(refusal('20260230')).toContain('存在しません');
    expect(refusal('1850/1/1')).toContain('扱えません');
  });

  it('refuses what cannot be read, saying how to write it', () => {
    expect(refusal('')).toBe('日付を入力してください');
    expect(refusal('   ')).toBe('日付を入力してください');
    expect(refusal('26/12/6')).toContain('西暦4桁か、元号を付けて');
    expect(refusal('8.12.6')).toContain('西暦4桁か、元号を付けて');
    expect(refusal('12/6')).toContain('年も入力してください');
    for (const s of ['あした', 'X8.12.6', '2026/12', '2026/12/6/1', 'R8.12', '202612061', '2026-12-06T00:00', '令和百年1月1日', 'R123.1.1']) {
      expect(refusal(s), s).toMatch(/読み取れません|入力してください/);
    }
  });

  it('isoDateOrText: the ISO date, or the text as typed for the contract to refuse', () => {
    expect(isoDateOrText('R8.12.6')).toBe('2026-12-06');
    expect(isoDateOrText(' 2026/2/30 ')).toBe('2026/2/30');
    expect(isoDateOrText('')).toBe('');
  });
});

describe('parseMonthInput: 年月 as staff type them', () => {
  const ym = (s: string) => {
    const r = parseMonthInput(s);
    return r.ok ? r.ym : `✗ ${r.message}`;
  };
  it('reads 和暦 and 西暦 年月 in the common writings', () => {
    const cases: [string, string][] = [
      ['令和8年10月', '2026-10'], ['令和8年10', '2026-10'], ['R8.10', '2026-10'], ['R8/10', '2026-10'], ['r8-10', '2026-10'], ['R0810', '2026-10'],
      ['令和元年5月', '2019-05'], ['平成31年4月', '2019-04'], ['H31.4', '2019-04'], ['昭和64年1月', '1989-01'], ['平成元年1月', '1989-01'],
      ['2026/10', '2026-10'], ['2026-10', '2026-10'], ['2026.1', '2026-01'], ['202610', '2026-10'], ['2026年10月', '2026-10'],
      ['Ｒ８．１０', '2026-10'], ['２０２６／１０', '2026-10'], ['２０２６１０', '2026-10'], [' 令和 8年 10月 ', '2026-10'],
    ];
    for (const [typed, want] of cases) expect(ym(typed), typed).toBe(want);
  });
  it('names the month in 和暦, in the era typed when two eras share it', () => {
    expect(parseMonthInput('2026-10')).toEqual({ ok: true, ym: '2026-10', wareki: '令和8年10月' });
    expect(parseMonthInput('昭和64年1月')).toEqual({ ok: true, ym: '1989-01', wareki: '昭和64年1月' });
    expect(parseMonthInput('1989/1')).toEqual({ ok: true, ym: '1989-01', wareki: '平成元年1月' });
    expect(parseMonthInput('2019/4')).toEqual({ ok: true, ym: '2019-04', wareki: '平成31年4月' });
    expect(parseMonthInput('2019/5')).toEqual({ ok: true, ym: '2019-05', wareki: '令和元年5月' });
    expect(formatWarekiMonth('2019-05')).toBe('令和元年5月');
  });
  it('refuses months outside their era, impossible months and what cannot be read', () => {
    const refusal = (s: string) => {
      const r = parseMonthInput(s);
      expect(r.ok, s).toBe(false);
      return r.ok ? '' : r.message;
    };
    expect(refusal('平成31年5月')).toBe('平成31年5月は存在しません（平成は31年4月30日までです。その翌日からは令和元年です）');
    expect(refusal('令和元年4月')).toBe('令和元年4月は存在しません（令和は元年5月1日からです。それより前は平成です）');
    expect(refusal('昭和64年2月')).toContain('昭和は64年1月7日まで');
    expect(refusal('2026/13')).toContain('月は1〜12');
    expect(refusal('R8.0')).toContain('月は1〜12');
    expect(refusal('')).toBe('年月を入力してください');
    expect(refusal('26/10')).toContain('西暦4桁か、元号を付けて');
    expect(refusal('2026-10-01')).toContain('日は不要です');
    expect(refusal('R8.10.1')).toContain('日は不要です');
    expect(refusal('十月')).toContain('読み取れません');
  });
  it('isoMonthOrText', () => {
    expect(isoMonthOrText('R8.10')).toBe('2026-10');
    expect(isoMonthOrText('2026/13')).toBe('2026/13');
  });
});
