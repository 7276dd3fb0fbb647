/**
 * The municipality's private CA: issues terminal client certificates (CN = terminal ID), the server's
 * certificate, and a CRL the server loads. ECDSA P-256 throughout, via Node's WebCrypto.
 *
 * Layout of a PKI directory:
 *   ca.pem, ca.key (0600), crl.pem, server.pem, server.key (0600), terminals/<ID>.pem, terminals/<ID>.key (0600)
 */
// @peculiar/x509 (via tsyringe) needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { TerminalIdSchema } from '../shared/sync/protocol';
import { TerminalScopeSchema, type TerminalScope } from '../shared/sync/scope';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;
const CA_DAYS = 365 * 10;
const LEAF_DAYS = 365 * 2;
/** A CRL past its nextUpdate makes OpenSSL refuse every client: re-issue (any enroll run) well before. */
const CRL_DAYS = 365;

export interface PkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  crl: string;
  serverCert: string;
  serverKey: string;
  terminalCert(id: string): string;
  terminalKey(id: string): string;
}

export function pkiPaths(dir: string): PkiPaths {
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    crl: join(dir, 'crl.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    terminalCert: (id) => join(dir, 'terminals', `${id}.pem`),
    terminalKey: (id) => join(dir, 'terminals', `${id}.key`),
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Writes atomically (temp file + rename) with the given mode. */
async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  return Buffer.from(b).toString('hex');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no key in PEM');
  return crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

export interface Ca {
  cert: x509.X509Certificate;
  key: CryptoKey;
}

/** Loads the CA of `dir`, creating it (and an empty CRL) on first use. */
export async function ensureCa(dir: string, name = 'Madoguchi Municipality CA'): Promise<{ ca: Ca; created: boolean }> {
  const p = pkiPaths(dir);
  await mkdir(join(dir, 'terminals'), { recursive: true, mode: 0o700 });
  if (await exists(p.caCert)) {
    const cert = new x509.X509Certificate(await readFile(p.caCert, 'utf8'));
    const key = await importKeyPem(await readFile(p.caKey, 'utf8'));
    if (!(await exists(p.crl))) await writeCrl({ cert, key }, p, []);
    return { ca: { cert, key }, created: false };
  }
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: new x509.Name([{ CN: [name] }, { O: ['Madoguchi'] }]).toString(),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_DAYS * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writeFileAtomic(p.caKey, await exportKeyPem(keys.privateKey), 0o600);
  await writeFileAtomic(p.caCert, cert.toString('pem'), 0o644);
  const ca = { cert, key: keys.privateKey };
  await writeCrl(ca, p, []);
  return { ca, created: true };
}

async function issueLeaf(
  ca: Ca,
  subjectCn: string,
  kind: 'client' | 'server',
  sans: string[],
  ou: string[] = [],
): Promise<{ certPem: string; keyPem: string; serial: string }> {
  const keys = await generateKeys();
  const now = Date.now();
  const serial = randomSerial();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([kind === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  if (sans.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(sans.map((s) => (isIP(s) ? { type: 'ip', value: s } : { type: 'dns', value: s }))));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: new x509.Name([{ CN: [subjectCn] }, { O: ['Madoguchi'] }, ...ou.map((v) => ({ OU: [v] }))]).toString(),
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + LEAF_DAYS * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey), serial: cert.serialNumber };
}

/**
 * Issues a client certificate with CN = terminalId and the terminal's scope as OU values
 * (`municipality:NNNNNN`, one `jimu:xxx` per 事務). An existing one is only replaced with `force`, which revokes it.
 */
export async function issueTerminal(
  dir: string,
  terminalId: string,
  opts: { force?: boolean; scope: TerminalScope },
): Promise<{ serial: string; cert: string; key: string }> {
  if (!TerminalIdSchema.safeParse(terminalId).success) throw new Error(`invalid terminal ID: ${terminalId}`);
  const scope = TerminalScopeSchema.safeParse(opts.scope);
  if (!scope.success) throw new Error(`invalid scope: ${scope.error.issues.map((i) => i.message).join('; ')}`);
  const p = pkiPaths(dir);
  const { ca } = await ensureCa(dir);
  if (await exists(p.terminalCert(terminalId))) {
    if (!opts.force) {
      throw new Error(`terminal ${terminalId} already has a certificate (${p.terminalCert(terminalId)}); use --force to revoke it and re-issue`);
    }
    // Re-issue: the old certificate (and its key, wherever it was copied) must stop working.
    await revoke(dir, { terminalId });
  }
  const ou = [
    `municipality:${scope.data.municipality}`,
    ...[...new Set(scope.data.jimu)].sort().map((j) => `jimu:${j}`),
    ...(scope.data.admin ? ['admin:identity', ...[...new Set(scope.data.bootstrap ?? [])].sort().map((id) => `bootstrap:${id}`)] : []),
  ];
  const leaf = await issueLeaf(ca, terminalId, 'client', [], ou);
  await writeFileAtomic(p.terminalKey(terminalId), leaf.keyPem, 0o600);
  await writeFileAtomic(p.terminalCert(terminalId), leaf.certPem, 0o644);
  return { serial: leaf.serial, cert: p.terminalCert(terminalId), key: p.terminalKey(terminalId) };
}

/** Issues the server certificate for `hosts` (DNS names or IP addresses; the first is the CN). */
export async function issueServer(dir: string, hosts: string[]): Promise<{ serial: string }> {
  if (hosts.length === 0) throw new Error('at least one host is required');
  const p = pkiPaths(dir);
  const { ca } = await ensureCa(dir);
  const leaf = await issueLeaf(ca, hosts[0]!, 'server', hosts);
  await writeFileAtomic(p.serverKey, leaf.keyPem, 0o600);
  await writeFileAtomic(p.serverCert, leaf.certPem, 0o644);
  return { serial: leaf.serial };
}

async function writeCrl(ca: Ca, p: PkiPaths, entries: x509.X509CrlEntryParams[]): Promise<void> {
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + CRL_DAYS * DAY),
    entries,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey)],
  });
  await writeFileAtomic(p.crl, x509.PemConverter.encode(crl.rawData, 'X509 CRL'), 0o644);
}

function currentEntries(pem: string): x509.X509CrlEntryParams[] {
  const crl = new x509.X509Crl(pem);
  return crl.entries.map((e) => ({ serialNumber: e.serialNumber, revocationDate: e.revocationDate, reason: e.reason }));
}

/** Revokes the current certificate of `terminalId` (or a serial given in hex): re-signs crl.pem. */
export async function revoke(dir: string, target: { terminalId: string } | { serial: string }): Promise<{ serial: string; alreadyRevoked: boolean }> {
  const p = pkiPaths(dir);
  const { ca } = await ensureCa(dir);
  let serial: string;
  if ('serial' in target) {
    serial = target.serial.toLowerCase();
  } else {
    if (!TerminalIdSchema.safeParse(target.terminalId).success) throw new Error(`invalid terminal ID: ${target.terminalId}`);
    const cert = new x509.X509Certificate(await readFile(p.terminalCert(target.terminalId), 'utf8'));
    serial = cert.serialNumber.toLowerCase();
  }
  const entries = currentEntries(await readFile(p.crl, 'utf8'));
  const alreadyRevoked = entries.some((e) => e.serialNumber.toLowerCase() === serial);
  if (!alreadyRevoked) entries.push({ serialNumber: serial, revocationDate: new Date(), reason: x509.X509CrlReason.cessationOfOperation });
  await writeCrl(ca, p, entries);
  return { serial, alreadyRevoked };
}

/** Re-signs the CRL with a fresh nextUpdate (run periodically, e.g. monthly). */
export async function refreshCrl(dir: string): Promise<void> {
  const p = pkiPaths(dir);
  const { ca } = await ensureCa(dir);
  await writeCrl(ca, p, currentEntries(await readFile(p.crl, 'utf8')));
}

export interface ServerTlsMaterial {
  ca: string;
  crl: string;
  cert: string;
  key: string;
}

/** What the server needs from the PKI directory (it never needs ca.key). */
export async function loadServerTls(dir: string): Promise<ServerTlsMaterial> {
  const p = pkiPaths(dir);
  const [ca, crl, cert, key] = await Promise.all([
    readFile(p.caCert, 'utf8'),
    readFile(p.crl, 'utf8'),
    readFile(p.serverCert, 'utf8'),
    readFile(p.serverKey, 'utf8'),
  ]);
  return { ca, crl, cert, key };
}

/** @peculiar/x509, re-exported so that importers get it with its Reflect polyfill loaded first. */
export { x509 };
