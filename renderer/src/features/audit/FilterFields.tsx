import { Field } from '../../ui/Field';
import { DateField } from '../../ui/DateInput';
import { ACTION_GROUPS, OTHER_ACTION, UNGROUPED_ACTIONS, OUTCOME_LABELS, type FilterDraft, type Outcome } from './format';

interface FilterFieldsProps {
  value: FilterDraft;
  onChange(next: FilterDraft): void;
  /** Field errors keyed by the draft's field names (from the contract's 'filter.*'). */
  errors: Record<string, string>;
}

/** The audit filter's fields (review screen and export request): 期間, 職員ID, 宛名番号, 操作, 結果, 端末, 処理事由. */
export function FilterFields({ value, onChange, errors }: FilterFieldsProps) {
  const set = <K extends keyof FilterDraft>(k: K, v: FilterDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="form-row audit-filter">
      <DateField label="期間（開始日）" name="from" error={errors.from} value={value.from} onChange={(v) => set('from', v)} />
      <DateField label="期間（終了日）" name="to" error={errors.to} value={value.to} onChange={(v) => set('to', v)} />
      <Field label="職員ID" error={errors.staffId}>
        {(p) => <input {...p} name="staffId" value={value.staffId} onChange={(e) => set('staffId', e.target.value)} maxLength={32} autoComplete="off" />}
      </Field>
      <Field label="宛名番号" error={errors.atenaNo}>
        {(p) => <input {...p} name="atenaNo" value={value.atenaNo} onChange={(e) => set('atenaNo', e.target.value)} inputMode="numeric" maxLength={15} autoComplete="off" />}
      </Field>
      <Field label="操作" error={value.action === OTHER_ACTION ? undefined : errors.action}>
        {(p) => (
          <select {...p} name="action" value={value.action} onChange={(e) => set('action', e.target.value)}>
            <option value="">すべての操作</option>
            {ACTION_GROUPS.map((g) => (
              <optgroup key={g.prefix} label={g.label}>
                <option value={g.prefix}>{`${g.label}（すべて）`}</option>
                {g.actions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
            <optgroup label="その他">
              {UNGROUPED_ACTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
              <option value={OTHER_ACTION}>その他（直接入力）</option>
            </optgroup>
          </select>
        )}
      </Field>
      {value.action === OTHER_ACTION && (
        <Field label="操作（直接入力）" error={errors.action} hint="一覧にない操作（以前の版で記録されたものなど）を、記録された操作の名前（英字）で探します。">
          {(p) => <input {...p} name="actionText" value={value.actionText} onChange={(e) => set('actionText', e.target.value)} maxLength={64} autoComplete="off" />}
        </Field>
      )}
      <Field label="結果" error={errors.outcome}>
        {(p) => (
          <select {...p} name="outcome" value={value.outcome} onChange={(e) => set('outcome', e.target.value as '' | Outcome)}>
            <option value="">すべて</option>
            {(Object.keys(OUTCOME_LABELS) as Outcome[]).map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="端末" error={errors.terminalId}>
        {(p) => <input {...p} name="terminalId" value={value.terminalId} onChange={(e) => set('terminalId', e.target.value)} maxLength={64} autoComplete="off" />}
      </Field>
      <Field label="処理事由（部分一致）" error={errors.reason}>
        {(p) => <input {...p} name="reason" value={value.reason} onChange={(e) => set('reason', e.target.value)} maxLength={40} autoComplete="off" />}
      </Field>
    </div>
  );
}
