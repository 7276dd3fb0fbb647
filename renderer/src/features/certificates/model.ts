import { CERT_TYPE_DEFS, CERT_TYPES, isTicketType, type CertType } from '../../../../shared/domain/certificate-types';
import { jimuRight, type JimuFunction, type Right } from '../../../../shared/domain/rights';
import type { CertificateView } from '../../../../shared/ipc/certificates-contract';

/** Labels and rights checks shared by the certificate screens (issue 7). */
export const ISSUE_KIND_LABELS: Record<CertificateView['issueKind'], string> = { new: '新規交付', renew: '更新', reissue: '再交付', correct: '訂正' };
export const STATUS_LABELS: Record<CertificateView['status'], string> = { valid: '有効', superseded: '失効', cancelled: '取消' };
export const RECALL_STATUS_LABELS: Record<CertificateView['recallStatus'], string> = { none: '—', pending: '回収待ち', recalled: '回収済', not_returned: '未回収' };
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  issue: '新規交付',
  renew: '更新',
  reissue: '再交付',
  correct: '訂正',
  supersede: '失効',
  cancel: '取消',
  recall: '回収',
  print: '印刷',
  dv_release: '住所印字の解除（支援措置）',
};

type Rights = readonly Right[] | undefined;
const has = (rights: Rights, type: CertType, fn: JimuFunction) => (rights ?? []).includes(jimuRight(CERT_TYPE_DEFS[type].jimu, fn));

/**
 * The types this member of staff may issue at the person's certificate section (one 事務's certificate.issue each),
 * in the order of CERT_TYPES. The 生活保護の給付券 are not among them: they are issued from the 扶助 (its flow gives
 * the period), one per month and 指定機関, and the monthly run issues the standing ones.
 */
export function issuableTypes(rights: Rights): CertType[] {
  return CERT_TYPES.filter((t) => !isTicketType(t) && has(rights, t, 'certificate.issue'));
}
export const canIssue = (rights: Rights, type: CertType) => has(rights, type, 'certificate.issue');
export const canPrint = (rights: Rights, type: CertType) => has(rights, type, 'certificate.print');
/** A 所属長 of the type's 事務 (claim.approve) may release printing the address of a DV等支援措置 person. */
export const canReleaseDv = (rights: Rights, type: CertType) => has(rights, type, 'claim.approve');

/** Types renewed in a batch mailing: those with a 有効期限 (not こども医療証, which has its own renewal). */
export function mailableTypes(rights: Rights): CertType[] {
  return issuableTypes(rights).filter((t) => t !== 'kodomo' && CERT_TYPE_DEFS[t].validity.kind !== 'open');
}
