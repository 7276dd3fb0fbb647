import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../testing/core';
import { seedDemoFujo } from '../../../testing/seikatsu-demo';

/**
 * `npm run demo` starts with a decided 医療扶助 for the fictional 保護 和子 (testing/seikatsu-demo.ts): the real
 * service took each step, the 確認 and 決裁 are signed by their own members, nobody stays logged in, and the counter
 * can issue her 医療券 from it.
 */
let s: SeededCore;
beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 2, demo: true });
  // As startHarness does once it listens (npm run demo seeds the 扶助 after that).
  s.core.auth.options.webauthn.origins.push('http://localhost:5870');
});
afterEach(() => s.cleanup());

describe('the demo 生活保護 世帯', () => {
  it('refuses to seed before the harness gives the page its origin', async () => {
    s.core.auth.options.webauthn.origins.length = 0;
    await expect(seedDemoFujo(s)).rejects.toThrow(/origin/);
  });

  it('has a 医療扶助 decided 開始 by three people with two signed steps, and a 医療券 can be issued from it', async () => {
    const flowNo = await seedDemoFujo(s);
    const mother = s.edges.byName.seihoMother!;
    const row = s.core.db.prepare('SELECT state, record_json, proofs_json FROM fujo_flows WHERE flow_no = ?').get(flowNo) as { state: string; record_json: string; proofs_json: string };
    expect(row.state).toBe('decided');
    const record = JSON.parse(row.record_json) as { history: { action: string; by: string }[]; facts: { aidStartOn: string } };
    expect(record.history.map((h) => `${h.action}:${h.by}`)).toEqual(['receive:D1001', 'check:D2001', 'decide:D7001']);
    expect(record.facts.aidStartOn).toBe('2026-11-15');
    expect(Object.keys(JSON.parse(row.proofs_json) as object)).toHaveLength(2);
    const clerk = await loginSeeded(s, 'c2', 'D1001');
    const prep = s.core.lifecycle.prepare(clerk, 'seikatsu_iryo', mother.id);
    const ticket = s.core.lifecycle.issue(clerk, {
      type: 'seikatsu_iryo', residentId: mother.id, issueKind: 'new', reissueReason: null, nameChoice: 'real', printSex: true, residentVersion: prep.residentVersion,
      details: { shinryo: '入院外', month: '2026-11', recipientNo: '', publicPayerNo: '', institutionCode: '2712345', institutionName: '梅田クリニック', prescriberCode: null, caseNo: '1200345', caseworker: 'D1001', diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', socialInsurance: null },
    });
    expect(ticket).toMatchObject({ type: 'seikatsu_iryo', validFrom: '2026-11-15', validTo: '2026-11-30' });
  });
});
