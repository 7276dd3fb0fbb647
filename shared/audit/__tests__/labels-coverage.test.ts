import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, RETIRED_AUDIT_ACTIONS, auditActionLabel } from '../actions';
import { AUDIT_DETAIL_LABELS, AUDIT_DETAIL_VALUE_LABELS, auditDetailLabel } from '../detail-labels';

/**
 * The supervisor reads every audit entry in Japanese (issue 14 §4): each action code the code base writes — and
 * each one earlier versions wrote — has a label, and each key the core puts into an entry's detail has a name.
 * These tests read the sources, so a new action or detail key without its label fails here.
 */
const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '__tests__' && name !== 'node_modules') out.push(...sources(p));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const SOURCES = [...sources(join(ROOT, 'electron')), ...sources(join(ROOT, 'shared'))].map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));

/** The top-level keys of every `detail: { … }` object literal in a source text (spreads and computed keys skipped). */
function detailKeys(src: string): string[] {
  const keys: string[] = [];
  const re = /\bdetail\s*:\s*\{/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let i = m.index + m[0].length;
    let depth = 1;
    let part = '';
    const parts: string[] = [];
    for (; i < src.length && depth > 0; i++) {
      const c = src[i]!;
      if ('{[('.includes(c)) depth++;
      else if ('}])'.includes(c)) depth--;
      if (depth === 1 && c === ',') {
        parts.push(part);
        part = '';
      } else if (depth > 0) part += c;
    }
    parts.push(part);
    for (const p of parts) {
      const k = /^\s*(\.\.\.)?([A-Za-z_$][\w$]*)\s*(?=[:,]|$)/.exec(p);
      if (k && !k[1]) keys.push(k[2]!);
    }
  }
  return keys;
}

describe('audit labels cover the vocabulary', () => {
  it('finds detail keys in a literal (the scanner itself works)', () => {
    expect(detailKeys("x({ action: 'a.b', detail: { claimId, why: 'x', counts: { a: 1, b: [1, 2] }, ...rest } })")).toEqual(['claimId', 'why', 'counts']);
  });

  it('every action code written anywhere in the core and shared code is in the vocabulary with a Japanese label', () => {
    const written = new Set<string>();
    for (const s of SOURCES) for (const m of s.text.matchAll(/\baction:\s*'([a-z]+(?:\.[A-Za-z]+)+)'/g)) written.add(m[1]!);
    expect(written.size).toBeGreaterThan(40);
    const unlabelled = [...written].filter((a) => !Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, a));
    expect(unlabelled).toEqual([]);
    for (const a of Object.keys(AUDIT_ACTIONS)) expect(auditActionLabel(a)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
  });

  it('every retired action keeps a Japanese label, is not a current one and is no longer written', () => {
    expect(Object.keys(RETIRED_AUDIT_ACTIONS).length).toBeGreaterThan(0);
    for (const [code, label] of Object.entries(RETIRED_AUDIT_ACTIONS)) {
      expect(label).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
      expect(auditActionLabel(code)).toBe(label);
      expect(Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, code)).toBe(false);
      expect(SOURCES.filter((s) => !s.path.endsWith('actions.ts') && s.text.includes(`'${code}'`)).map((s) => s.path)).toEqual([]);
    }
    const all = [...Object.values(AUDIT_ACTIONS), ...Object.values(RETIRED_AUDIT_ACTIONS)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('every key the core writes into an entry detail has a Japanese name', () => {
    const keys = new Set(SOURCES.flatMap((s) => detailKeys(s.text)));
    expect(keys.size).toBeGreaterThan(50);
    const missing = [...keys].filter((k) => !Object.prototype.hasOwnProperty.call(AUDIT_DETAIL_LABELS, k)).sort();
    expect(missing).toEqual([]);
    for (const k of keys) expect(auditDetailLabel(k)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
  });

  it('every reason code (why) the core records for a refusal has a Japanese name', () => {
    const codes = new Set<string>();
    for (const s of SOURCES) {
      for (const m of s.text.matchAll(/\bwhy:\s*'([a-z_]+)'/g)) codes.add(m[1]!);
      for (const m of s.text.matchAll(/\brefuse\('([a-z_]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((c) => !Object.prototype.hasOwnProperty.call(AUDIT_DETAIL_VALUE_LABELS, c)).sort()).toEqual([]);
  });
});
