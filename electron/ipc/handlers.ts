import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { toSessionInfo, type Actor } from '../core/auth/auth-service';
import type { HandlerTable } from './types';
import { todayInJapan } from '../../shared/domain/wareki';
import type { ExportRequestRow } from '../core/audit/audit-export';
import type { VaccinationEntryInput } from '../core/claims/vaccination-service';

/** Narrow an actor the router has already checked; services check rights again themselves. */
function must(actor: Actor | null): Actor {
  if (!actor) throw new Error('handler reached without a session');
  return actor;
}

function exportView(r: ExportRequestRow) {
  return {
    id: r.id, requestedBy: r.requested_by, requestedAt: r.requested_at, reason: r.reason, filter: JSON.parse(r.filter_json) as Record<string, unknown>,
    csvEncoding: r.csv_encoding, status: r.status, decidedBy: r.decided_by, decidedAt: r.decided_at, decisionReason: r.decision_reason, destination: r.destination, entries: r.entries,
  };
}

/** Channel → core service. Thin on purpose: the rules live in the services. */
export const handlers: HandlerTable = {
  'auth.status': (core, ctx, actor) => ({
    provisioned: core.settings.provisioned && core.auth.isProvisioned(),
    demo: core.demo,
    terminalId: core.settings.terminalId,
    municipalityName: core.profile.municipalityName,
    session: actor ? toSessionInfo(actor) : null,
  }),
  'auth.login': (core, ctx, _actor, p) => core.auth.login(ctx.senderId, p.staffId, p.password),
  'auth.secondFactor': (core, ctx, _actor, p) => core.auth.secondFactor(ctx.senderId, p.response as unknown as AuthenticationResponseJSON),
  'auth.enrollFactor': (core, ctx, _actor, p) => core.auth.enrollFactor(ctx.senderId, p.response as unknown as RegistrationResponseJSON),
  'auth.changePassword': (core, ctx, _actor, p) => core.auth.changePassword(ctx.senderId, p.current, p.next),
  'auth.logout': (core, ctx) => {
    core.auth.logout(ctx.senderId);
    return { loggedOut: true as const };
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
  'residents.search': (core, _ctx, actor, p) => core.residents.search(must(actor), p),
  'residents.get': (core, _ctx, actor, p) => core.residents.get(must(actor), p.residentId, p.reason),
  'residents.revealMyNumber': (core, _ctx, actor, p) => core.residents.revealMyNumber(must(actor), p.residentId, p.reason),
  'printers.list': async (core, _ctx, actor) => ({ printers: await core.lifecycle.printers(must(actor)) }),
  'certificates.print': (core, ctx, actor, p) => core.lifecycle.print(must(actor), p, ctx.senderId),
  'audit.review': (core, _ctx, actor, p) => core.review.page(must(actor), p.filter, p.beforeSeq, p.limit ?? 100),
  'audit.exports.list': (core, _ctx, actor) => ({ exports: core.exports.list(must(actor)).map(exportView) }),
  'audit.exports.request': (core, _ctx, actor, p) => exportView(core.exports.request(must(actor), { filter: p.filter, reason: p.reason, csvEncoding: p.csvEncoding })),
  'audit.exports.decide': async (core, _ctx, actor, p) => exportView(await core.exports.decide(must(actor), p)),
  'mailing.select': (core, _ctx, actor, p) => core.mailing.select(must(actor), p),
  'mailing.validate': (core, _ctx, actor, p) => core.mailing.validate(must(actor), p.runId),
  'mailing.issueNext': (core, _ctx, actor, p) => core.mailing.issueNext(must(actor), p.runId),
  'mailing.progress': (core, _ctx, actor, p) => core.mailing.progress(must(actor), p.runId),
  'mailing.openRuns': (core, _ctx, actor) => ({ runs: core.mailing.openRuns(must(actor)) }),
  'certificates.prepare': (core, _ctx, actor, p) => core.lifecycle.prepare(must(actor), p.type, p.residentId),
  'certificates.issue': (core, _ctx, actor, p) => core.lifecycle.issue(must(actor), p),
  'certificates.correct': (core, _ctx, actor, p) => core.lifecycle.correct(must(actor), p),
  'certificates.recall': (core, _ctx, actor, p) => core.lifecycle.recall(must(actor), p),
  'certificates.cancel': (core, _ctx, actor, p) => core.lifecycle.cancel(must(actor), p),
  'certificates.recallList': (core, _ctx, actor) => ({ certificates: core.lifecycle.recallList(must(actor)) }),
  'certificates.lifecycle': (core, _ctx, actor, p) => core.lifecycle.lifecycle(must(actor), p.residentId),
  'certificates.dvRelease': (core, _ctx, actor, p) => core.lifecycle.releaseDv(must(actor), p),
  'certificates.recallNotice': (core, _ctx, actor, p) => core.lifecycle.recallNoticeView(must(actor), p.certificateId),
  'certificates.printRecallNotice': (core, ctx, actor, p) => core.lifecycle.printRecallNotice(must(actor), p, ctx.senderId),
  'certificates.printFields': (core, _ctx, actor, p) => core.lifecycle.printView(must(actor), p.certificateId),
  'audit.verify': (core, _ctx, actor) => {
    const r = core.audit.verify();
    core.audit.append({ staffId: must(actor).staffId, action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', detail: { entries: r.entries } });
    return { ok: r.ok, entries: r.entries, message: r.message };
  },
  'sync.status': (core) => ({ configured: core.sync.configured, ...core.sync.status() }),
  'sync.rejections': (core) => ({ rejections: core.sync.engine.rejections() }),
  'sync.conflicts': async (core, _ctx, actor) => {
    const list = await core.sync.conflicts();
    core.audit.append({ staffId: must(actor).staffId, action: 'sync.conflicts.view', outcome: list ? 'success' : 'failure', detail: { count: list?.length ?? 0 } });
    const show = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    // Only the fields that differ, and never secrets, are shown.
    const hidden = new Set(['password_hash', 'my_number', 'public_key']);
    return {
      available: list !== null,
      conflicts: (list ?? []).map((c) => ({
        conflictId: c.conflictId,
        terminalId: c.terminalId,
        entity: c.entity,
        entityId: c.entityId,
        createdAt: c.createdAt,
        changedFields: Object.keys(c.clientPayload)
          .filter((k) => !hidden.has(k) && !['version', 'updated_at', 'updated_by', 'id'].includes(k) && show(c.clientPayload[k]) !== show(c.serverPayload?.[k]))
          .map((k) => ({ field: k, terminal: show(c.clientPayload[k]), server: show(c.serverPayload?.[k]) })),
      })),
    };
  },
  'sync.resolveConflict': async (core, _ctx, actor, p) => {
    const staffId = must(actor).staffId;
    const base = { staffId, action: 'sync.conflict.resolve' as const, reason: p.reason };
    try {
      const r = await core.sync.resolveConflict(p.conflictId, p.resolution, staffId, p.reason);
      core.audit.append({ ...base, outcome: 'success', detail: { conflictId: r.conflictId, resolution: r.resolution, entity: r.entity, entityId: r.entityId, version: r.version } });
      return { conflictId: r.conflictId, resolution: r.resolution, version: r.version, resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy };
    } catch (e) {
      core.audit.append({ ...base, outcome: 'failure', detail: { conflictId: p.conflictId, resolution: p.resolution, why: (e as { code?: string }).code ?? 'error' } });
      throw e;
    }
  },
  'claims.context': (core, _ctx, actor) => core.claims.context(must(actor)),
  'claims.receive': (core, _ctx, actor, p) => core.claims.receive(must(actor), p),
  'claims.get': (core, _ctx, actor, p) => core.claims.get(must(actor), p.claimId, p.reveal ?? false),
  'claims.check': (core, _ctx, actor, p) => core.claims.check(must(actor), { ...p, figures: p.figures ?? {}, confirmedAll: p.confirmedAll ?? false }),
  'claims.correct': (core, _ctx, actor, p) => core.claims.correct(must(actor), p),
  'claims.decide': (core, _ctx, actor, p) => core.claims.decide(must(actor), p),
  'claims.queue': (core, _ctx, actor, p) => ({ claims: core.claims.queue(must(actor), p.queue) }),
  'claims.byResident': (core, _ctx, actor, p) => ({ claims: core.claims.byResident(must(actor), p.residentId) }),
  'claims.noticeView': (core, _ctx, actor, p) => core.notices.view(must(actor), p.claimId),
  'claims.printNotice': (core, ctx, actor, p) => core.notices.print(must(actor), p.claimId, p.printerName, ctx.senderId),
  'claims.draft.save': (core, _ctx, actor, p) => core.claims.saveDraft(must(actor), p.key, p.data),
  'claims.draft.load': (core, _ctx, actor, p) => core.claims.loadDraft(must(actor), p.key),
  'claims.draft.discard': (core, _ctx, actor, p) => {
    core.claims.discardDraft(must(actor), p.key);
    return { discarded: true as const };
  },
  'banks.search': async (core, _ctx, _actor, p) => ({ results: await core.claims.searchBanks(p.bankCode, p.query) }),
  'vaccinations.list': (core, _ctx, actor, p) => ({ records: core.vaccinations.list(must(actor), p.residentId) }),
  'vaccinations.add': (core, _ctx, actor, p) => ({ records: core.vaccinations.add(must(actor), p.residentId, p.entry as VaccinationEntryInput) }),
  'vaccinations.correct': (core, _ctx, actor, p) => ({ records: core.vaccinations.correct(must(actor), p.recordId, p.version, p.entry as VaccinationEntryInput, p.reason) }),
  'admin.staff.list': (core, _ctx, actor) => ({ staff: core.staffAdmin.list(must(actor)) }),
  'admin.grants.grant': (core, _ctx, actor, p) => ({ grantId: core.staffAdmin.grant(must(actor), p) }),
  'admin.grants.revoke': (core, _ctx, actor, p) => {
    core.staffAdmin.revokeGrant(must(actor), p.grantId, p.reason);
    return { revoked: true as const };
  },
  'admin.authenticators.begin': async (core, _ctx, actor, p) => ({ options: await core.staffAdmin.beginRegistration(must(actor), p.staffId) }),
  'admin.authenticators.finish': async (core, _ctx, actor, p) => ({
    authenticatorId: await core.staffAdmin.finishRegistration(must(actor), p.staffId, p.label, p.response as unknown as RegistrationResponseJSON),
  }),
  'admin.authenticators.revoke': (core, _ctx, actor, p) => {
    core.staffAdmin.revokeAuthenticator(must(actor), p.authenticatorId, p.reason);
    return { revoked: true as const };
  },
  'admin.staff.setInitialPassword': async (core, _ctx, actor, p) => {
    await core.staffAdmin.setInitialPassword(must(actor), p.staffId, p.password);
    return { set: true as const };
  },
  'admin.roster.preview': (core, _ctx, actor, p) => core.roster.preview(must(actor), p.fileName, Buffer.from(p.contentBase64, 'base64')),
  'admin.roster.apply': (core, _ctx, actor, p) => core.roster.apply(must(actor), p.previewId, p.applyValidPart),
  'admin.rightsReview': (core, _ctx, actor) => core.staffAdmin.rightsReview(must(actor)),
};
