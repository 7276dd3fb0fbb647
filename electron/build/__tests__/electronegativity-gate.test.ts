import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, gate, globToRegExp, parseAccepted, parseCsvRows, parseFindings, toCsv } from '../../../scripts/electronegativity-lib.mjs';

// The gate of scripts/electronegativity.mjs: Electronegativity's CSV in, pass/fail out.
const ROOT = join(import.meta.dirname, '../../..');
const JUSTIFIED = 'Set on every response by the protocol handler; verified by the shell tests.';

// A CSV exactly as Electronegativity 1.10 writes it (util/file.js), with a sample holding commas and quotes.
const TOOL_CSV = `${CSV_HEADER}
CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected in the target application",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
PRELOAD_JS_CHECK,"MEDIUM","FIRM","electron/shell/main.ts","67:6","preload: join(__dirname, ""preload.cjs""),","Review the use of preload scripts",https://github.com/doyensec/electronegativity/wiki/PRELOAD_JS_CHECK
LIMIT_NAVIGATION_GLOBAL_CHECK,"HIGH","CERTAIN","N/A","0:0",N/A,"Missing navigation limits using .on new-window and will-navigate events",https://github.com/doyensec/electronegativity/wiki/LIMIT_NAVIGATION_GLOBAL_CHECK
`;

describe('electronegativity gate', () => {
  it("parses the tool's CSV, severity from column 2", () => {
    const findings = parseFindings(TOOL_CSV);
    expect(findings.map((f) => [f.check, f.severity, f.file, f.line])).toEqual([
      ['CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A', 0],
      ['PRELOAD_JS_CHECK', 'MEDIUM', 'electron/shell/main.ts', 67],
      ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'HIGH', 'N/A', 0],
    ]);
    expect(findings[1]!.sample).toBe('preload: join(__dirname, "preload.cjs"),');
  });

  it('round-trips what the scan writes, including newlines in a sample', () => {
    const issue = { id: 'DANGEROUS_FUNCTIONS_JS_CHECK', severity: 'LOW', confidence: 'TENTATIVE', file: 'renderer/src/a.ts', line: 3, column: 1, sample: 'eval(\n"x, y")', description: 'd' };
    const [f] = parseFindings(toCsv([issue]));
    expect(f).toMatchObject({ check: issue.id, severity: 'LOW', file: issue.file, line: 3, sample: issue.sample });
    expect(parseCsvRows('a,"b,""c"""\r\nd,e\n')).toEqual([['a', 'b,"c"'], ['d', 'e']]);
  });

  it('refuses a file that is not an Electronegativity CSV (e.g. a truncated one)', () => {
    expect(() => parseFindings('')).toThrow(/unexpected Electronegativity CSV header/);
    expect(() => parseFindings('ted in the target application",https://x\n')).toThrow(/header/);
    expect(() => parseFindings(`${CSV_HEADER}\nX_CHECK,"SEVERE","FIRM","a.ts","1:1",N/A,"d",u\n`)).toThrow(/unknown severity/);
  });

  it('fails HIGH findings even when accepted, and findings nobody justified', () => {
    const accepted = parseAccepted({
      accepted: [
        { check: 'CSP_GLOBAL_CHECK', file: 'N/A', justification: JUSTIFIED },
        { check: 'LIMIT_NAVIGATION_GLOBAL_CHECK', file: 'N/A', justification: 'Trying to accept a HIGH finding must not work.' },
        { check: 'AUXCLICK_JS_CHECK', file: 'electron/shell/**', justification: 'An entry that matches no finding is reported, not fatal.' },
      ],
    });
    const { results, failed, unused } = gate(parseFindings(TOOL_CSV), accepted);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'FAIL (not accepted)', 'FAIL (HIGH)']);
    expect(failed.map((f) => f.check)).toEqual(['PRELOAD_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']);
    expect(unused.map((u) => u.check)).toEqual(['AUXCLICK_JS_CHECK']);
  });

  it('matches accepted entries by check id and file pattern', () => {
    const accepted = parseAccepted({ accepted: [{ check: 'PRELOAD_JS_CHECK', file: 'electron/shell/*.ts', justification: JUSTIFIED }] });
    const finding = (file: string) => gate([{ check: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', file }], accepted).failed.length === 0;
    expect(finding('electron/shell/main.ts')).toBe(true);
    expect(finding('electron/shell/security/x.ts')).toBe(false);
    expect(finding('renderer/src/main.ts')).toBe(false);
    expect(globToRegExp('electron/**/*.ts').test('electron/shell/security/x.ts')).toBe(true);
    expect(globToRegExp('electron/**/*.ts').test('electron/main.ts')).toBe(true);
    expect(globToRegExp('N/A').test('N/A')).toBe(true);
  });

  it('refuses accepted entries without a real justification or with unknown fields', () => {
    expect(() => parseAccepted({ accepted: [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', justification: 'ok' }] })).toThrow(/justification/);
    expect(() => parseAccepted({ accepted: [{ check: 'csp', file: 'N/A', justification: JUSTIFIED }] })).toThrow(/check id/);
    expect(() => parseAccepted({ accepted: [{ check: 'CSP_GLOBAL_CHECK', file: '', justification: JUSTIFIED }] })).toThrow(/file pattern/);
    expect(() => parseAccepted({ accepted: [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', justification: JUSTIFIED, severity: 'LOW' }] })).toThrow(/unknown field/);
    expect(() => parseAccepted([])).toThrow(/"accepted" array/);
  });

  it('has a well-formed accepted list in security/', () => {
    const entries = parseAccepted(JSON.parse(readFileSync(join(ROOT, 'security/electronegativity-accepted.json'), 'utf8')));
    expect(entries.length).toBeGreaterThan(0);
  });
});
