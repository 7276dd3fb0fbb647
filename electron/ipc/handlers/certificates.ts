import type { certificatesChannels } from '../../../shared/ipc/certificates-contract';
import type { Handlers } from '../types';

export const certificatesHandlers: Handlers<keyof typeof certificatesChannels> = {
  'printers.list': async (core, _ctx, actor) => ({ printers: await core.lifecycle.printers(actor) }),
  'certificates.print': (core, ctx, actor, p) => core.lifecycle.print(actor, p, ctx.senderId),
  'mailing.select': (core, _ctx, actor, p) => core.mailing.select(actor, p),
  'mailing.validate': (core, _ctx, actor, p) => core.mailing.validate(actor, p.runId),
  'mailing.issueNext': (core, _ctx, actor, p) => core.mailing.issueNext(actor, p.runId),
  'mailing.progress': (core, _ctx, actor, p) => core.mailing.progress(actor, p.runId),
  'mailing.openRuns': (core, _ctx, actor) => ({ runs: core.mailing.openRuns(actor) }),
  'tickets.standing': (core, _ctx, actor, p) => ({ lines: core.lifecycle.standingTickets(actor, p.month) }),
  'tickets.monthlyRun': (core, _ctx, actor, p) => core.mailing.monthlyTickets(actor, p),
  'mailing.selectTickets': (core, _ctx, actor, p) => ({ runs: core.mailing.selectTickets(actor, p) }),
  'seikatsu.opinionForm': (core, _ctx, actor, p) => core.lifecycle.opinionFormView(actor, p.residentId),
  'seikatsu.printOpinionForm': (core, ctx, actor, p) => core.lifecycle.printOpinionForm(actor, p, ctx.senderId),
  'certificates.prepare': (core, _ctx, actor, p) => core.lifecycle.prepare(actor, p.type, p.residentId),
  'certificates.issue': (core, _ctx, actor, p) => core.lifecycle.issue(actor, p),
  'certificates.correct': (core, _ctx, actor, p) => core.lifecycle.correct(actor, p),
  'certificates.recall': (core, _ctx, actor, p) => core.lifecycle.recall(actor, p),
  'certificates.cancel': (core, _ctx, actor, p) => core.lifecycle.cancel(actor, p),
  'certificates.recallList': (core, _ctx, actor) => ({ certificates: core.lifecycle.recallList(actor) }),
  'certificates.lifecycle': (core, _ctx, actor, p) => core.lifecycle.lifecycle(actor, p.residentId),
  'certificates.dvRelease': (core, _ctx, actor, p) => core.lifecycle.releaseDv(actor, p),
  'certificates.recallNotice': (core, _ctx, actor, p) => core.lifecycle.recallNoticeView(actor, p.certificateId),
  'certificates.printRecallNotice': (core, ctx, actor, p) => core.lifecycle.printRecallNotice(actor, p, ctx.senderId),
  'certificates.printFields': (core, _ctx, actor, p) => core.lifecycle.printView(actor, p.certificateId),
};
