import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { approvalsChannels } from '../../../shared/ipc/approvals-contract';
import type { Handlers } from '../types';

export const approvalsHandlers: Handlers<keyof typeof approvalsChannels> = {
  'approvals.list': (core, _ctx, actor) => ({ items: core.approvals.list(actor) }),
  'approvals.begin': (core, _ctx, actor, p) => core.approvals.begin(actor, p.kind, p.id),
  'approvals.confirm': async (core, _ctx, actor, p) => {
    await core.approvals.confirm(actor, p.kind, p.id, p.hash, p.response as unknown as AuthenticationResponseJSON);
    return { approved: true as const };
  },
};
