import type { claimsChannels } from '../../../shared/ipc/claims-contract';
import type { VaccinationEntryInput } from '../../core/claims/vaccination-service';
import type { Handlers } from '../types';

export const claimsHandlers: Handlers<keyof typeof claimsChannels> = {
  'claims.context': (core, _ctx, actor) => core.claims.context(actor),
  'claims.receive': (core, _ctx, actor, p) => core.claims.receive(actor, p),
  'claims.get': (core, _ctx, actor, p) => core.claims.get(actor, p.claimId, p.reveal ?? false),
  'claims.check': (core, _ctx, actor, p) => core.claims.check(actor, { ...p, figures: p.figures ?? {}, confirmedAll: p.confirmedAll ?? false }),
  'claims.correct': (core, _ctx, actor, p) => core.claims.correct(actor, p),
  'claims.decide': (core, _ctx, actor, p) => core.claims.decide(actor, p),
  'shikaku.kodomo.lose': (core, _ctx, actor, p) => core.kodomoShikaku.lose(actor, p),
  'claims.queue': (core, _ctx, actor, p) => ({ claims: core.claims.queue(actor, p.queue) }),
  'claims.byResident': (core, _ctx, actor, p) => ({ claims: core.claims.byResident(actor, p.residentId) }),
  'claims.noticeView': (core, _ctx, actor, p) => core.notices.view(actor, p.claimId),
  'claims.printNotice': (core, ctx, actor, p) => core.notices.print(actor, p.claimId, p.printerName, ctx.senderId),
  'claims.draft.save': (core, _ctx, actor, p) => core.claims.saveDraft(actor, p.key, p.data),
  'claims.draft.load': (core, _ctx, actor, p) => core.claims.loadDraft(actor, p.key),
  'claims.draft.discard': (core, _ctx, actor, p) => {
    core.claims.discardDraft(actor, p.key);
    return { discarded: true as const };
  },
  'banks.search': async (core, _ctx, _actor, p) => ({ results: await core.claims.searchBanks(p.bankCode, p.query) }),
  'vaccinations.list': (core, _ctx, actor, p) => ({ records: core.vaccinations.list(actor, p.residentId) }),
  'vaccinations.add': (core, _ctx, actor, p) => ({ records: core.vaccinations.add(actor, p.residentId, p.entry as VaccinationEntryInput) }),
  'vaccinations.correct': (core, _ctx, actor, p) => ({ records: core.vaccinations.correct(actor, p.recordId, p.version, p.entry as VaccinationEntryInput, p.reason) }),
};
