import { z } from 'zod';
import { CERT_TYPES, RECALL_KINDS } from '../domain/certificate-types';
import { REISSUE_REASONS } from '../domain/resident';
import { everyJimuRight, jimuRight, type JimuFunction } from '../domain/rights';
import { isYearMonth } from '../domain/claims/common';
import { needs, needsAny } from './access';
import { id, jsonInput, nothing, reasonText as reasonOf, sha256Hex } from './fields';
import { text } from '../text';
import { isValidIsoDate } from '../domain/wareki';
import { KOGAKU_KUBUN } from '../domain/claims/rule-tables';

/** Certificates of every type and their lifecycle (issue 7). Details are validated per type in the core. */
const certType = z.enum(CERT_TYPES, '証の種類を選択してください');
const reasonText = reasonOf(200);
const printerName = text({ label: 'プリンタ', min: 1, max: 256, requiredMessage: 'プリンタを選択してください' });
const anyOf = (...fns: JimuFunction[]) => needsAny(everyJimuRight(...fns));

export const certificateView = z.object({
  id,
  version: z.number().int(),
  type: certType,
  typeName: z.string(),
  residentId: id,
  certificateNo: z.string(),
  issueKind: z.enum(['new', 'renew', 'reissue', 'correct']),
  reissueReason: z.string().nullable(),
  issueDate: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  status: z.enum(['valid', 'superseded', 'cancelled']),
  endReason: z.string().nullable(),
  recallStatus: z.enum(['none', 'pending', 'recalled', 'not_returned']),
  recallDate: z.string().nullable(),
  recallKind: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  nameChoice: z.enum(['real', 'alias']),
  printSex: z.boolean(),
  issuedBy: z.string(),
});
export type CertificateView = z.infer<typeof certificateView>;

const printedField = z.object({ key: z.string(), label: z.string(), value: z.string() });

const mailingProgress = z.object({
  runId: z.string(),
  title: z.string(),
  certType: certType,
  state: z.enum(['selected', 'validated', 'printing', 'done']),
  total: z.number().int(),
  pending: z.number().int(),
  changed: z.number().int(),
  held: z.number().int(),
  printed: z.number().int(),
  items: z.array(z.object({ seq: z.number().int(), residentId: z.string(), certificateId: z.string().nullable(), status: z.enum(['pending', 'changed', 'held', 'printed']), message: z.string().nullable() })),
});
export type MailingProgressView = z.infer<typeof mailingProgress>;
const runId = z.object({ runId: z.string().uuid() }).strict();
const month = z.string({ error: '対象年月を入力してください' }).refine(isYearMonth, '対象年月は年月（例: 2026-04）で入力してください');
const standingLine = z.object({
  key: z.string(), residentId: id, residentName: z.string(), atenaNo: z.string(), type: certType, institutionCode: z.string(), institutionName: z.string(), shinryo: z.string(),
  lastMonth: z.string(), lastCertificateNo: z.string(), validFrom: z.string(), validTo: z.string(),
});

export const certificatesChannels = {
  /** Printers this terminal may print to (certificates, 回収通知, 決定通知書). */
  'printers.list': {
    access: anyOf('certificate.print'),
    request: nothing,
    response: z.object({ printers: z.array(z.string()) }),
  },
  /** Prints any certificate type after the print-safety comparison with the preview (fingerprint). */
  'certificates.print': {
    access: anyOf('certificate.print'),
    request: z.object({ certificateId: id, printerName, fingerprint: sha256Hex }).strict(),
    response: z.object({ printedAt: z.string() }),
  },
  /** Batch mailing: select → validate (changed records listed, DV held) → issue in steps, resumable. */
  'mailing.select': {
    access: anyOf('certificate.issue'),
    request: z.object({ title: text({ label: '件名', min: 1, max: 60 }), certType, validToOnOrBefore: z.string().refine(isValidIsoDate, '日付を正しく入力してください') }).strict(),
    response: mailingProgress,
  },
  'mailing.validate': { access: anyOf('certificate.issue'), request: runId, response: mailingProgress },
  'mailing.issueNext': { access: anyOf('certificate.issue'), request: runId, response: mailingProgress },
  'mailing.progress': { access: anyOf('certificate.issue'), request: runId, response: mailingProgress },
  'mailing.openRuns': { access: anyOf('certificate.issue'), request: z.object({}).strict(), response: z.object({ runs: z.array(mailingProgress) }) },
  /** 生活保護の給付券, the monthly run: the standing lines of a month (recipient, 指定機関, 診療別 still under an open 扶助). */
  'tickets.standing': {
    access: needs(jimuRight('seikatsu', 'certificate.issue')),
    request: z.object({ month }).strict(),
    response: z.object({ lines: z.array(standingLine) }),
  },
  /** Issues the chosen standing lines in one transaction and lists them per 指定機関 for mailing. */
  'tickets.monthlyRun': {
    access: needs(jimuRight('seikatsu', 'certificate.issue')),
    request: z.object({ month, keys: z.array(text({ label: '券', min: 1, max: 200 })).min(1, '交付する券を選んでください').max(5000) }).strict(),
    response: z.object({ issued: z.array(certificateView), runs: z.array(mailingProgress) }),
  },
  /** The 給付券 of a month not yet on a mailing list, listed per 指定機関. */
  'mailing.selectTickets': {
    access: needs(jimuRight('seikatsu', 'certificate.issue')),
    request: z.object({ month }).strict(),
    response: z.object({ runs: z.array(mailingProgress) }),
  },
  /** The blank 医療要否意見書 (recipient and 指定医療機関 of the 扶助's 発行 step), then its print. */
  'seikatsu.opinionForm': {
    access: needs(jimuRight('seikatsu', 'certificate.print')),
    request: z.object({ residentId: id }).strict(),
    response: z.object({ residentId: id, fields: z.array(printedField), fingerprint: z.string(), municipalityName: z.string(), size: z.literal('a4') }),
  },
  'seikatsu.printOpinionForm': {
    access: needs(jimuRight('seikatsu', 'certificate.print')),
    request: z.object({ residentId: id, printerName, fingerprint: sha256Hex }).strict(),
    response: z.object({ printedAt: z.string() }),
  },
  'certificates.prepare': {
    access: anyOf('certificate.issue'),
    request: z.object({ type: certType, residentId: id }).strict(),
    response: z.object({
      type: certType,
      typeName: z.string(),
      current: certificateView.nullable(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      /** こども医療証: the end of eligibility (18歳年度末) and the profile's 公費負担者番号. */
      eligibilityEndsOn: z.string().nullable(),
      publicPayerNo: z.string().nullable(),
      suggestedIssueKind: z.enum(['new', 'renew', 'reissue']),
      residentVersion: z.number().int(),
      aliasName: z.string().nullable(),
      sexChoice: z.boolean(),
      /** 国保: the 限度区分 (ア〜オ) the 所得区分 of the person's 資格 gives today; null when none. The form starts from it. */
      limitKubun: z.enum(KOGAKU_KUBUN).nullable(),
      /** For a type naming a 保護者 (こども医療証): the person's guardians, to choose from. */
      guardians: z.array(z.object({ id, nameKanji: z.string(), relationship: z.string() })),
      /** For 接種記録の証明: the valid vaccination records it would certify. */
      vaccinationRecords: z.array(z.object({ vaccineName: z.string(), doseLabel: z.string(), administeredOn: z.string(), lotNumber: z.string().nullable(), institution: z.string() })),
      /** For 減免券: this person's 減免 claims decided 交付 (受付番号 and vaccine). */
      grantedExemptions: z.array(z.object({ claimNo: z.string(), vaccine: z.string() })),
    }),
  },
  'certificates.issue': {
    access: anyOf('certificate.issue'),
    request: z
      .object({
        type: certType,
        residentId: id,
        issueKind: z.enum(['new', 'renew', 'reissue'], '交付区分を選択してください'),
        reissueReason: z.enum(REISSUE_REASONS, '再交付の事由を選択してください').nullable(),
        /** Per type (shared/domain/certificate-types.ts); a こども医療証 names its 保護者 (guardianId). */
        details: jsonInput,
        nameChoice: z.enum(['real', 'alias']),
        printSex: z.boolean(),
        residentVersion: z.number().int(),
      })
      .strict()
      .refine((r) => r.issueKind !== 'reissue' || r.reissueReason !== null, { message: '再交付の事由を選択してください', path: ['reissueReason'] })
      .refine((r) => r.issueKind === 'reissue' || r.reissueReason === null, { message: '再交付の事由は再交付のときだけ指定できます', path: ['reissueReason'] }),
    response: certificateView,
  },
  'certificates.correct': {
    access: anyOf('certificate.issue'),
    request: z.object({ certificateId: id, version: z.number().int(), details: jsonInput, nameChoice: z.enum(['real', 'alias']), printSex: z.boolean(), reason: reasonText }).strict(),
    response: certificateView,
  },
  'certificates.recall': {
    access: anyOf('certificate.issue'),
    request: z.object({ certificateId: id, version: z.number().int(), date: z.string().refine(isValidIsoDate, '回収日を正しく入力してください'), kind: z.enum(RECALL_KINDS, '回収区分を選択してください') }).strict(),
    response: certificateView,
  },
  'certificates.cancel': {
    access: anyOf('certificate.issue'),
    request: z.object({ certificateId: id, version: z.number().int(), reason: reasonText }).strict(),
    response: certificateView,
  },
  'certificates.recallList': {
    access: anyOf('certificate.issue'),
    request: z.object({}).strict(),
    response: z.object({ certificates: z.array(certificateView.extend({ residentName: z.string(), atenaNo: z.string() })) }),
  },
  /** Every certificate of a person (all types) with its events: the history screen. */
  'certificates.lifecycle': {
    access: needs('resident.view'),
    request: z.object({ residentId: id }).strict(),
    response: z.object({
      certificates: z.array(certificateView),
      events: z.array(z.object({ certificateId: id, certificateNo: z.string(), event: z.string(), reason: z.string().nullable(), at: z.string(), by: z.string() })),
    }),
  },
  /** DV等支援措置 / 不開示: a 所属長 releases printing the registered address on this certificate today. */
  'certificates.dvRelease': {
    access: anyOf('claim.approve'),
    request: z.object({ certificateId: id, reason: reasonText }).strict(),
    response: z.object({ releasedAt: z.string() }),
  },
  /** 回収通知: the letter asking the holder to return a certificate on the 回収 list, then its print. */
  'certificates.recallNotice': {
    access: anyOf('certificate.issue'),
    request: z.object({ certificateId: id }).strict(),
    response: z.object({ certificateId: id, fields: z.array(printedField), fingerprint: z.string(), municipalityName: z.string() }),
  },
  'certificates.printRecallNotice': {
    access: anyOf('certificate.issue'),
    request: z.object({ certificateId: id, printerName, fingerprint: sha256Hex }).strict(),
    response: z.object({ printedAt: z.string() }),
  },
  'certificates.printFields': {
    access: anyOf('certificate.print'),
    request: z.object({ certificateId: id }).strict(),
    response: z.object({
      certificateId: id,
      type: certType,
      typeName: z.string(),
      size: z.enum(['card', 'a4']),
      issueKind: z.enum(['new', 'renew', 'reissue', 'correct']),
      fields: z.array(printedField),
      fingerprint: z.string(),
      restricted: z.boolean(),
      released: z.boolean(),
      status: z.enum(['valid', 'superseded', 'cancelled']),
      municipalityName: z.string(),
      /** The profile's 交付者 title and fixed notes for the type (こども医療証), printed at the foot. */
      issuerTitle: z.string().nullable(),
      notes: z.array(z.string()),
      /** How often this certificate was printed before: a further print is a 再印刷 and asks first. */
      timesPrinted: z.number().int(),
    }),
  },
} as const;
