import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Core } from '../electron/core/app-core';
import type { Actor } from '../electron/core/actor';
import type { Db } from '../electron/core/db/database';
import { insertRecord } from '../electron/core/db/records';

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

export function registerSoftCredential(db: Db, staffId: string, cred: SoftCredential, at: string): void {
  insertRecord(
    db,
    'authenticators',
    { staff_id: staffId, credential_id: cred.credentialId, public_key: cred.publicKeyCose, counter: 0, transports: '["internal"]', label: 'テスト用仮想認証器', registered_by: 'SEED', revoked_at: null, revoked_by: null, revoke_reason: null },
    { by: 'SEED', at },
  );
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
