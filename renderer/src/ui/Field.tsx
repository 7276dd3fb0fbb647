import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled form field with its Japanese error shown next to it. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
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

function Banner({ message, kind }: { message: string | null; kind: 'error' | 'info' }) {
  if (!message) return null;
  return (
    <div className={`banner banner--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {message}
    </div>
  );
}

/** The core's (or the form's) error for the whole form (role=alert); nothing when there is none. */
export function ErrorBanner({ message }: { message: string | null }) {
  return <Banner message={message} kind="error" />;
}

/** A confirmation or the step in progress (role=status); nothing when there is none. */
export function StatusBanner({ message }: { message: string | null }) {
  return <Banner message={message} kind="info" />;
}
