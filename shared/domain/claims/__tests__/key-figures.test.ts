import { describe, expect, it } from 'vitest';
import { normalizeFigure } from '../claim-kinds';

describe('normalizeFigure: a re-entered figure compared with the stored one', () => {
  it('ignores width, commas, 円 and spaces in amounts', () => {
    expect(normalizeFigure('１４０，９９７円')).toBe(normalizeFigure('140997'));
    expect(normalizeFigure(' 12 ')).toBe('12');
  });
  it('reads dates and 年月 re-entered in 和暦 or any common form as the stored ISO value', () => {
    for (const typed of ['R8.10.15', '令和8年10月15日', '2026/10/15', '20261015', 'Ｒ８．１０．１５']) expect(normalizeFigure(typed), typed).toBe(normalizeFigure('2026-10-15'));
    for (const typed of ['R8.10', '令和8年10月', '2026/10']) expect(normalizeFigure(typed), typed).toBe(normalizeFigure('2026-10'));
    expect(normalizeFigure('R8.10.16')).not.toBe(normalizeFigure('2026-10-15'));
  });
});
