import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's stylesheets take colour, border radius and elevation from the デジタル庁デザインシステム tokens
 * (@digital-go-jp/design-tokens, issue 14 §6): no hand-picked hex or rgb() colour, no radius in px/rem, and every
 * token named exists (a misspelt var(--color-…) would silently fall back to the inherited colour).
 */
const ROOT = join(__dirname, '..', '..', '..');
const RENDERER = join(ROOT, 'renderer', 'src');
const TOKENS = readFileSync(join(ROOT, 'node_modules', '@digital-go-jp', 'design-tokens', 'dist', 'tokens.css'), 'utf8');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : []));
}

/** Each line of a stylesheet without its comments, with its file and line number. */
function lines(): { where: string; text: string }[] {
  return cssFiles(RENDERER).flatMap((file) =>
    readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
      .split('\n')
      .map((text, i) => ({ where: `${relative(ROOT, file)}:${i + 1}`, text })),
  );
}

/** What a rule finds, as 'file:line  match'. */
function offending(pattern: RegExp): string[] {
  return lines().flatMap(({ where, text }) => [...text.matchAll(pattern)].map((m) => `${where}  ${m[0]}`));
}

const RAW_COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/gi;
const RAW_RADIUS = /border-radius:\s*[^;}]*?\d*\.?\d+(?:px|rem|em)\b/g;
const TOKEN_USE = /var\(--((?:color|border-radius|elevation|font|line-height|letter-spacing)-[a-z0-9-]+)/g;

describe('design tokens in the renderer stylesheets', () => {
  it('finds the stylesheets (styles.css and the features’ css)', () => {
    const files = cssFiles(RENDERER).map((f) => relative(RENDERER, f));
    expect(files).toEqual(expect.arrayContaining(['styles.css', join('features', 'audit', 'audit.css')]));
  });

  it('no raw colour: every colour is a token (var(--color-…)) or a name built on one', () => {
    expect(offending(RAW_COLOUR)).toEqual([]);
  });

  it('no hand-picked border radius: var(--border-radius-…) (a printed card’s radius in mm is its physical size)', () => {
    expect(offending(RAW_RADIUS)).toEqual([]);
  });

  it('every token named exists in @digital-go-jp/design-tokens', () => {
    const defined = new Set([...TOKENS.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((m) => m[1]));
    expect(defined.has('--color-primitive-blue-50')).toBe(true);
    const unknown = lines().flatMap(({ where, text }) => [...text.matchAll(TOKEN_USE)].filter((m) => !defined.has(`--${m[1]}`)).map((m) => `${where}  --${m[1]}`));
    expect(unknown).toEqual([]);
  });

  it('the rules catch what they are for', () => {
    expect('.x { color: #1a6b1a; background: rgb(0 0 0 / 0.45) }'.match(RAW_COLOUR)).toHaveLength(2);
    expect('.x { border-radius: 4px; } .y { border-radius: 0 0 0.25rem 0.25rem; }'.match(RAW_RADIUS)).toHaveLength(2);
    expect('.x { border-radius: var(--border-radius-4); } .card { border-radius: 3mm; }'.match(RAW_RADIUS)).toBeNull();
    expect('.x { color: var(--color-primitive-red-900); }'.match(RAW_COLOUR)).toBeNull();
  });
});
