import type { auditChannels } from '../../../shared/ipc/audit-contract';
import type { Handlers } from '../types';

export const auditHandlers: Handlers<keyof typeof auditChannels> = {
  'audit.verify': (core, _ctx, actor) => {
    const r = core.audit.verifyFor(actor.staffId);
    return { ok: r.ok, entries: r.entries, message: r.message };
  },
  'audit.review': (core, _ctx, actor, p) => core.review.page(actor, p.filter, p.beforeSeq, p.limit ?? 100),
  'audit.exports.list': (core, _ctx, actor) => ({ exports: core.exports.list(actor) }),
  'audit.exports.request': (core, _ctx, actor, p) => core.exports.request(actor, { filter: p.filter, reason: p.reason, csvEncoding: p.csvEncoding }),
  'audit.exports.decide': (core, _ctx, actor, p) => core.exports.decide(actor, p),
};
