import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApp, type Screen } from './store';

/**
 * Focus and Esc, the same on every screen (issue 14 §1):
 * - a screen change scrolls to the top and focuses the new screen's heading (h1), unless the screen put the
 *   cursor in its first field (autoFocus); going back focuses the control that opened the screen;
 * - a result (the store's notice: 受け付けました, 二重チェック, 決裁…) is focused in its banner;
 * - focus that falls to the page body (a button disabled while busy, a form that closed after saving) is
 *   brought back: to the result banner that appeared, else to the control if it is still there, else to the
 *   heading of its section;
 * - Esc: the innermost dialog closes first and focus returns to what opened it; a screen goes back.
 * Elements are found again by what they are (tag, text, position among their likes), since the element that
 * opened a screen is gone once that screen unmounts.
 */

/**
 * How to find a control again after React re-rendered it: by its identity attribute when it has one (a row's
 * data-seq, data-atena …: a virtualised list reuses positions, so "the third row like it" can be another record),
 * else by tag, label and position among the controls like it.
 */
type Target = { tag: string; text: string; index: number; key?: string };

/** Attributes that name the record a control stands for, in the order they are tried. */
const IDENTITY_ATTRIBUTES = ['id', 'data-seq', 'data-atena', 'data-claim', 'data-testid'] as const;

/** A result banner: a confirmation (role=status) or an error (role=alert), not a field's own error. */
const RESULT = '.error-summary, .banner[role="status"], .banner[role="alert"], [role="status"], [role="alert"]:not(.field__error)';
const CONTROL = 'button, a[href], input, select, textarea, summary, [tabindex]';

const labelOf = (el: Element) => (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);

function likes(t: Omit<Target, 'index'>): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(t.tag)).filter((el) => labelOf(el) === t.text);
}

function describe(el: Element | null): Target | null {
  if (!(el instanceof HTMLElement) || el === document.body) return null;
  const tag = el.tagName.toLowerCase();
  const text = labelOf(el);
  const attr = IDENTITY_ATTRIBUTES.find((a) => el.hasAttribute(a));
  const key = attr ? `${tag}[${attr}="${CSS.escape(el.getAttribute(attr)!)}"]` : undefined;
  return { tag, text, index: Math.max(0, likes({ tag, text }).indexOf(el)), ...(key ? { key } : {}) };
}

function find(t: Target): HTMLElement | null {
  if (t.key) {
    // The record itself or nothing: a row scrolled out of a virtual list is not replaced by another one.
    const el = document.querySelector<HTMLElement>(t.key);
    return el && usable(el) ? el : null;
  }
  const same = likes(t);
  const el = same[t.index] ?? same[0] ?? null;
  return el && usable(el) ? el : null;
}

function usable(el: HTMLElement): boolean {
  return el.isConnected && !(el as HTMLButtonElement).disabled && !el.closest('[aria-hidden="true"], [inert]');
}

/** How long focus waits for a busy control (disabled while its work runs) before going to the heading. */
const BUSY_WAIT_MS = 30_000;

const bodyHasFocus = () => !document.activeElement || document.activeElement === document.body;

/** Focuses an element that may not be focusable by itself (a heading, a banner): tabIndex=-1, not a Tab stop. */
export function focusElement(el: HTMLElement, scroll = false): void {
  if (!el.matches(CONTROL)) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: !scroll });
}

function heading(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.workspace main h1, main h1, h1');
}

const REGION = 'section, form, main, [role="region"], [role="dialog"]';

/** The regions (section, form, screen) around `el`, innermost first: kept while `el` is on screen. */
function regionsOf(el: Element): Element[] {
  const out: Element[] = [];
  for (let p = el.parentElement; p; p = p.parentElement) if (p.matches(REGION)) out.push(p);
  return out;
}

/** The heading of the innermost region the last focused element was in that is still on screen. */
function headingNear(regions: readonly Element[]): HTMLElement | null {
  for (const r of regions) {
    if (!r.isConnected) continue;
    const h = r.querySelector<HTMLElement>('h1, h2, h3, legend');
    if (h) return h;
  }
  return heading();
}

/** Calls `found` with the first element `look` returns, watching the page for up to `ms`; returns a cancel. */
function whenPresent(look: () => HTMLElement | null, found: (el: HTMLElement) => void, ms: number): () => void {
  const now = look();
  if (now) {
    found(now);
    return () => {};
  }
  const mo = new MutationObserver(() => {
    const el = look();
    if (el) {
      stop();
      found(el);
    }
  });
  const timer = window.setTimeout(() => stop(), ms);
  function stop() {
    mo.disconnect();
    window.clearTimeout(timer);
  }
  mo.observe(document.body, { childList: true, subtree: true, characterData: true });
  return stop;
}

/** The control the user last pressed (clicked, Enter or Space): what opened the next screen or dialog. */
let lastActivated: Target | null = null;
/** The element that last had focus and the regions around it, to bring focus back near it when it falls to the body. */
let lastFocused: Element | null = null;
let lastRegions: Element[] = [];

function noteActivation(e: Event) {
  if (e instanceof KeyboardEvent && e.key !== 'Enter' && e.key !== ' ') return;
  const el = e.target instanceof Element ? (e.target.closest(CONTROL) ?? e.target) : null;
  lastActivated = describe(el);
}

const screenKey = (s: Screen): string => JSON.stringify(s, (k, v: unknown) => (k === 'back' ? undefined : v));

/** Where focus goes after the next render: a screen's heading (or its opener when going back), or the notice. */
type Pending = { kind: 'screen'; opener: Target | null } | { kind: 'notice' };

/**
 * Mounted once by App: scroll and focus on every screen change and every result, the body never keeps focus,
 * and one Esc handler for every screen and dialog.
 */
export function useScreenFocus(): void {
  useEffect(() => {
    const history: { key: string; opener: Target | null }[] = [];
    let pending: Pending | null = null;
    let cancel: () => void = () => {};
    let rescueTimer = 0;
    let appeared: HTMLElement[] = [];

    function apply() {
      const p = pending;
      pending = null;
      cancel();
      if (!p) return;
      window.scrollTo(0, 0);
      if (p.kind === 'notice') {
        cancel = whenPresent(() => document.getElementById('app-notice'), (el) => focusElement(el), 3000);
        return;
      }
      const inScreen = () => {
        const a = document.activeElement;
        return a instanceof HTMLElement && a !== document.body && Boolean(a.closest('.workspace main'));
      };
      const stopHeading = whenPresent(heading, (h) => {
        // A screen that put the cursor in its first field keeps it there.
        if (!inScreen()) focusElement(h);
      }, 3000);
      const opener = p.opener;
      const stopOpener = opener ? whenPresent(() => find(opener), (el) => focusElement(el, true), 3000) : () => {};
      cancel = () => {
        stopHeading();
        stopOpener();
      };
    }

    const unsubscribe = useApp.subscribe((st, prev) => {
      if (st.screen !== prev.screen) {
        const key = screenKey(st.screen);
        const from = screenKey(prev.screen);
        const back = history.findLastIndex((h) => h.key === key);
        let opener: Target | null = null;
        if (key === from) {
          // The same screen again (業務終了 on the search): nothing to go back to.
        } else if (back >= 0) {
          opener = history[back]?.opener ?? null;
          history.length = back;
        } else {
          const again = history.findLastIndex((h) => h.key === from);
          if (again >= 0) history.length = again;
          history.push({ key: from, opener: lastActivated ?? describe(document.activeElement) });
          if (history.length > 30) history.shift();
        }
        pending = { kind: 'screen', opener };
        window.setTimeout(apply, 0);
      }
      if (st.notice && st.notice !== prev.notice && st.session) {
        pending = { kind: 'notice' };
        window.setTimeout(apply, 0);
      }
    });

    /**
     * Staff clicked on the page outside any control (to select text): the body then has focus on purpose and is
     * left alone. Any other way to the body (a busy button disabled, a form closed) is brought back.
     */
    let clickedAside = false;
    const onPointerDown = (e: PointerEvent) => {
      clickedAside = !(e.target instanceof Element && e.target.closest(CONTROL));
    };

    /** When focus first fell to the body while the control that had it was busy (disabled, still on screen). */
    let busySince = 0;

    /**
     * Focus fell to the body: after the page settles, to a result that appeared, the control, or its heading.
     * A control that is only busy (disabled while its work runs: 印刷中…, 保存中…) is waited for, up to
     * BUSY_WAIT_MS: its result or the control itself takes the focus when the work ends, not the heading.
     */
    function rescue() {
      rescueTimer = 0;
      if (clickedAside || !bodyHasFocus() || pending || document.querySelector('.app--hidden')) {
        busySince = 0;
        return;
      }
      const banner = appeared.filter((b) => b.isConnected).pop();
      appeared = [];
      if (banner) {
        busySince = 0;
        return focusElement(banner, true);
      }
      if (lastFocused instanceof HTMLElement && usable(lastFocused)) {
        busySince = 0;
        return focusElement(lastFocused, true);
      }
      const busy = lastFocused instanceof HTMLElement && lastFocused.isConnected && (lastFocused as HTMLButtonElement).disabled;
      const now = performance.now();
      if (busy && (busySince === 0 || now - busySince < BUSY_WAIT_MS)) {
        if (busySince === 0) busySince = now;
        rescueTimer = window.setTimeout(rescue, 250);
        return;
      }
      busySince = 0;
      const h = headingNear(lastRegions);
      if (h) focusElement(h, true);
    }
    const watcher = new MutationObserver((records) => {
      if (!bodyHasFocus()) {
        appeared = [];
        return;
      }
      if (clickedAside) return;
      for (const r of records) {
        for (const n of Array.from(r.addedNodes)) {
          if (!(n instanceof HTMLElement)) continue;
          const b = n.matches(RESULT) ? n : n.querySelector<HTMLElement>(RESULT);
          if (b && !b.closest('.field')) appeared.push(b);
        }
      }
      window.clearTimeout(rescueTimer);
      rescueTimer = window.setTimeout(rescue, 250);
    });
    watcher.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    const onFocusIn = (e: FocusEvent) => {
      if (e.target instanceof Element && e.target !== document.body) {
        clickedAside = false;
        lastFocused = e.target;
        lastRegions = regionsOf(e.target);
      }
    };
    window.addEventListener('click', noteActivation, true);
    window.addEventListener('keydown', noteActivation, true);
    window.addEventListener('keydown', onEscapeKey);
    window.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      unsubscribe();
      watcher.disconnect();
      cancel();
      window.clearTimeout(rescueTimer);
      window.removeEventListener('click', noteActivation, true);
      window.removeEventListener('keydown', noteActivation, true);
      window.removeEventListener('keydown', onEscapeKey);
      window.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, []);
}

type Layer = { kind: 'screen' | 'dialog'; run: { current: () => void }; opener: Target | null; screen: Screen };
const layers: Layer[] = [];

function onEscapeKey(e: KeyboardEvent) {
  if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
  const top = [...layers].reverse().find((l) => l.kind === 'dialog') ?? layers[layers.length - 1];
  if (!top) return;
  e.preventDefault();
  top.run.current();
}

/**
 * Esc, the same everywhere: a screen goes back (`onEscape` navigates; the screen that opened it gets its
 * opener focused again); an open dialog or confirmation step (`kind: 'dialog'`, while `active`) closes first,
 * and focus returns to the control that opened it — on Esc or however it closes, unless the screen changed.
 */
export function useEscape(onEscape: () => void, kind: 'screen' | 'dialog' = 'screen', active = true): void {
  const run = useRef(onEscape);
  useLayoutEffect(() => {
    run.current = onEscape;
  });
  const [layer] = useState(() => ({ kind, run, opener: null as Target | null, screen: useApp.getState().screen }));
  useEffect(() => {
    if (!active) return;
    const l: Layer = { ...layer, opener: kind === 'dialog' ? lastActivated : null, screen: useApp.getState().screen };
    layers.push(l);
    return () => {
      layers.splice(layers.indexOf(l), 1);
      const opener = l.opener;
      if (kind !== 'dialog' || !opener || useApp.getState().screen !== l.screen) return;
      // The dialog closed on the same screen: back to what opened it once it is shown again.
      window.setTimeout(() => whenPresent(() => find(opener), (el) => focusElement(el, true), 2000), 0);
    };
  }, [active, kind, layer]);
}
