import { useState, type FormEvent } from 'react';
import { ROLE_CEILINGS, rightLabel, type Right } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { formatWareki, isoDateOrText } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useAction } from '../../lib/useAction';
import { SubmitButton } from '../../ui/SubmitButton';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { DateField } from '../../ui/DateInput';
import { groupByJimu } from './format';
import { ApproverField } from './ApproverField';

interface GrantFormProps {
  person: StaffSummary;
  /** Valid 承認者（所属長）, offered as suggestions for 承認した所属長. */
  approvers: readonly StaffSummary[];
  onDone(message: string): void;
}

const FIELDS = ['right', 'approvedBy', 'reason', 'expiresAt'] as const;

/**
 * 権限の付与: only rights within the person's role ceiling. The grant waits for the named 所属長, who approves it
 * with their own authenticator (承認待ち); until then it gives no right.
 */
export function GrantForm({ person, approvers, onDone }: GrantFormProps) {
  const [right, setRight] = useState<Right | ''>('');
  const [approvedBy, setApprovedBy] = useState('');
  const [reason, setReason] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const act = useAction();
  const held = new Set(person.grants.map((g) => g.right));
  const groups = groupByJimu(ROLE_CEILINGS[person.role], (r) => r);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    // Every missing field at once (the summary lists them all); nothing is sent while one is missing.
    const missing: Record<string, string> = {};
    if (!right) missing.right = '付与する権限を選択してください';
    if (!approvedBy.trim()) missing.approvedBy = '承認する所属長の職員IDを入力してください';
    if (!reason.trim()) missing.reason = '付与の理由を入力してください';
    if (!act.check(missing) || !right) return;
    const r = await act.run(() => call('admin.grants.grant', { staffId: person.staffId, right, approvedBy: approvedBy.trim(), reason, expiresAt: expiresAt.trim() ? isoDateOrText(expiresAt) : null }));
    if (!r) return;
    setRight('');
    setApprovedBy('');
    setReason('');
    setExpiresAt('');
    onDone(
      `${person.name}さんへの「${rightLabel(right)}」の付与（${expiresAt.trim() ? `${formatWareki(isoDateOrText(expiresAt))}まで` : '無期限'}）を申請しました。所属長（${approvedBy.trim()}）が認証器で承認すると有効になります。`,
    );
  }

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label="権限の付与">
      <ErrorSummary errors={act.fieldErrors} />
      <ErrorBanner message={act.bannerFor(FIELDS)} />
      <Field label="権限" error={act.fieldErrors.right} required>
        {(p) => (
          <select {...p} name="right" value={right} onChange={(e) => setRight(e.target.value as Right | '')} autoFocus>
            <option value="">選択してください</option>
            {groups.map((g) => (
              <optgroup key={g.key} label={g.label}>
                {g.items.map((r) => (
                  <option key={r} value={r} disabled={held.has(r)}>
                    {rightLabel(r)}
                    {held.has(r) ? '（付与済み）' : ''}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <ApproverField
        person={person}
        approvers={approvers}
        value={approvedBy}
        onChange={setApprovedBy}
        error={act.fieldErrors.approvedBy}
        required
        hint="付与はこの所属長が自分の認証器で承認するまで有効になりません。"
      />
      <Field label="理由" error={act.fieldErrors.reason} required>
        {(p) => <input {...p} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} placeholder="例: 4月1日付 こども青少年課配属" />}
      </Field>
      <DateField label="期限（臨時付与は期限を入力）" error={act.fieldErrors.expiresAt} hint="空欄は無期限" name="expiresAt" value={expiresAt} onChange={setExpiresAt} placeholder="例: R8.11.30" />
      <SubmitButton busy={act.busy} busyLabel="付与中…">
        付与する
      </SubmitButton>
    </form>
  );
}
