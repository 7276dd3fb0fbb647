import { useId, useState, type InputHTMLAttributes } from 'react';
import { parseDateInput, parseMonthInput } from '../../../shared/domain/wareki';
import { Field } from './Field';

/** A day (YYYY-MM-DD) or a 年月 (YYYY-MM). */
export type DateKind = 'date' | 'month';

export type DateReading = { ok: true; iso: string; wareki: string } | { ok: false; message: string } | null;

/** What the typed text means: the ISO value with its 和暦, the reason it cannot be read, or null when empty. */
export function readDate(kind: DateKind, text: string): DateReading {
  if (text.trim() === '') return null;
  if (kind === 'date') return parseDateInput(text);
  const r = parseMonthInput(text);
  return r.ok ? { ok: true, iso: r.ym, wareki: r.wareki } : r;
}

type ControlProps = { id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string | undefined; 'aria-required'?: true };

interface DateInputProps extends ControlProps {
  kind?: DateKind;
  /** The text as typed (what the form keeps, so nothing typed is lost). */
  value: string;
  /** The text, and the ISO value it reads as (null when empty or unreadable). */
  onChange(text: string, iso: string | null): void;
  /** Shown when nothing is typed. */
  placeholder?: string;
  name?: string;
  autoFocus?: boolean;
  className?: string;
  /** In a grid cell: the echo is the 和暦 alone, under the cell. */
  compact?: boolean;
  /** The reason the text cannot be read is already shown (as the field's error): no second copy in the echo. */
  hideRefusal?: boolean;
  /** Extra attributes for the input (data-row / data-col of a grid). */
  inputProps?: InputHTMLAttributes<HTMLInputElement> & Record<`data-${string}`, string | number>;
}

/**
 * A date typed as staff write it — 令和8年12月6日, R8.12.6, H28.5.10, 2026/12/6, 20261206, full-width or not — in
 * an ordinary text box (a native date input follows the OS locale and cannot take 和暦). Beside it, the echo says
 * what was understood, 「令和8年12月6日（2026-12-06）」, or, once the field is left, why it cannot be read; the
 * input is described by the echo (aria-describedby). The form keeps the text and gets the ISO value with it.
 */
export function DateInput({ kind = 'date', value, onChange, placeholder, name, autoFocus, className, compact, hideRefusal, inputProps, ...control }: DateInputProps) {
  const [left, setLeft] = useState(false);
  const ownId = useId();
  const id = control.id ?? ownId;
  const reading = readDate(kind, value);
  const echoId = `${id}-echo`;
  const echo = !reading ? null : reading.ok ? (compact ? reading.wareki : `${reading.wareki}（${reading.iso}）`) : left && !hideRefusal ? reading.message : null;
  const describedBy = [control['aria-describedby'], echo && echoId].filter(Boolean).join(' ') || undefined;
  return (
    <span className={compact ? 'date-input date-input--compact' : 'date-input'}>
      <input
        {...inputProps}
        id={id}
        aria-invalid={control['aria-invalid']}
        aria-describedby={describedBy}
        aria-required={control['aria-required']}
        className={className}
        name={name}
        value={value}
        placeholder={placeholder ?? (kind === 'date' ? '例: R8.12.6' : '例: R8.10')}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        onChange={(e) => {
          const r = readDate(kind, e.target.value);
          onChange(e.target.value, r?.ok ? r.iso : null);
        }}
        onBlur={() => setLeft(true)}
      />
      {echo && (
        <span id={echoId} className={reading?.ok ? 'date-echo' : 'date-echo date-echo--refused'} data-testid="date-echo">
          {echo}
        </span>
      )}
    </span>
  );
}

interface DateFieldProps {
  label: string;
  kind?: DateKind;
  value: string;
  onChange(text: string, iso: string | null): void;
  /** The form's or the core's error for the field. */
  error?: string | undefined;
  hint?: string;
  placeholder?: string;
  name?: string;
  autoFocus?: boolean;
  required?: boolean;
}

/**
 * A labelled DateInput (Field). When the field has an error and the text cannot be read, the error shown is the
 * reason it cannot be read (平成31年5月1日 does not exist), more telling than the contract's general message.
 */
export function DateField({ label, kind = 'date', value, onChange, error, hint, placeholder, name, autoFocus, required }: DateFieldProps) {
  const reading = readDate(kind, value);
  const shown = error && reading && !reading.ok ? reading.message : error;
  return (
    <Field label={label} error={shown} required={required} {...(hint ? { hint } : {})}>
      {(p) => <DateInput {...p} kind={kind} value={value} onChange={onChange} hideRefusal={Boolean(shown)} {...(placeholder ? { placeholder } : {})} {...(name ? { name } : {})} {...(autoFocus ? { autoFocus } : {})} />}
    </Field>
  );
}

/** A labelled 年月 input (DateField of kind 'month'). */
export function MonthField(props: Omit<DateFieldProps, 'kind'>) {
  return <DateField {...props} kind="month" />;
}
