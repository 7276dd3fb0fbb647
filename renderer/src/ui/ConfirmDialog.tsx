import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useEscape } from '../lib/focus';

interface Props {
  /** The question, e.g. 「この内容で決裁しますか？」 (the dialog's name). */
  title: string;
  /** What will happen, read back before it is sent. */
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * The one confirmation before an action that cannot be taken back (決裁, 再印刷): an in-page alertdialog over the
 * screen. Focus moves to the confirm button (Enter confirms), Tab stays inside, Esc or やめる cancels, and focus goes
 * back to where it was (the button that asked).
 */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel = 'やめる（Esc）', onConfirm, onCancel }: Props) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);

  // Esc the same as every dialog (lib/focus): it cancels before the screen's own Esc, and focus goes back to the opener.
  useEscape(onCancel, 'dialog');
  useEffect(() => {
    confirm.current?.focus();
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Tab') {
      const focusable = [...(box.current?.querySelectorAll<HTMLElement>('button:not([disabled])') ?? [])];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  }

  return (
    <div className="dialog-backdrop no-print">
      <div ref={box} className="dialog" role="alertdialog" aria-modal="true" aria-labelledby={`${id}-title`} aria-describedby={children ? `${id}-body` : undefined} onKeyDown={onKeyDown}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children && <div id={`${id}-body`}>{children}</div>}
        <div className="actions">
          <button ref={confirm} type="button" className="primary" onClick={onConfirm}>
            {confirmLabel}
          </button>
          <button type="button" onClick={onCancel}>
            {cancelLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
