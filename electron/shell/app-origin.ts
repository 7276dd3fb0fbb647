/**
 * The UI is served from a fixed https origin that the main process answers itself (protocol.handle), not
 * from file://. An https origin with a domain-like host is a secure context and a valid WebAuthn RP ID,
 * which a custom scheme may not be inside Electron (see README, architecture decisions).
 */
import { APP_HOST } from '../core/auth/webauthn';

export { APP_HOST };
export const APP_ORIGIN = `https://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Strict CSP: nothing but our own scripts, styles, fonts and images; no network at all. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
