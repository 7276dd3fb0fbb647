const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * The ends of the Tab order (issue 14 §1): Tab past the last control goes to the first, Shift+Tab before the
 * first to the last, so no Tab stop lands on the page body. Rendered at the start and end of the app.
 */
export function FocusWrap({ edge }: { edge: 'start' | 'end' }) {
  return (
    <span
      className="focus-wrap"
      tabIndex={0}
      data-focus-wrap={edge}
      onFocus={(e) => {
        const app = e.currentTarget.parentElement;
        if (!app) return;
        const all = Array.from(app.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.dataset.focusWrap && el.offsetParent !== null && !el.closest('[aria-hidden="true"], [inert]'));
        const from = e.relatedTarget instanceof Node && app.contains(e.relatedTarget);
        // Leaving past an end wraps to the other end; arriving from outside starts at the near end.
        const target = edge === 'end' ? (from ? all[0] : all[all.length - 1]) : from ? all[all.length - 1] : all[0];
        target?.focus();
      }}
    />
  );
}
