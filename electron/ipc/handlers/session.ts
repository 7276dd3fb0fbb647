import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { sessionChannels } from '../../../shared/ipc/session-contract';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { Handlers } from '../types';

export const sessionHandlers: Handlers<keyof typeof sessionChannels> = {
  'auth.status': (core, _ctx, actor) => core.statusFor(actor),
  'auth.login': (core, ctx, _actor, p) => core.auth.login(ctx.senderId, p.staffId, p.password),
  'auth.secondFactor': (core, ctx, _actor, p) => core.auth.secondFactor(ctx.senderId, p.response as unknown as AuthenticationResponseJSON),
  'auth.enrollFactor': (core, ctx, _actor, p) => core.auth.enrollFactor(ctx.senderId, p.response as unknown as RegistrationResponseJSON),
  'auth.changePassword': (core, ctx, _actor, p) => core.auth.changePassword(ctx.senderId, p.current, p.next),
  'auth.logout': (core, ctx) => {
    core.auth.logout(ctx.senderId);
    return { loggedOut: true as const };
  },
  'auth.lock': (core, ctx) => {
    core.auth.lock(ctx.senderId, 'manual');
    return { locked: true as const };
  },
  'auth.unlock': (core, ctx, _actor, p) => core.auth.unlock(ctx.senderId, p.password),
  'clock.now': (core) => {
    const now = core.clock.now();
    return { now: now.toISOString(), today: todayInJapan(now) };
  },
  'clipboard.recordCopy': (core, _ctx, _actor, p) => {
    core.clipboard.record(p.sha256);
    return { recorded: true as const };
  },
};
