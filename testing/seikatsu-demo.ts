import { todayInJapan, addDays } from '../shared/domain/wareki';
import type { Actor } from '../electron/core/actor';
import { loginSeeded, type SeededCore } from './core';
import { signAssertion } from './webauthn';

/**
 * The demo's 生活保護 work in progress (issue 17): 保護 和子's 医療扶助（要否意見書によらない）, received by D1001,
 * checked by D2001 and decided 開始 by D7001 — each check and 決裁 signed with that member's own (software)
 * authenticator, through the real FujoService, exactly as the counter does it. A browser on a developer machine has
 * no authenticator, so without this the demo could not reach a decided 扶助 and its 医療券. Call it once the harness
 * listens (its origin is the one the steps are signed for). Returns the flow's 受付番号.
 */
export async function seedDemoFujo(s: SeededCore): Promise<string> {
  const mother = s.edges.byName.seihoMother;
  if (!mother) throw new Error('demo setup: no 生活保護 世帯 in the seed');
  const senders = ['demo-seed-c', 'demo-seed-k', 'demo-seed-a'];
  const [clerk, checker, approver] = [await loginSeeded(s, senders[0]!, 'D1001'), await loginSeeded(s, senders[1]!, 'D2001'), await loginSeeded(s, senders[2]!, 'D7001')];
  try {
    const cfg = s.core.auth.options.webauthn;
    // The page's origin, which the harness adds once it listens: the signed steps name it, as a browser's would.
    const origin = cfg.origins[0];
    if (!origin) throw new Error('demo setup: no WebAuthn origin yet (seed the 扶助 after startHarness)');
    // Above any count the login used (an authenticator's counter only goes up).
    let signCount = 900_000;
    const step = async (a: Actor, flow: { id: string; version: number }, action: 'check' | 'decide', input: Record<string, unknown>) => {
      const req = { flowId: flow.id, version: flow.version, action, input };
      const { hash } = await s.core.fujo.stepBegin(a, req);
      const cred = s.edges.credentials[a.staffId];
      if (!cred) throw new Error(`demo setup: no credential for ${a.staffId}`);
      const assertion = hash === null ? null : signAssertion(cred, { challenge: hash }, origin, cfg.rpID, signCount++);
      return s.core.fujo.step(a, { ...req, assertion: assertion as never });
    };
    const today = todayInJapan(s.core.clock.now());
    const appliedOn = addDays(today, -7);
    let f = s.core.fujo.start(clerk, { kind: 'iryo_direct', residentId: mother.id, appliedOn, note: 'デモ（架空のデータ）' });
    f = await step(checker, f, 'check', {});
    f = await step(approver, f, 'decide', { decidedOn: today, decision: '開始', aidStartOn: appliedOn });
    return f.flowNo;
  } finally {
    for (const id of senders) s.core.auth.logout(id);
  }
}
