import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWebPreferences, collectTsFiles, formatViolation } from '../../../scripts/check-webprefs-lib.mjs';

// The webPreferences policy of scripts/check-webprefs.mjs, on fixture sources. Fixtures are virtual files
// under electron/ (never written) so that 'electron' resolves to the real typings.
const ROOT = join(import.meta.dirname, '../../..');
const FILE = 'electron/__fixtures__/fixture.ts';

function check(text: string, extra: Array<{ fileName: string; text: string }> = []) {
  return checkWebPreferences({ files: [{ fileName: FILE, text }, ...extra], projectDir: ROOT });
}
/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no ${needle}`);
  return i + 1;
}

const SAFE_PREFS = `{
      preload: p,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
    }`;
const windowWith = (prefs: string, ctor = 'BrowserWindow') => `import { app, BrowserWindow, BrowserView, WebContentsView } from 'electron';
export function open(p: string) {
  return new ${ctor}({
    width: 1280,
    show: false,
    webPreferences: ${prefs},
  });
}
void BrowserWindow; void BrowserView; void WebContentsView;
`;

describe('check-webprefs', () => {
  it('accepts a window with every safe value stated literally', () => {
    const r = check(windowWith(SAFE_PREFS));
    expect(r.violations).toEqual([]);
    expect(r.constructions).toBe(1);
  });

  it.each(['BrowserView', 'WebContentsView'])('checks %s the same way', (ctor) => {
    expect(check(windowWith(SAFE_PREFS, ctor)).violations).toEqual([]);
    const r = check(windowWith(SAFE_PREFS.replace('sandbox: true', 'sandbox: false'), ctor));
    expect(r.violations.map((v) => v.message)).toEqual([`new ${ctor}: webPreferences.sandbox must be the literal true (found \`sandbox: false\`)`]);
  });

  // Each unsafe variant: [name, replacement of one line of SAFE_PREFS (or an added line), property named].
  it.each([
    ['contextIsolation false', ['contextIsolation: true', 'contextIsolation: false'], 'contextIsolation'],
    ['sandbox false', ['sandbox: true', 'sandbox: false'], 'sandbox'],
    ['nodeIntegration true', ['nodeIntegration: false', 'nodeIntegration: true'], 'nodeIntegration'],
    ['webSecurity false', ['webSecurity: true', 'webSecurity: false'], 'webSecurity'],
    ['webviewTag true', ['webviewTag: false', 'webviewTag: true'], 'webviewTag'],
    ['sandbox from an expression', ['sandbox: true', 'sandbox: !app.isPackaged'], 'sandbox'],
    ['sandbox as a shorthand property', ['sandbox: true', 'sandbox'], 'sandbox'],
    ['nodeIntegrationInWorker true', ['devTools:', 'nodeIntegrationInWorker: true, devTools:'], 'nodeIntegrationInWorker'],
    ['nodeIntegrationInSubFrames true', ['devTools:', 'nodeIntegrationInSubFrames: true, devTools:'], 'nodeIntegrationInSubFrames'],
    ['allowRunningInsecureContent true', ['devTools:', 'allowRunningInsecureContent: true, devTools:'], 'allowRunningInsecureContent'],
    ['experimentalFeatures true', ['devTools:', 'experimentalFeatures: true, devTools:'], 'experimentalFeatures'],
    ['experimentalFeatures from an expression', ['devTools:', 'experimentalFeatures: !app.isPackaged, devTools:'], 'experimentalFeatures'],
    ['enableBlinkFeatures present', ['devTools:', "enableBlinkFeatures: 'CSSColorSchemeUARendering', devTools:"], 'enableBlinkFeatures'],
    ['a later duplicate overriding a safe value', ['devTools:', "'sandbox': false, devTools:"], 'sandbox'],
  ] as const)('refuses %s, naming the property and its line', (_name, [from, to], prop) => {
    const text = windowWith(SAFE_PREFS.replace(from, to));
    const r = check(text);
    expect(r.violations).toHaveLength(1);
    const [v] = r.violations;
    expect(v!.message).toContain(`webPreferences.${prop}`);
    expect(v!.file).toBe(FILE);
    expect(v!.line).toBe(lineOf(text, to.split(',')[0]!));
    expect(formatViolation(v!)).toMatch(new RegExp(`^${FILE}:${v!.line}: new BrowserWindow: webPreferences\\.${prop} `));
  });

  it.each(['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity', 'webviewTag'])('refuses a missing %s (explicit values are required)', (prop) => {
    const text = windowWith(SAFE_PREFS.replace(new RegExp(`\\n\\s*${prop}: \\w+,`), ''));
    const r = check(text);
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining(`webPreferences.${prop} is missing`)]);
    expect(r.violations[0]!.line).toBe(lineOf(text, 'webPreferences:'));
  });

  it.each([
    ['webPreferences from a variable', (t: string) => t.replace(`webPreferences: ${SAFE_PREFS}`, 'webPreferences: prefs').replace('export function', `const prefs = ${SAFE_PREFS.replace('p,', "'x',")};\nexport function`), 'webPreferences must be an object literal or a call to secureWebPreferences'],
    ['webPreferences as a shorthand', (t: string) => t.replace(`webPreferences: ${SAFE_PREFS}`, 'webPreferences').replace('(p: string)', '(p: string, webPreferences: object)'), 'webPreferences must be an object literal'],
    ['a spread inside webPreferences', (t: string) => t.replace('preload: p,', '...extra, preload: p,').replace('(p: string)', '(p: string, extra: object)'), 'spread `...extra` in webPreferences'],
    ['a spread in the window options', (t: string) => t.replace('width: 1280,', '...base, width: 1280,').replace('(p: string)', '(p: string, base: object)'), 'spread `...base` in window options'],
    ['window options from a variable', () => "import { BrowserWindow } from 'electron';\nexport const open = (o: Electron.BrowserWindowConstructorOptions) => new BrowserWindow(o);\n", 'options must be an object literal'],
    ['no webPreferences at all', () => "import { BrowserWindow } from 'electron';\nexport const open = () => new BrowserWindow({ width: 800 });\n", 'without webPreferences'],
    ['no options at all', () => "import { WebContentsView } from 'electron';\nexport const open = () => new WebContentsView();\n", 'without options'],
  ])('refuses %s', (_name, make, message) => {
    const r = check(make(windowWith(SAFE_PREFS)));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining(message)]);
  });

  it('finds windows however the class is reached: alias, namespace, injected constructor, subclass', () => {
    const unsafe = SAFE_PREFS.replace('sandbox: true', 'sandbox: false');
    const text = `import { BrowserWindow as Win, type BrowserWindowConstructorOptions } from 'electron';
import * as electron from 'electron';
export function a(p: string, app: { isPackaged: boolean }) {
  new Win({ webPreferences: ${unsafe} });
  new electron.BrowserWindow({ webPreferences: ${unsafe} });
}
type Ctor = new (o: BrowserWindowConstructorOptions) => electron.BrowserWindow;
export function b(Make: Ctor, p: string, app: { isPackaged: boolean }) {
  return new Make({ webPreferences: ${unsafe} });
}
export class Kiosk extends electron.BrowserWindow {
  constructor(p: string, app: { isPackaged: boolean }) {
    super({ webPreferences: ${unsafe} });
  }
}
class NotAWindow { constructor(_o: unknown) {} }
export const c = new NotAWindow({ webPreferences: { sandbox: false } });
`;
    const r = check(text);
    expect(r.constructions).toBe(4);
    expect(r.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/^new BrowserWindow: webPreferences\.sandbox/),
      expect.stringMatching(/^new BrowserWindow: webPreferences\.sandbox/),
      expect.stringMatching(/^new BrowserWindow: webPreferences\.sandbox/),
      expect.stringMatching(/^super\(\) of a BrowserWindow subclass: webPreferences\.sandbox/),
    ]);
  });

  describe('secureWebPreferences()', () => {
    const factory = (body: string) => ({
      fileName: 'electron/__fixtures__/windows.ts',
      text: `import type { WebPreferences } from 'electron';\nexport function secureWebPreferences(preload: string, packaged: boolean): WebPreferences {\n${body}\n}\n`,
    });
    const SAFE_FACTORY = factory(`  return ${SAFE_PREFS.replace('p,', 'preload,').replace('!app.isPackaged', '!packaged')};`);
    const caller = `import { BrowserWindow } from 'electron';
import { secureWebPreferences } from './windows';
export const open = (p: string) => new BrowserWindow({ show: false, webPreferences: secureWebPreferences(p, true) });
`;

    it('accepts windows built through it when it returns a safe literal', () => {
      const r = check(caller, [SAFE_FACTORY]);
      expect(r.violations).toEqual([]);
      expect(r).toMatchObject({ constructions: 1, factories: 1 });
    });

    it('checks the literal it returns, with the line in its own file', () => {
      const bad = factory(`  return ${SAFE_PREFS.replace('p,', 'preload,').replace('nodeIntegration: false', 'nodeIntegration: true')};`);
      const r = check(caller, [bad]);
      expect(r.violations).toEqual([
        { file: bad.fileName, line: lineOf(bad.text, 'nodeIntegration: true'), message: 'secureWebPreferences(): webPreferences.nodeIntegration must be the literal false (found `nodeIntegration: true`)' },
      ]);
    });

    it('checks every return, and refuses a non-literal one', () => {
      const bad = factory(`  if (!packaged) return ${SAFE_PREFS.replace('p,', 'preload,').replace('webSecurity: true', 'webSecurity: false')};\n  const prefs = { preload };\n  return prefs;`);
      const r = check(caller, [bad]);
      expect(r.violations.map((v) => v.message)).toEqual([
        expect.stringContaining('webPreferences.webSecurity must be the literal true'),
        'secureWebPreferences() must return an object literal (found `prefs`)',
      ]);
    });

    it('accepts spreading it and catches an override after the spread', () => {
      const spread = (extra: string) => `import { BrowserWindow } from 'electron';
import { secureWebPreferences } from './windows';
export const open = (p: string) => new BrowserWindow({ webPreferences: { ...secureWebPreferences(p, true), spellcheck: false${extra} } });
`;
      expect(check(spread(''), [SAFE_FACTORY]).violations).toEqual([]);
      expect(check(spread(', sandbox: false'), [SAFE_FACTORY]).violations.map((v) => v.message)).toEqual([expect.stringContaining('webPreferences.sandbox must be the literal true')]);
    });

    it('refuses a call to it when it is not defined in the checked files', () => {
      const r = check(caller);
      expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining('secureWebPreferences(...) is called but not defined')]);
    });
  });

  it('passes on the project as it is (the same check as npm run check:webprefs)', () => {
    const r = checkWebPreferences({ files: collectTsFiles(join(ROOT, 'electron')), projectDir: ROOT });
    expect(r.violations.map(formatViolation)).toEqual([]);
    expect(r.constructions).toBeGreaterThan(0);
  });
});
