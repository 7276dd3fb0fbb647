import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness, type HarnessIdle } from '../e2e/harness/server';
import { createSeededCore, type SeededCore, type SeededCoreOptions } from './core';
import { demoLogin } from './seed';
import type { SoftCredential } from './webauthn';

/**
 * The e2e tests' browser side: Debian's Chromium, the virtual WebAuthn authenticator loaded with a seeded
 * credential, the login through the UI, and a whole counter (seeded core + harness + Chromium) per test file.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium through playwright-core (Playwright's own browser downloads do not work here). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium が ${CHROMIUM} にありません。apt-get install -y chromium を実行してください（.ci/run は自動で入れます）。`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=ja-JP'],
  });
}

/**
 * Chromium's virtual WebAuthn authenticator (CDP): user verification succeeds automatically, like a
 * fingerprint reader touched by the right person. Credentials seeded for a member of staff are loaded
 * into it, so the real login path (password + assertion verified by the core) runs in every e2e test.
 */
export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/**
 * Each load starts the signature counter above every earlier one: the core refuses an assertion whose
 * counter did not grow (a cloned authenticator), so a credential reused in a new page must count on.
 */
let nextSignCount = Math.floor(Date.now() / 1000);

export async function loadCredential(page: Page, cred: SoftCredential): Promise<void> {
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: { credentialId: Buffer.from(cred.credentialId, 'base64url').toString('base64'), isResidentCredential: false, rpId: 'localhost', privateKey: cred.privateKeyPkcs8, signCount: (nextSignCount += 1000) },
  });
}

/** Log in through the UI: staff ID, password (Enter), then the authenticator answers the assertion. */
export async function loginAs(page: Page, login: { staffId: string; password: string }, cred?: SoftCredential): Promise<void> {
  if (cred) await loadCredential(page, cred);
  await page.getByLabel('職員ID').fill(login.staffId);
  await page.getByLabel('パスワード').fill(login.password);
  await page.keyboard.press('Enter');
}

/** A seeded core served by the harness (the built renderer on http://localhost:<port>) and Chromium to drive it. */
export interface Counter {
  seeded: SeededCore;
  harness: Harness;
  browser: Browser;
  /** A new window on the counter (see openCounter). */
  open(staffId: string | null, opts?: OpenOptions): Promise<Page>;
  /** Closes Chromium and the harness, closes the core and removes its data directory. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The window's viewport (Playwright's default otherwise). */
  viewport?: { width: number; height: number };
  /** Browser permissions granted to the harness origin (the window then opens in a context of its own). */
  permissions?: string[];
  /** Where the page's console errors are collected, from the first load on. */
  consoleErrors?: string[];
  /** What shows once logged in; the 住民検索 heading unless given. */
  landing?: (page: Page) => Locator;
}

/**
 * A new window on the counter at the login screen; with a staff ID, logged in as that demo member of staff through
 * the UI (password, then the virtual authenticator holding their seeded credential) and on their first screen.
 */
export async function openCounter(at: Pick<Counter, 'seeded' | 'harness' | 'browser'>, staffId: string | null, opts: OpenOptions = {}): Promise<Page> {
  // Each window in a context of its own, in Japanese as counter PCs are (and as axe-core needs it).
  const context: BrowserContext = await at.browser.newContext({ locale: 'ja-JP', ...(opts.viewport ? { viewport: opts.viewport } : {}) });
  if (opts.permissions) await context.grantPermissions(opts.permissions, { origin: new URL(at.harness.url).origin });
  const page = await context.newPage();
  page.on('close', () => void context.close().catch(() => undefined));
  page.on('pageerror', (e) => console.error(`[${staffId ?? 'login'}] page error`, e));
  const errors = opts.consoleErrors;
  if (errors) page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const login = staffId === null ? null : demoLogin(staffId);
  if (login) await loadCredential(page, at.seeded.edges.credentials[login.staffId]!);
  await page.goto(at.harness.url);
  await page.waitForFunction("typeof window.madoguchi?.invoke === 'function'"); // the harness bridge (a string: no DOM types here)
  await page.getByLabel('職員ID').waitFor();
  if (login) {
    await loginAs(page, login);
    await (opts.landing ?? ((p: Page) => p.getByRole('heading', { name: '住民検索' })))(page).waitFor();
  }
  return page;
}

/** The seeded core's options and, when given, the shell's idle lock in the harness (off otherwise). */
export type CounterOptions = SeededCoreOptions & { idle?: HarnessIdle };

/** Seeds a core (`createSeededCore`), serves it with the harness and launches Chromium. */
export async function startCounter(options: CounterOptions): Promise<Counter> {
  const seeded = await createSeededCore(options);
  let harness: Harness | undefined;
  try {
    harness = await startHarness(seeded.core, options.idle ? { idle: options.idle } : {});
    const browser = await launchBrowser();
    const counter: Counter = {
      seeded,
      harness,
      browser,
      open: (staffId, opts) => openCounter(counter, staffId, opts),
      close: async () => {
        await browser.close();
        await harness?.close();
        seeded.cleanup();
      },
    };
    return counter;
  } catch (err) {
    await harness?.close();
    seeded.cleanup();
    throw err;
  }
}

/**
 * The counter of a test file (or describe block): started before its tests (then `ready` gets it, to keep what the
 * tests use and open their windows), closed after them. `options` may be a function, read when the counter starts.
 */
export function useCounter(options: CounterOptions | (() => CounterOptions), ready: (counter: Counter) => unknown = () => undefined): void {
  let counter: Counter | undefined;
  beforeAll(async () => {
    counter = await startCounter(typeof options === 'function' ? options() : options);
    await ready(counter);
  });
  afterAll(async () => {
    await counter?.close();
  });
}
