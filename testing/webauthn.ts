import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Core } from '../electron/core/app-core';
import type { Actor } from '../electron/core/actor';
import type { Db } from '../electron/core/db/database';
import { insertRecord, updateRecord } from '../electron/core/db/records';
import { approvalHash } from '../electron/core/admin/approvals';
import { authenticatorSubject, grantSubject } from '../shared/identity/approval';

/**
 * A software WebAuthn credential for tests: a real P-256 key pair whose public key is registered for a
 * member of staff, and whose private key the e2e tests load into Chromium's virtual authenticator (CDP
 * WebAuthn.addCredential). The server side verifies real signatures with @simplewebauthn/server.
 */
export interface SoftCredential {
  /** base64url, as stored and as WebAuthn reports it. */
  credentialId: string;
  /** PKCS#8 DER, base64 (CDP's format). */
  privateKeyPkcs8: string;
  /** COSE_Key, base64url (as stored). */
  publicKeyCose: string;
}

/** CBOR for the COSE EC2 key map {1: 2, 3: -7, -1: 1, -2: x, -3: y}. */
function coseEc2(x: Buffer, y: Buffer): Buffer {
  if (x.length !== 32 || y.length !== 32) throw new Error('P-256 coordinates must be 32 bytes');
  return Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]);
}

export function makeSoftCredential(): SoftCredential {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return {
    credentialId: randomBytes(32).toString('base64url'),
    privateKeyPkcs8: (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64'),
    publicKeyCose: coseEc2(x, y).toString('base64url'),
  };
}

/**
 * Store `cred` for `staffId`: as the bootstrap 所属長's own self-enrolment (in force, registered by themselves), or
 * registered by the seed and waiting for `approver` (approveSeeded signs the approvals as that 所属長 would).
 */
export function registerSoftCredential(db: Db, staffId: string, cred: SoftCredential, at: string, approval: { bootstrap: true } | { approver: string }): string {
  const by = 'bootstrap' in approval ? staffId : 'SEED';
  return insertRecord(
    db,
    'authenticators',
    {
      staff_id: staffId, credential_id: cred.credentialId, public_key: cred.publicKeyCose, counter: 0, transports: '["internal"]', label: 'テスト用仮想認証器',
      registered_by: by, revoked_at: null, revoked_by: null, revoke_reason: null,
      approver: 'bootstrap' in approval ? null : approval.approver, approval_status: 'bootstrap' in approval ? 'bootstrap' : 'pending',
    },
    { by, at },
  );
}

/**
 * The 所属長 `approver` approves every grant and authenticator waiting for them, as at the terminal: their soft
 * credential signs a real assertion whose challenge is the record's hash (signature counter 0, so later logins
 * count up from there), stored with the record. The central server verifies these like any other approval.
 */
export function approveSeeded(db: Db, approver: string, cred: SoftCredential, at: string, origin = 'http://localhost', rpId = 'localhost'): void {
  const approve = (entity: 'staff_grants' | 'authenticators', rec: Record<string, unknown> & { id: string; version: number }) => {
    const hash = approvalHash(entity === 'staff_grants' ? grantSubject(rec) : authenticatorSubject(rec));
    const assertion = signAssertion(cred, { challenge: hash }, origin, rpId, 0);
    const approval = { hash, approvedBy: approver, approvedAt: at, assertion };
    updateRecord(db, entity, rec.id, rec.version, { approval_status: 'approved', approval_json: JSON.stringify(approval) }, { by: approver, at });
  };
  db.transaction(() => {
    for (const g of db.prepare<[string], Record<string, unknown> & { id: string; version: number }>(`SELECT * FROM staff_grants WHERE approval_status = 'pending' AND approved_by = ?`).all(approver)) approve('staff_grants', g);
    for (const a of db.prepare<[string], Record<string, unknown> & { id: string; version: number }>(`SELECT * FROM authenticators WHERE approval_status = 'pending' AND approver = ?`).all(approver)) approve('authenticators', a);
  })();
}

/**
 * Answer a WebAuthn assertion request as an authenticator would (user present and verified): the
 * authenticator data, the client data and an ECDSA P-256 signature over both. Used by unit tests, which
 * have no browser; the e2e tests use Chromium's virtual authenticator instead.
 */
export function signAssertion(cred: SoftCredential, options: { challenge: string }, origin: string, rpId: string, signCount: number): Record<string, unknown> {
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(signCount);
  const authData = Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([0x05]), count]);
  const key = createPrivateKey({ key: Buffer.from(cred.privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientData).digest()]), key);
  return {
    id: cred.credentialId,
    rawId: cred.credentialId,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: clientData.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url') },
  };
}

let signCounter = 1;

/** Log a member of staff in through both factors (password, then a signed assertion) and return the session. */
export async function loginWithFactors(core: Core, senderId: string, staffId: string, password: string, cred: SoftCredential): Promise<Actor> {
  const first = await core.auth.login(senderId, staffId, password);
  let r = first;
  if (r.stage === 'second_factor') {
    const cfg = core.auth.options.webauthn;
    const origin = cfg.origins[0] ?? 'http://localhost';
    if (cfg.origins.length === 0) cfg.origins.push(origin);
    r = await core.auth.secondFactor(senderId, signAssertion(cred, r.options as { challenge: string }, origin, cfg.rpID, signCounter++) as never);
  }
  if (r.stage !== 'done') throw new Error(`login stopped at ${r.stage}`);
  const actor = core.auth.sessionFor(senderId);
  if (!actor) throw new Error('no session after login');
  return actor;
}

/** CBOR byte string header for `n` bytes (short forms up to 65,535). */
function cborBytes(b: Buffer): Buffer {
  const n = b.length;
  const head = n < 24 ? Buffer.from([0x40 + n]) : n < 256 ? Buffer.from([0x58, n]) : Buffer.from([0x59, n >> 8, n & 0xff]);
  return Buffer.concat([head, b]);
}

/**
 * Answer a WebAuthn registration request as an authenticator would ('none' attestation, user present and
 * verified): the attested credential data carries `cred`'s public key, so later assertions verify against it.
 */
export function signRegistration(cred: SoftCredential, options: { challenge: string }, origin: string, rpId: string): Record<string, unknown> {
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
  const credId = Buffer.from(cred.credentialId, 'base64url');
  const idLen = Buffer.alloc(2);
  idLen.writeUInt16BE(credId.length);
  const authData = Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([0x45]), Buffer.alloc(4), Buffer.alloc(16), idLen, credId, Buffer.from(cred.publicKeyCose, 'base64url')]);
  const text = (s: string): Buffer => Buffer.concat([Buffer.from([0x60 + s.length]), Buffer.from(s)]);
  const attestationObject = Buffer.concat([Buffer.from([0xa3]), text('fmt'), text('none'), text('attStmt'), Buffer.from([0xa0]), text('authData'), cborBytes(authData)]);
  return {
    id: cred.credentialId,
    rawId: cred.credentialId,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: clientData.toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] },
  };
}
