import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  /** A required field: 「必須」 beside the label (the control gets aria-required; the badge is not read twice). */
  required?: boolean | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; 'aria-required'?: true }) => ReactNode;
}

/** A labelled form field with its Japanese error shown next to it. */
export function Field({ label, error, hint, required, children }: FieldProps) {
  const id = useId();
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      {required ? (
        <span className="field__label">
          <label htmlFor={id}>{label}</label>
          <RequiredBadge />
        </span>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(required ? { 'aria-required': true as const } : {}) })}
      {hint && (
        <div className="field__hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field__error" id={errId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** A banner can take focus (tabIndex=-1, not a Tab stop): a result is focused when it appears (lib/focus). */
/** 「必須」 after a label, outside it (the label stays the field's name; the control says aria-required). */
export function RequiredBadge() {
  return (
    <span className="required-badge" aria-hidden="true">
      必須
    </span>
  );
}

function Banner({ message, kind, id }: { message: string | null; kind: 'error' | 'info'; id?: string | undefined }) {
  if (!message) return null;
  return (
    <div className={`banner banner--${kind}`} role={kind === 'error' ? 'alert' : 'status'} tabIndex={-1} id={id}>
      {message}
    </div>
  );
}

/** The core's (or the form's) error for the whole form (role=alert); nothing when there is none. */
export function ErrorBanner({ message, id }: { message: string | null; id?: string }) {
  return <Banner message={message} kind="error" id={id} />;
}

/** A confirmation or the step in progress (role=status); nothing when there is none. */
export function StatusBanner({ message, id }: { message: string | null; id?: string }) {
  return <Banner message={message} kind="info" id={id} />;
}
