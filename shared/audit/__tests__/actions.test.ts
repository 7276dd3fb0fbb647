import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ACTION_GROUPS, AUDIT_OUTCOME_LABELS, auditActionLabel, isAuditAction } from '../actions';

describe('the audit vocabulary', () => {
  const actions = Object.keys(AUDIT_ACTIONS);

  it('names every action in Japanese, each name once (a supervisor can tell them apart)', () => {
    const labels = Object.values(AUDIT_ACTIONS);
    expect(labels.every((l) => l.trim().length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('uses dotted lower-camel codes, and every group prefix selects at least one action', () => {
    for (const a of actions) expect(a).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
    for (const prefix of Object.keys(AUDIT_ACTION_GROUPS)) expect(actions.some((a) => a.startsWith(prefix))).toBe(true);
  });

  it('labels stored actions it knows and keeps the code of ones it does not (entries of older versions)', () => {
    expect(auditActionLabel('residents.revealMyNumber')).toBe('個人番号の表示');
    expect(auditActionLabel('resident.view')).toBe('resident.view');
    expect(auditActionLabel('certificates.issueKodomo')).toBe('こども医療証の交付（旧）');
    expect(isAuditAction('toString')).toBe(false);
    expect(AUDIT_OUTCOME_LABELS).toEqual({ success: '成功', failure: '失敗', rejected: '拒否' });
  });
});
