import type { ReactNode } from 'react';

/** A form's submit button: disabled while the form is busy, when its label says what is happening (busyLabel). */
export function SubmitButton({ busy, busyLabel, primary = true, children }: { busy: boolean; busyLabel?: string; primary?: boolean; children: ReactNode }) {
  return (
    <button type="submit" className={primary ? 'primary' : undefined} disabled={busy}>
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
