import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import type { Actor } from '../../actor';

/** Batch mailing (資格確認書 renewal): selection → validation pass → issue in steps, resumable. */
let s: SeededCore;
let clerk: Actor;
beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 });
  clerk = await loginSeeded(s, 'c', 'D1001');
});
afterEach(() => s.cleanup());

const person = (k: string) => must(s.edges.byName[k]);

function shikaku(key: string): string {
  const id = person(key).id;
  return s.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: must(s.core.residents.findRow(id)).version }).id;
}

describe('batch mailing', () => {
  it('lists records changed since selection, holds DV records, issues the rest once, and resumes after a restart', async () => {
    for (const k of ['testParent', 'boundaryParent', 'dvParent', 'aliasParent', 'rareCharParent']) shikaku(k);
    const run = s.core.mailing.select(clerk, { title: '令和9年度 資格確認書 一斉更新', certType: 'kokuho_shikaku', validToOnOrBefore: '2027-07-31' });
    expect(run).toMatchObject({ total: 5, pending: 5, state: 'selected' });
    expect(() => s.core.mailing.issueNext(clerk, run.runId)).toThrow(/検証/);

    // After selection, one person's address changes (e.g. a data migration): the validation pass lists it.
    s.core.db.prepare(`UPDATE residents SET address = '大阪市北区移行後1-1' WHERE id = ?`).run(person('boundaryParent').id);
    const v = s.core.mailing.validate(clerk, run.runId);
    expect(v).toMatchObject({ pending: 3, changed: 1, held: 1, state: 'validated' });
    const changed = must(v.items.find((i) => i.status === 'changed'));
    expect(changed.residentId).toBe(person('boundaryParent').id);
    expect(changed.message).toContain('住所（');
    expect(must(v.items.find((i) => i.status === 'held')).residentId).toBe(person('dvParent').id);

    // Two items, then the terminal "restarts" (a new core on the same database): the run resumes.
    const part = s.core.mailing.issueNext(clerk, run.runId, 2);
    expect(part).toMatchObject({ printed: 2, pending: 1, state: 'printing' });
    s.core.close();
    const again = await createSeededCore({ clock: clockFrom('2026-11-22T02:00:00Z'), dataDir: s.dataDir, reopen: s.edges });
    try {
      const clerk2 = await loginSeeded(again, 'c2', 'D1001');
      expect(again.core.mailing.openRuns(clerk2).map((r) => r.runId)).toEqual([run.runId]);
      const done = again.core.mailing.issueNext(clerk2, run.runId);
      expect(done).toMatchObject({ printed: 3, pending: 0, changed: 1, held: 1, state: 'done' });
      // Each of the three got exactly one renewed certificate; the changed and held ones none.
      expect(count(again.core.db, `SELECT count(*) AS n FROM certificates WHERE cert_type = 'kokuho_shikaku' AND issue_kind = 'renew'`)).toBe(3);
      expect(count(again.core.db, `SELECT count(*) AS n FROM certificates WHERE cert_type = 'kokuho_shikaku' AND issue_kind = 'renew' AND resident_id IN (?, ?)`, person('boundaryParent').id, person('dvParent').id)).toBe(0);
      expect(again.core.mailing.issueNext(clerk2, run.runId).printed).toBe(3); // nothing issued twice
      expect(auditOf(again.core.db, 'mailing.done')).toHaveLength(1);
    } finally {
      again.cleanup();
    }
  });
});
