import { z } from 'zod';

/**
 * Text that crosses a boundary (IPC request, sync protocol, roster CSV, rule profile, audit upload). One set of
 * rules, so that a character one layer cannot hold never reaches it:
 *
 * - well-formed UTF-16: no lone surrogate (SQLite stores one as bytes that read back as U+FFFD, PostgreSQL's
 *   JSONB refuses it, an audit entry holding one no longer hashes to what was stored);
 * - no control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F; PostgreSQL cannot store U+0000 at all),
 *   except LF and TAB in a `multiline` field (a CR, alone or before LF, becomes LF there);
 * - no line or paragraph separator (U+2028, U+2029) and no bidirectional embedding, override or isolate
 *   (U+202A–U+202E, U+2066–U+2069), which reorder what a screen, a printed certificate or the audit review shows;
 * - NFC (so the same name typed two ways is one string), trimmed unless the field says otherwise (`trim: false`
 *   for passwords, whose every character counts);
 * - a length cap counted in characters = Unicode code points after normalisation (𠮷 is one character, as staff
 *   count it; a UTF-16 length would count it twice).
 *
 * `text()` is the zod type for fields people type. `wireText()` checks the same characters without rewriting
 * anything (the sync payload and the audit upload carry data whose exact form matters: a hash, a stored row).
 * Messages are Japanese and name the field.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const SEPARATOR = /[\u2028\u2029]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

export type TextProblem = 'surrogate' | 'control' | 'separator' | 'bidi';

/** The first reason `s` is not acceptable text, or null. Multiline text may hold LF, CR and TAB. */
export function textProblem(s: string, multiline = false): TextProblem | null {
  if (LONE_SURROGATE.test(s)) return 'surrogate';
  if ((multiline ? CONTROL_MULTI : CONTROL_SINGLE).test(s)) return 'control';
  if (SEPARATOR.test(s)) return 'separator';
  if (BIDI.test(s)) return 'bidi';
  return null;
}

/** Length in characters (Unicode code points), the unit of every text cap. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A Japanese message for a problem of field `label`. */
export function textProblemMessage(label: string, problem: TextProblem, multiline = false): string {
  switch (problem) {
    case 'surrogate':
      return `${label}に読み取れない文字（壊れた文字コード）が含まれています`;
    case 'control':
      return multiline ? `${label}に制御文字は使えません` : `${label}に改行や制御文字は使えません`;
    case 'separator':
      return `${label}に改行や制御文字は使えません`;
    case 'bidi':
      return `${label}に文字の向きを変える制御文字は使えません`;
  }
}

export interface TextOptions {
  /** The field's name in messages ('理由', '氏名' …); default 'この項目'. */
  label?: string;
  /** At most this many characters (code points, after NFC and trimming). */
  max: number;
  /** At least this many characters; 1 makes the field required ('…を入力してください'). Default 0. */
  min?: number;
  /** LF and TAB allowed (CR and CRLF become LF). Default false: one line. */
  multiline?: boolean;
  /** Trim surrounding whitespace (default true). Passwords: false. */
  trim?: boolean;
  /** Normalise to NFC (default true). Passwords and secrets: false (the exact characters are what counts). */
  normalize?: boolean;
  /** Message when empty (min ≥ 1). */
  requiredMessage?: string;
  /** Message when too long. */
  tooLongMessage?: string;
}

/** The zod type of a field people type: checked, normalised, trimmed, capped (see the rules above). */
export function text(opts: TextOptions) {
  const label = opts.label ?? 'この項目';
  const multiline = opts.multiline ?? false;
  const min = opts.min ?? 0;
  let t = z.string(opts.requiredMessage ? { error: opts.requiredMessage } : undefined).superRefine((s, ctx) => {
    const p = textProblem(s, multiline);
    if (p) ctx.addIssue({ code: 'custom', message: textProblemMessage(label, p, multiline), abort: true });
  });
  if (multiline) t = t.overwrite((s) => s.replace(/\r\n?/g, '\n'));
  if (opts.normalize ?? true) t = t.overwrite((s) => s.normalize('NFC'));
  if (opts.trim ?? true) t = t.trim();
  if (min > 0) t = t.refine((s) => charLength(s) >= min, opts.requiredMessage ?? (min === 1 ? `${label}を入力してください` : `${label}は${min}文字以上で入力してください`));
  return t.refine((s) => charLength(s) <= opts.max, opts.tooLongMessage ?? `${label}は${opts.max}文字以内で入力してください`);
}

/**
 * Text on the wire (sync payload values, audit upload): the same characters refused, nothing rewritten, at most
 * `max` characters. `multiline` allows LF, CR and TAB (a PEM, an address written before these rules).
 */
export function wireText(max: number, multiline = false) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const p = textProblem(s, multiline);
      if (p) ctx.addIssue({ code: 'custom', message: textProblemMessage('文字列', p, multiline), abort: true });
    })
    .refine((s) => s.length <= max * 2 && charLength(s) <= max, `文字列は${max}文字以内です`);
}

// ---------------------------------------------------------------------------------------------------------
// JSON objects that cross a boundary whole (claim input, certificate details, drafts, WebAuthn responses)

export interface JsonLimits {
  /** Nesting depth of objects and arrays (the value itself is depth 1). */
  maxDepth: number;
  /** Objects, arrays and scalars in all. */
  maxNodes: number;
  /** Characters of one string value. */
  maxString: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 10, maxNodes: 5000, maxString: 10_000 };

/** Keys that would reach an object's prototype if some code ever copied them by assignment. */
const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const KEY_MAX = 200;

/**
 * The first problem of a JSON value (plain objects, arrays, strings, finite numbers, booleans, null), or null:
 * every key and string is text (single line), no prototype keys, within the limits. Iterative, so a deeply
 * nested hostile value cannot overflow the stack here.
 */
export function jsonProblem(value: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (++nodes > limits.maxNodes) return '項目が多すぎます';
    // undefined: what JSON leaves out (a member) or writes as null (in an array); options objects carry it.
    if (v === null || v === undefined || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return '数値が正しくありません';
      continue;
    }
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) return textProblemMessage('入力', p);
      if (charLength(v) > limits.maxString) return `入力は${limits.maxString}文字以内で入力してください`;
      continue;
    }
    if (typeof v !== 'object') return '値の形式が正しくありません';
    if (depth > limits.maxDepth) return '入れ子が深すぎます';
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return '値の形式が正しくありません';
    for (const k of Object.keys(v)) {
      if (PROTO_KEYS.has(k)) return `項目名「${k}」は使えません`;
      const p = textProblem(k);
      if (p) return textProblemMessage('項目名', p);
      if (charLength(k) > KEY_MAX) return '項目名が長すぎます';
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1 });
    }
  }
  return null;
}

/** A copy of a JSON value with every string and key in NFC (a value that passed jsonProblem). */
function normalizeJson(v: unknown): unknown {
  if (typeof v === 'string') return v.normalize('NFC');
  if (Array.isArray(v)) return v.map(normalizeJson);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k.normalize('NFC'), { value: normalizeJson(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/**
 * A JSON object crossing a boundary whole: checked as jsonProblem says; with `normalize` (default true) every
 * string and key is turned to NFC. WebAuthn responses pass `normalize: false` (their bytes are signed).
 */
export function jsonObject(opts: Partial<JsonLimits> & { normalize?: boolean } = {}) {
  const limits: JsonLimits = { ...DEFAULT_JSON_LIMITS, ...opts };
  // z.custom, not z.record: a record would silently drop a `__proto__` key before the check could refuse it.
  const checked = z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: '値の形式が正しくありません', abort: true })
    .superRefine((v, ctx) => {
      const p = jsonProblem(v, limits);
      if (p) ctx.addIssue({ code: 'custom', message: p, abort: true });
    });
  return opts.normalize === false ? checked : checked.overwrite((v) => normalizeJson(v) as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------------------
// Making text storable where it cannot be refused (the audit log records whatever happened)

const REPLACEMENT = '\uFFFD';
// eslint-disable-next-line no-control-regex
const UNSTORABLE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * `s` made well-formed and free of control characters other than LF, CR and TAB: each lone surrogate and each
 * other control character becomes U+FFFD. What the audit log does with strings it must record, so that what it
 * hashes is exactly what SQLite and PostgreSQL store and give back.
 */
export function storableText(s: string): string {
  return s.replace(LONE_SURROGATES, REPLACEMENT).replace(UNSTORABLE_CONTROL, REPLACEMENT);
}

/**
 * A JSON-compatible copy of `v` with every string and key made storable (storableText); undefined members are
 * dropped, non-finite numbers become null, anything that is not JSON (a function, a bigint) its String() form,
 * nesting beyond `maxDepth` the string '…'. Never throws.
 */
export function storableJson(v: unknown, maxDepth = 32): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return storableText(v);
  if (typeof v !== 'object') return v === undefined ? null : storableText(String(v));
  if (maxDepth <= 0) return '…';
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : storableJson(x, maxDepth - 1)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const key = storableText(k);
    Object.defineProperty(out, key, { value: storableJson(x, maxDepth - 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
