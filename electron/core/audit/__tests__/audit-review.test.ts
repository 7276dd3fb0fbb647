import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { must } from '../../../../testing/db';
import type { Actor } from '../../actor';
import { AuditLog } from '../audit-log';
import { AuditReview } from '../audit-review';
import { auditChannels } from '../../../../shared/ipc/audit-contract';

/** The supervisor's review: filters, keyset pages, highlights; a real seeded core's audit log. */
let s: SeededCore;
let sup: Actor;
let review: AuditReview;

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-24T01:00:00Z'), households: 30 });
  sup = await loginSeeded(s, 'sup', 'D8001');
  review = new AuditReview(s.core.db, s.core.audit);
});
afterEach(() => s.cleanup());

/** Appends as if at `iso` (a separate AuditLog on the same chain with its own clock). */
function at(iso: string, e: Parameters<AuditLog['append']>[0]): void {
  new AuditLog(s.core.db, { terminalId: 'DEMO-01' }, { now: () => new Date(iso) }).append(e);
}

describe('audit review', () => {
  it('filters by staff, resident, action prefix, outcome, reason and JST date; pages by keyset without gaps', () => {
    const parent = must(s.edges.byName.testParent).atenaNo;
    // Tuesday 2026-11-24 10:00 JST = 01:00Z (working hours); 23:30 JST = 14:30Z (after hours)
    at('2026-11-24T01:00:00Z', { staffId: 'D1001', action: 'residents.view', targetAtenaNo: parent, reason: '窓口申請', outcome: 'success' });
    at('2026-11-24T14:30:00Z', { staffId: 'D1002', action: 'residents.revealMyNumber', targetAtenaNo: parent, reason: '審査', outcome: 'success' });
    at('2026-11-24T14:31:00Z', { staffId: 'D1002', action: 'auth.login', outcome: 'failure' });
    at('2026-11-25T01:00:00Z', { staffId: 'D1001', action: 'claims.receive', targetAtenaNo: parent, outcome: 'success' });

    const byStaff = review.page(sup, { staffId: 'D1002' }, null).rows;
    expect(byStaff.map((r) => r.action)).toEqual(['auth.login', 'residents.revealMyNumber', 'auth.login'].slice(0, byStaff.length));
    expect(byStaff.find((r) => r.action === 'residents.revealMyNumber')?.highlights).toEqual(['after_hours', 'mynumber_reveal']);
    expect(byStaff.find((r) => r.action === 'auth.login' && r.outcome === 'failure')?.highlights).toEqual(expect.arrayContaining(['failed_login', 'after_hours']));

    expect(review.page(sup, { atenaNo: parent, action: 'claims.' }, null).rows.map((r) => r.action)).toEqual(['claims.receive']);
    expect(review.page(sup, { reason: '審査' }, null).rows.map((r) => r.staffId)).toEqual(['D1002']);
    expect(review.page(sup, { from: '2026-11-25', to: '2026-11-25', staffId: 'D1001' }, null).rows.map((r) => r.action)).toEqual(['claims.receive']);
    const tuesday = review.page(sup, { from: '2026-11-24', to: '2026-11-24', atenaNo: parent }, null).rows;
    expect(tuesday.map((r) => r.action)).toEqual(['residents.revealMyNumber', 'residents.view']);
    expect(tuesday[1]?.highlights).toEqual([]); // 10:00 on a Tuesday, an ordinary view

    // Keyset paging over everything: no entry twice, none skipped.
    const seen: number[] = [];
    let cursor: number | null = null;
    for (let i = 0; i < 1000; i++) {
      const p = review.page(sup, { action: 'auth.' }, cursor, 7);
      seen.push(...p.rows.map((r) => r.seq));
      if (p.next === null) break;
      cursor = p.next;
    }
    const all = (s.core.db.prepare(`SELECT seq FROM audit_log WHERE action >= 'auth.' AND action < 'auth/' ORDER BY seq DESC`).all() as { seq: number }[]).map((r) => r.seq);
    expect(seen).toEqual(all);
  });

  it('matches the staff ID without regard to case, and a full-width one once the contract has folded it', () => {
    at('2026-11-24T01:00:00Z', { staffId: 'D1001', action: 'residents.view', outcome: 'success' });
    at('2026-11-24T01:01:00Z', { staffId: 'x9', action: 'auth.login', outcome: 'failure' }); // an unknown ID, stored as typed
    const seqs = (staffId: string) => review.page(sup, { staffId }, null).rows.map((r) => r.seq);
    expect(seqs('d1001')).toEqual(seqs('D1001'));
    expect(seqs('d1001').length).toBeGreaterThan(0);
    expect(seqs('x9')).toHaveLength(1);
    const parsed = auditChannels['audit.review'].request.parse({ filter: { staffId: 'ｄ１００１', atenaNo: '９００００２', terminalId: 'ＤＥＭＯ－０１' }, beforeSeq: null });
    expect(parsed.filter).toMatchObject({ staffId: 'd1001', atenaNo: '900002', terminalId: 'DEMO-01' });
    expect(seqs(parsed.filter.staffId!)).toEqual(seqs('D1001'));
  });

  it('highlights one person viewing many distinct residents within an hour, and access to DV residents', () => {
    const atenas = (s.core.db.prepare('SELECT atena_no FROM residents WHERE dv_support = 0 LIMIT 25').all() as { atena_no: string }[]).map((r) => r.atena_no);
    atenas.forEach((a, i) => at(`2026-11-24T02:${String(i).padStart(2, '0')}:00Z`, { staffId: 'D1001', action: 'residents.view', targetAtenaNo: a, outcome: 'success' }));
    at('2026-11-24T03:00:00Z', { staffId: 'D1002', action: 'residents.view', targetAtenaNo: must(s.edges.byName.dvParent).atenaNo, outcome: 'success' });
    const rows = review.page(sup, { action: 'residents.view' }, null, 200).rows;
    const d1001 = rows.filter((r) => r.staffId === 'D1001');
    // The 20th distinct resident within the hour and later ones are flagged, earlier ones not.
    expect(d1001.filter((r) => r.highlights.includes('many_residents'))).toHaveLength(6);
    expect(rows.find((r) => r.staffId === 'D1002')?.highlights).toEqual(['dv_access']);
  });

  it('only a member of staff with audit.review may review, and each page is audited', async () => {
    const clerk = await loginSeeded(s, 'c', 'D1001');
    expect(() => review.page(clerk, {}, null)).toThrow(/権限/);
    review.page(sup, { staffId: 'D1001' }, null);
    expect(s.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'audit.review').at(-1)).toMatchObject({ staffId: 'D8001', detail: { filter: { staffId: 'D1001' } } });
  });
});
