import { describe, expect, it } from 'vitest';
import { channels } from '../contract';
import { HOSTILE_STRINGS, jsonCarrying, stringLeaves, type Leaf } from '../../../testing/hostile';

/**
 * Issue 13 §1: every string a renderer request can carry refuses control characters, lone surrogates, line and
 * paragraph separators and bidirectional overrides — through the shared text type (shared/text.ts), a pattern
 * that excludes them (IDs, dates, hashes) or the JSON object type. A channel that gains a plain z.string() or a
 * record of unchecked values fails here, naming the channel and the field.
 */
const names = Object.keys(channels) as (keyof typeof channels)[];

function accepts(leaf: Leaf): string[] {
  // A custom leaf may be a JSON object type (shared/text.ts jsonObject) or a value check (a right): both must refuse.
  const json = HOSTILE_STRINGS.flatMap(jsonCarrying);
  const probes: readonly unknown[] = leaf.kind === 'json' ? json : leaf.kind === 'custom' ? [...HOSTILE_STRINGS, ...json] : HOSTILE_STRINGS;
  return probes.filter((p) => leaf.schema.safeParse(p).success).map((p) => JSON.stringify(p));
}

describe('every string of every IPC request refuses hostile text', () => {
  it('finds the string fields of the contract (the walker sees them)', () => {
    const leaves = names.flatMap((n) => stringLeaves(channels[n].request));
    expect(leaves.length).toBeGreaterThan(60);
    expect(stringLeaves(channels['certificates.cancel'].request).map((l) => l.path)).toEqual(expect.arrayContaining(['certificateId', 'reason']));
  });

  for (const name of names) {
    it(name, () => {
      const open = stringLeaves(channels[name].request)
        .map((leaf) => ({ path: leaf.path, accepted: accepts(leaf) }))
        .filter((x) => x.accepted.length > 0)
        .map((x) => `${x.path} accepts ${x.accepted.slice(0, 3).join(', ')}`);
      expect(open).toEqual([]);
    });
  }

  it('the 取消 reason of certificates.cancel: U+0000 and a lone surrogate are refused with a Japanese message', () => {
    const req = channels['certificates.cancel'].request;
    const base = { certificateId: '0190a000-0000-7000-8000-00000000000a', version: 1 };
    for (const reason of ['転出\u0000', '転出\uD800']) {
      const r = req.safeParse({ ...base, reason });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(req.parse({ ...base, reason: '  転出（ﾃﾝｼｭﾂ）　' }).reason).toBe('転出（ﾃﾝｼｭﾂ）');
  });
});
