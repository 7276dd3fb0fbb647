import { useEffect, useId, useRef } from 'react';

/**
 * The errors of a form, all of them, at its top (issue 14 §1): each a link to its field (the control the
 * field's error describes). Shown after an attempt to send; it takes focus when it appears or changes
 * (`focusOnShow`), so the keyboard user hears how many there are and can go to each. Errors stay next to their
 * fields too (Field).
 */
export function ErrorSummary({ errors, title, focusOnShow = true }: { errors: Record<string, string> | readonly string[]; title?: string | null; focusOnShow?: boolean }) {
  const messages = [...new Set(Array.isArray(errors) ? errors : Object.values(errors))].filter(Boolean);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const signature = messages.join('\n');
  useEffect(() => {
    if (focusOnShow && signature) ref.current?.focus();
  }, [focusOnShow, signature]);
  if (messages.length === 0) return null;

  function goTo(message: string, index: number) {
    const root = ref.current?.closest('form, section, main') ?? document;
    const shown = Array.from(root.querySelectorAll<HTMLElement>('.field__error')).find((e) => e.textContent === message);
    const control = shown?.id ? root.querySelector<HTMLElement>(`[aria-describedby~="${CSS.escape(shown.id)}"]`) : null;
    (control ?? root.querySelectorAll<HTMLElement>('[aria-invalid="true"]')[index] ?? null)?.focus();
  }

  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId} data-testid="error-summary">
      <h2 id={titleId}>{title ?? `入力内容を確認してください（${messages.length}件）`}</h2>
      <ul>
        {messages.map((m, i) => (
          <li key={m}>
            <a
              href="#"
              onClick={(e) => {
                e.preventDefault();
                goTo(m, i);
              }}
            >
              {m}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
