import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { adminChannels } from '../../../shared/ipc/admin-contract';
import type { Handlers } from '../types';

export const adminHandlers: Handlers<keyof typeof adminChannels> = {
  'admin.staff.list': (core, _ctx, actor) => ({ staff: core.staffAdmin.list(actor) }),
  'admin.grants.grant': (core, _ctx, actor, p) => ({ grantId: core.staffAdmin.grant(actor, p) }),
  'admin.grants.revoke': (core, _ctx, actor, p) => {
    core.staffAdmin.revokeGrant(actor, p.grantId, p.reason);
    return { revoked: true as const };
  },
  'admin.authenticators.begin': async (core, _ctx, actor, p) => ({ options: await core.staffAdmin.beginRegistration(actor, p.staffId) }),
  'admin.authenticators.finish': async (core, _ctx, actor, p) => ({
    authenticatorId: await core.staffAdmin.finishRegistration(actor, p.staffId, p.label, p.response as unknown as RegistrationResponseJSON, p.approvedBy),
  }),
  'admin.authenticators.revoke': (core, _ctx, actor, p) => {
    core.staffAdmin.revokeAuthenticator(actor, p.authenticatorId, p.reason);
    return { revoked: true as const };
  },
  'admin.staff.setInitialPassword': async (core, _ctx, actor, p) => {
    await core.staffAdmin.setInitialPassword(actor, p.staffId, p.password);
    return { set: true as const };
  },
  'admin.roster.preview': (core, _ctx, actor, p) => core.roster.preview(actor, p.fileName, Buffer.from(p.contentBase64, 'base64')),
  'admin.roster.apply': (core, _ctx, actor, p) => core.roster.apply(actor, p.previewId, p.applyValidPart, p.roleApprover ?? null),
  'admin.rightsReview': (core, _ctx, actor) => core.staffAdmin.rightsReview(actor),
};
