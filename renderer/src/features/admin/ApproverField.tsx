import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { Field } from '../../ui/Field';

interface ApproverFieldProps {
  /** The person whose rights widen: never offered as their own approver. */
  person: StaffSummary;
  approvers: readonly StaffSummary[];
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  /** What waits for the 所属長 (shown under the field). */
  hint: string;
  readOnly?: boolean;
  /** 「必須」 (every form that names an approver needs one). */
  required?: boolean;
}

/** 承認する所属長（職員ID）: typed or picked from the valid 承認者; the change waits for that 所属長's approval. */
export function ApproverField({ person, approvers, value, onChange, error, hint, readOnly, required }: ApproverFieldProps) {
  const others = approvers.filter((a) => a.staffId !== person.staffId);
  const chosen = others.find((a) => a.staffId === value.trim());
  const listId = `approvers-${person.staffId}-${hint.length}`;
  return (
    <>
      <Field label="承認する所属長（職員ID）" error={error} required={required} hint={`${chosen ? `${chosen.name}（${chosen.section}）。` : ''}${hint}`}>
        {(p) => <input {...p} name="approvedBy" value={value} onChange={(e) => onChange(e.target.value)} list={listId} autoComplete="off" readOnly={readOnly} />}
      </Field>
      <datalist id={listId}>
        {others.map((a) => (
          <option key={a.staffId} value={a.staffId}>
            {a.name}（{a.section}）
          </option>
        ))}
      </datalist>
    </>
  );
}
