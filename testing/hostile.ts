/**
 * Hostile input for the boundary tests (issue 13 §1): strings no field may take, a walker over zod schemas that
 * finds every string a request can carry, and fast-check arbitraries derived from a schema.
 */
import fc from 'fast-check';
import type { z } from 'zod';

/** Characters no single-line field may take (each alone; tests also embed them in ordinary text). */
export const HOSTILE_CHARS: readonly string[] = [
  '\u0000', // PostgreSQL cannot store it
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uDC00\uD800', // a pair in the wrong order
  '\u0001',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '\u001B',
  '\u007F',
  '\u0085', // C1 (NEL)
  '\u009B', // C1 (CSI)
  '\u2028',
  '\u2029',
  '\u202A',
  '\u202E', // right-to-left override
  '\u2066',
  '\u2069',
];

/** Each hostile character alone and inside ordinary text. */
export const HOSTILE_STRINGS: readonly string[] = HOSTILE_CHARS.flatMap((c) => [c, `取消${c}理由`]);

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
/** Schema kinds that wrap one inner schema (innerType) and take what it takes, plus null/undefined at most. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

export interface Leaf {
  /** Where in the request (dot path; `*` for a record value or array element). */
  path: string;
  kind: 'string' | 'json' | 'custom';
  schema: z.ZodType;
}

/**
 * Every place a request schema takes a string: string leaves, custom leaves (validated by a function), and
 * records of unknown values (JSON objects crossing whole). Follows the input side of pipes.
 */
export function stringLeaves(schema: z.ZodType, path = ''): Leaf[] {
  const def = defOf(schema);
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (WRAPPERS.has(def.type)) return stringLeaves(def.innerType as z.ZodType, path);
  switch (def.type) {
    case 'string':
      return [{ path: path || '(value)', kind: 'string', schema }];
    case 'custom':
      return [{ path: path || '(value)', kind: 'custom', schema }];
    case 'object': {
      const out: Leaf[] = [];
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) out.push(...stringLeaves(v, at(k)));
      return out;
    }
    case 'record': {
      const value = defOf(def.valueType);
      if (value.type === 'unknown' || value.type === 'any') return [{ path: path || '(value)', kind: 'json', schema }];
      return [...stringLeaves(def.keyType as z.ZodType, at('(key)')), ...stringLeaves(def.valueType as z.ZodType, at('*'))];
    }
    case 'array':
      return stringLeaves(def.element as z.ZodType, at('*'));
    case 'tuple':
      return (def.items as z.ZodType[]).flatMap((x, i) => stringLeaves(x, at(String(i))));
    case 'union':
      return (def.options as z.ZodType[]).flatMap((x) => stringLeaves(x, path));
    case 'pipe':
      return stringLeaves(def.in as z.ZodType, path);
    case 'lazy':
      return stringLeaves((def.getter as () => z.ZodType)(), path);
    case 'unknown':
    case 'any':
      return [{ path: path || '(value)', kind: 'json', schema }];
    default:
      return [];
  }
}

/** JSON values carrying `h` in every position a JSON object can (value, nested, array, key). */
export function jsonCarrying(h: string): Record<string, unknown>[] {
  return [{ a: h }, { a: { b: h } }, { a: [1, h] }, { [h]: 1 }, { a: { [h]: 'x' } }];
}

// ---------------------------------------------------------------------------------------------------------
// fast-check arbitraries

/** Strings as an attacker would send them: hostile characters, lone surrogates, huge, or ordinary. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, // any code point, surrogate pairs included
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }) }, // any code unit: lone surrogates
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), '字'.repeat(5_000), '𠮷'.repeat(3_000)) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '', ' ', '　', 'ア\u3099') },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Arbitrary JSON, with hostile strings and keys, `__proto__` keys and nesting up to `depth`. */
export function hostileJson(depth = 4): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'reason', 'details'), hostileString);
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: depth },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      hostileString,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return value;
}

/** A value nested `n` levels deep ({a:{a:…}}), built without recursion. */
export function deeplyNested(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

/**
 * Values shaped by `schema` (objects with their keys, enum members, numbers, booleans) whose strings are hostile
 * and whose shape is sometimes broken (a key dropped, an extra key, null, a wrong type), so the fuzzer reaches
 * past the top-level shape checks.
 */
export function fromSchema(schema: z.ZodType, plausible?: fc.Arbitrary<string>, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const sub = (x: unknown) => fromSchema(x as z.ZodType, plausible, depth + 1);
  const broken = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), hostileString, fc.constant([]), fc.constant({}));
  const inner = ((): fc.Arbitrary<unknown> => {
    if (depth > 6) return broken;
    if (WRAPPERS.has(def.type)) return fc.oneof(sub(def.innerType), fc.constant(null), fc.constant(undefined));
    switch (def.type) {
      case 'string':
        // Plausible values (real IDs, dates) let a request past its ID fields, so its free text reaches the handler.
        return plausible ? fc.oneof(hostileString, plausible) : hostileString;
      case 'number':
        return fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), fc.double(), fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308));
      case 'boolean':
        return fc.boolean();
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
      case 'literal':
        return fc.constantFrom(...(def.values as unknown[]));
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        const keys = Object.keys(shape);
        if (keys.length === 0) return fc.oneof(fc.constant({}), hostileJson(2));
        const rec: Record<string, fc.Arbitrary<unknown>> = {};
        for (const k of keys) rec[k] = sub(shape[k]);
        return fc.record(rec, { requiredKeys: [] }).chain((o) =>
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(o) },
            { weight: 1, arbitrary: fc.tuple(hostileString, hostileJson(1)).map(([k, v]) => ({ ...o, [k]: v })) },
            { weight: 1, arbitrary: fc.constant(JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(o).slice(1)}`.replace(/,}$/, '}')) as unknown) },
          ),
        );
      }
      case 'record': {
        const value = defOf(def.valueType);
        if (value.type === 'unknown' || value.type === 'any') return hostileJson(4);
        return fc.dictionary(fc.oneof(sub(def.keyType).filter((k): k is string => typeof k === 'string'), hostileString), sub(def.valueType), { maxKeys: 4 });
      }
      case 'array':
        return fc.array(sub(def.element), { maxLength: 4 });
      case 'union':
        return fc.oneof(...(def.options as z.ZodType[]).map(sub));
      case 'pipe':
        return sub(def.in);
      case 'custom':
        return plausible ? fc.oneof(hostileJson(3), plausible) : hostileJson(3);
      default:
        return hostileJson(2);
    }
  })();
  return fc.oneof({ weight: 8, arbitrary: inner }, { weight: 1, arbitrary: broken });
}
