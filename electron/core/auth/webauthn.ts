import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { IN_FORCE_SQL, type ApprovalStatus } from '../../../shared/identity/approval';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';

/**
 * The second factor: WebAuthn (FIDO2) — a platform authenticator (Windows Hello) or a security key —
 * verified in the main process without any network. Kept behind this small module so an IC-card
 * (職員証, PC/SC) factor can sit beside it later.
 */
export interface WebAuthnConfig {
  rpID: string;
  rpName: string;
  /** Expected origins of the UI (Electron: https://madoguchi.localhost; the harness sets its own). */
  origins: string[];
}

/** The packaged app's UI origin (electron/shell/app-origin.ts serves it); also the WebAuthn RP ID. */
export const APP_HOST = 'madoguchi.localhost';
export const DEFAULT_WEBAUTHN: WebAuthnConfig = { rpID: APP_HOST, rpName: '窓口端末', origins: [`https://${APP_HOST}`] };

export interface StoredAuthenticator {
  id: string;
  version: number;
  staff_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  label: string;
  registered_by: string;
  created_at: string;
  revoked_at: string | null;
  approver: string | null;
  approval_status: ApprovalStatus;
  approval_json: string | null;
}

const TIMEOUT_MS = 120_000;

/** The authenticators a member of staff may use: not revoked and in force (a pending registration is not). */
export function activeAuthenticators(db: Db, staffId: string): StoredAuthenticator[] {
  return db
    .prepare<[string], StoredAuthenticator>(`SELECT * FROM authenticators WHERE staff_id = ? AND revoked_at IS NULL AND deleted = 0 AND ${IN_FORCE_SQL} ORDER BY created_at`)
    .all(staffId);
}

/** Every authenticator registered and not revoked, those waiting for a 所属長 included (lists, excludeCredentials). */
export function registeredAuthenticators(db: Db, staffId: string): StoredAuthenticator[] {
  return db
    .prepare<[string], StoredAuthenticator>('SELECT * FROM authenticators WHERE staff_id = ? AND revoked_at IS NULL AND deleted = 0 ORDER BY created_at')
    .all(staffId);
}

export function authenticationOptions(cfg: WebAuthnConfig, creds: StoredAuthenticator[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: cfg.rpID,
    timeout: TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: creds.map((c) => ({ id: c.credential_id, transports: JSON.parse(c.transports) as never })),
  });
}

/** Verify an assertion against the staff member's registered credentials; updates the signature counter. */
export async function verifyAssertion(db: Db, cfg: WebAuthnConfig, staffId: string, challenge: string, response: AuthenticationResponseJSON, s: Stamp): Promise<boolean> {
  const cred = activeAuthenticators(db, staffId).find((c) => c.credential_id === response.id);
  if (!cred) return false;
  try {
    const r = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: cfg.origins,
      expectedRPID: cfg.rpID,
      requireUserVerification: true,
      credential: { id: cred.credential_id, publicKey: Buffer.from(cred.public_key, 'base64url'), counter: cred.counter, transports: JSON.parse(cred.transports) as string[] },
    });
    if (!r.verified) return false;
    db.transaction(() => updateRecord(db, 'authenticators', cred.id, cred.version, { counter: r.authenticationInfo.newCounter }, s))();
    return true;
  } catch {
    return false;
  }
}

export function registrationOptions(cfg: WebAuthnConfig, staff: { staff_id: string; name: string }, existing: StoredAuthenticator[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: cfg.rpName,
    rpID: cfg.rpID,
    userName: staff.staff_id,
    userDisplayName: staff.name,
    userID: new TextEncoder().encode(staff.staff_id),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id })),
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'required' },
  });
}

/**
 * Verify a registration and store the authenticator: `bootstrap` for a provisioned account's self-enrolment, or
 * `pending` until the named 所属長 approves it. Returns null when the response does not verify.
 */
export async function registerAuthenticator(
  db: Db,
  cfg: WebAuthnConfig,
  staffId: string,
  challenge: string,
  response: RegistrationResponseJSON,
  label: string,
  s: Stamp,
  approval: { status: 'bootstrap'; approver: null } | { status: 'pending'; approver: string },
): Promise<string | null> {
  try {
    const r = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: cfg.origins, expectedRPID: cfg.rpID, requireUserVerification: true });
    if (!r.verified) return null;
    const c = r.registrationInfo.credential;
    return insertRecord(
      db,
      'authenticators',
      { staff_id: staffId, credential_id: c.id, public_key: Buffer.from(c.publicKey).toString('base64url'), counter: c.counter, transports: JSON.stringify(c.transports ?? []), label, registered_by: s.by, revoked_at: null, revoked_by: null, revoke_reason: null, approver: approval.approver, approval_status: approval.status, approval_json: null },
      s,
    );
  } catch {
    return null;
  }
}
