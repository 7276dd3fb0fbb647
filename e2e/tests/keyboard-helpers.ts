import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Counter } from '../../testing/browser';
import { loadCredential } from '../../testing/browser';
import { demoLogin } from '../../testing/seed';

/**
 * Keyboard-only steps (issue 14 §6): everything is done with page.keyboard — Tab / Shift+Tab / Enter / Space /
 * arrows / typing. Locators are used only to find out where the focus is and to assert, never to click or fill.
 */

type Role = Parameters<Page['getByRole']>[0];

/** Whether the focused element is the one with this role and accessible name (exact). */
export async function isFocused(page: Page, role: Role, name: string | RegExp): Promise<boolean> {
  return page.getByRole(role, { name, exact: typeof name === 'string' }).evaluateAll((els) => (els as Element[]).includes(document.activeElement as Element));
}

/** A short description of the focused element, for failure messages. */
export const describeFocus = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '(none)';
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
    return `${el.tagName.toLowerCase()} "${label.trim().slice(0, 40)}"`;
  });

/**
 * Presses Tab (Shift+Tab with `back`) until the element with this role and accessible name has the focus; fails with
 * the path the focus took when it is not reached within `max` presses (a control the keyboard cannot reach).
 */
export async function tabTo(page: Page, role: Role, name: string | RegExp, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < (opts.max ?? 80); i++) {
    if (await isFocused(page, role, name)) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    path.push(await describeFocus(page));
  }
  if (await isFocused(page, role, name)) return;
  throw new Error(`Tab でたどり着けません: ${role} "${String(name)}"\n通った順: ${path.join(' → ')}`);
}

/** Waits until the element with this role and name has the focus (a screen that moves the focus itself). */
export async function expectFocus(page: Page, role: Role, name: string | RegExp): Promise<void> {
  await expect.poll(() => isFocused(page, role, name), { timeout: 5000 }).toBe(true);
}

/** The value of the focused form control. */
export const focusedValue = (page: Page): Promise<string | null> => page.evaluate(() => (document.activeElement as HTMLInputElement | HTMLSelectElement | null)?.value ?? null);

/** Chooses an option of the focused (closed) select with ↓/↑ until its value or its option's text is `want`. */
export async function chooseWithArrows(page: Page, want: string): Promise<void> {
  const current = () =>
    page.evaluate(() => {
      const s = document.activeElement as HTMLSelectElement;
      return { value: s.value, text: s.selectedOptions[0]?.textContent?.trim() ?? '', index: s.selectedIndex, count: s.options.length };
    });
  let c = await current();
  if (c.value === want || c.text === want) return;
  for (let i = 0; i < c.index; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < c.count; i++) {
    c = await current();
    if (c.value === want || c.text === want) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`選択肢がありません: ${want}`);
}

/**
 * An access key (accessKey, Alt+key on Windows and Linux) as the keyboard sends it there: Alt down, the key down, the
 * key's character as a system key (what Chromium reads access keys from), both up. Playwright's keyboard.press
 * ('Alt+h') does not mark the character as a system key, so Chromium never sees an access key from it.
 */
export async function pressAccessKey(page: Page, key: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const code = `Key${key.toUpperCase()}`;
  const vk = key.toUpperCase().charCodeAt(0);
  const ALT = 1;
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', modifiers: ALT, key: 'Alt', code: 'AltLeft', windowsVirtualKeyCode: 18 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', modifiers: ALT, key, code, windowsVirtualKeyCode: vk, isSystemKey: true });
  await cdp.send('Input.dispatchKeyEvent', { type: 'char', modifiers: ALT, key, code, text: key, unmodifiedText: key, windowsVirtualKeyCode: vk, isSystemKey: true });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: ALT, key, code, windowsVirtualKeyCode: vk, isSystemKey: true });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: 0, key: 'Alt', code: 'AltLeft', windowsVirtualKeyCode: 18 });
  await cdp.detach();
}

/** Types into the focused field (after selecting what it holds, so it is replaced). */
export async function typeInto(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** Tab to the field labelled `name` and type `text` into it. */
export async function typeIn(page: Page, role: Role, name: string | RegExp, text: string): Promise<void> {
  await tabTo(page, role, name);
  await typeInto(page, text);
}

/**
 * A window at the login screen whose virtual authenticator holds the staff member's credential; the login itself is
 * typed: staff ID (the field has the focus), Tab, password, Enter. Waits for the landing heading.
 */
export async function keyboardLogin(counter: Counter, staffId: string, landing = '住民検索'): Promise<Page> {
  const login = demoLogin(staffId);
  const page = await counter.open(null, { viewport: { width: 1366, height: 768 } });
  await loadCredential(page, counter.seeded.edges.credentials[staffId]!);
  await expectFocus(page, 'textbox', '職員ID');
  await page.keyboard.type(login.staffId);
  await page.keyboard.press('Tab');
  await expectFocus(page, 'textbox', 'パスワード');
  await page.keyboard.type(login.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: landing, level: 1 }).waitFor();
  return page;
}

/**
 * From the search screen: searches by 宛名番号, opens the resident from the result list (the first row takes the
 * focus; ↓ to the row, Enter), then chooses the 処理事由 on the screen that asks for it (no preset: the digit of the
 * reason, as the screen says, then Enter opens).
 */
export async function keyboardOpenResident(page: Page, atenaNo: string, heading: RegExp, reason = '窓口申請'): Promise<void> {
  await typeIn(page, 'textbox', '宛名番号', atenaNo);
  await page.keyboard.press('Enter');
  const row = page.locator(`tr[data-atena="${atenaNo}"]`);
  await row.waitFor();
  const focusedAtena = () => page.evaluate(() => document.activeElement?.getAttribute('data-atena') ?? null);
  await expect.poll(focusedAtena).not.toBeNull();
  for (let i = 0; i < 20 && (await focusedAtena()) !== atenaNo; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedAtena()).toBe(atenaNo);
  await page.keyboard.press('Enter');
  await keyboardChooseReason(page, reason);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** On the 処理事由 screen: the reason's digit (1–5, in the order shown) chooses it, Enter opens. */
export async function keyboardChooseReason(page: Page, reason: string): Promise<void> {
  const form = page.getByRole('form', { name: '処理事由の選択' });
  await form.waitFor();
  const names = await form.getByRole('radio').evaluateAll((els) => (els as HTMLInputElement[]).map((e) => e.labels?.[0]?.textContent?.trim() ?? ''));
  const n = names.findIndex((x) => x.startsWith(reason) || x.includes(reason));
  expect(n, `処理事由 ${reason} が選択肢にありません: ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
  await page.keyboard.press(String(n + 1));
  await expectFocus(page, 'radio', new RegExp(reason));
  expect(await form.getByRole('radio', { name: new RegExp(reason) }).isChecked()).toBe(true);
  await page.keyboard.press('Enter');
  await form.waitFor({ state: 'detached' });
}

/** A menu entry of the top bar (業務メニュー), reached with Tab from wherever the focus is, opened with Enter. */
export async function keyboardMenu(page: Page, name: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: '業務メニュー' }).waitFor();
  // The menu is at the top of the page: Shift+Tab goes there from anywhere below it.
  await tabTo(page, 'button', name, { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** From a work queue: its first row takes the focus; ↓ to the claim's row, Enter opens it. */
export async function keyboardOpenClaim(page: Page, claimNo: string): Promise<void> {
  const focusedClaim = () => page.evaluate(() => document.activeElement?.getAttribute('data-claim') ?? null);
  await expect.poll(focusedClaim).not.toBeNull();
  for (let i = 0; i < 50 && (await focusedClaim()) !== claimNo; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedClaim()).toBe(claimNo);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: new RegExp(`受付番号 ${claimNo}`), level: 1 }).waitFor();
}

/**
 * 決裁 from the keyboard: the 決定 select (it has the focus when the panel opens, or Tab to it), the decision with
 * the arrows, Tab to 決定する, Enter. Any confirmation step of the decision belongs here.
 */
export async function keyboardDecide(page: Page, decision: string): Promise<void> {
  await tabTo(page, 'combobox', '決定');
  await chooseWithArrows(page, decision);
  await tabTo(page, 'button', '決定する');
  await page.keyboard.press('Enter');
  // 決定する only asks: the confirmation takes the focus on its confirm button, Enter decides.
  const dialog = page.getByRole('alertdialog');
  await expectFocus(page, 'button', `${decision}で決裁する`);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
}
