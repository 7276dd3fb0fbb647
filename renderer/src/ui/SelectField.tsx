import { Field } from './Field';

/** A choice shown as its label; a bare string is both. */
export type Choice<V extends string> = V | { value: V; label: string };

interface SelectFieldProps<V extends string> {
  label: string;
  error?: string | undefined;
  hint?: string;
  value: NoInfer<V> | '';
  /** The choices decide V (the value's type). */
  choices: readonly Choice<V>[];
  onChange(value: NoInfer<V> | ''): void;
  /** The first option, standing for nothing chosen (''). */
  placeholder?: string;
  autoFocus?: boolean;
  required?: boolean;
}

/** A labelled select (Field): a first option for nothing chosen, then the choices. */
export function SelectField<V extends string>({ label, error, hint, value, choices, onChange, placeholder = '選択してください', autoFocus, required }: SelectFieldProps<V>) {
  return (
    <Field label={label} error={error} required={required} {...(hint ? { hint } : {})}>
      {(p) => (
        <select {...p} value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value as V | '')}>
          <option value="">{placeholder}</option>
          {choices.map((c) =>
            typeof c === 'string' ? (
              <option key={c}>{c}</option>
            ) : (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ),
          )}
        </select>
      )}
    </Field>
  );
}
