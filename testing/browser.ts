import { existsSync } from 'node:fs';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { SoftCredential } from './webauthn';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium through playwright-core (Playwright's own browser downloads do not work here). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium が ${CHROMIUM} にありません。apt-get install -y chromium を実行してください（.ci/run は自動で入れます）。`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
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
