import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTerminal, loadServerTls, pkiPaths, x509 } from '../pki';
import { TEST_SCOPE } from '../../testing/server';
import { scopeFromOu, scopeKey } from '../../shared/sync/scope';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

let dir: string;

async function enroll(...args: string[]) {
  return run(TSX, ['server/enroll.ts', '--dir', dir, ...args], { cwd: process.cwd() });
}

async function mode(p: string): Promise<number> {
  return (await stat(p)).mode & 0o777;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-enroll-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('enroll CLI', () => {
  it('creates the CA on first use and issues a terminal certificate with CN = terminal ID', async () => {
    await expect(enroll('--terminal', 'T001')).rejects.toMatchObject({ stderr: expect.stringContaining('--municipality') });
    const out = await enroll('--terminal', 'T001', '--municipality', '271004', '--jimu', 'kokuho,kodomo', '--server-host', 'sync.example.lg.jp', '--server-host', '10.0.0.5');
    expect(out.stdout).toContain('created CA');
    const p = pkiPaths(dir);
    expect(await mode(p.caKey)).toBe(0o600);
    expect(await mode(p.terminalKey('T001'))).toBe(0o600);
    expect(await mode(p.serverKey)).toBe(0o600);

    const ca = new X509Certificate(await readFile(p.caCert));
    expect(ca.ca).toBe(true);
    const t1 = new X509Certificate(await readFile(p.terminalCert('T001')));
    expect(t1.subject).toContain('CN=T001');
    // the scope is part of the certificate: what the terminal may pull and push
    expect(t1.subject.split('\n').filter((l) => l.startsWith('OU=')).sort()).toEqual(['OU=jimu:kodomo', 'OU=jimu:kokuho', 'OU=municipality:271004']);
    expect(t1.ca).toBe(false);
    expect(t1.checkIssued(ca)).toBe(true);
    expect(t1.verify(ca.publicKey)).toBe(true);
    expect(t1.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only
    expect(createPrivateKey(await readFile(p.terminalKey('T001'))).asymmetricKeyType).toBe('ec');

    const server = new X509Certificate(await readFile(p.serverCert));
    expect(server.subject).toContain('CN=sync.example.lg.jp');
    expect(server.subjectAltName).toBe('DNS:sync.example.lg.jp, IP Address:10.0.0.5');
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('sync.example.lg.jp')).toBe('sync.example.lg.jp');

    // a second run reuses the CA
    await expect(enroll('--terminal', 'T009', '--municipality', '27100', '--jimu', 'kodomo')).rejects.toMatchObject({ stderr: expect.stringContaining('団体コード') });
    await expect(enroll('--terminal', 'T009', '--municipality', '271004', '--jimu', 'kaigo')).rejects.toMatchObject({ stderr: expect.stringContaining('invalid scope') });
    const again = await enroll('--terminal', 'T002', '--municipality', '271004', '--jimu', 'yobou');
    expect(again.stdout).not.toContain('created CA');
    const t2 = new X509Certificate(await readFile(p.terminalCert('T002')));
    expect(t2.verify(ca.publicKey)).toBe(true);
    expect(t2.serialNumber).not.toBe(t1.serialNumber);
  }, 60_000);

  it('enrolls a 生活保護-only terminal (--jimu seikatsu) and its scope reads back from the certificate', async () => {
    const p = pkiPaths(dir);
    const help = await enroll('--help');
    expect(help.stdout).toContain('--jimu kodomo,kokuho,yobou,seikatsu');
    const out = await enroll('--terminal', 'FUKU1', '--municipality', '271004', '--jimu', 'seikatsu');
    expect(out.stdout).toContain('issued FUKU1');
    const cert = new X509Certificate(await readFile(p.terminalCert('FUKU1')));
    const ou = cert.subject.split('\n').filter((l) => l.startsWith('OU=')).map((l) => l.slice(3));
    expect(ou.sort()).toEqual(['jimu:seikatsu', 'municipality:271004']);
    expect(cert.verify(new X509Certificate(await readFile(p.caCert)).publicKey)).toBe(true);
    // What the server reads from the certificate at each request (scopeFromOu) is the enrolled scope.
    expect(scopeFromOu(ou)).toEqual({ municipality: '271004', jimu: ['seikatsu'] });
    expect(scopeKey(scopeFromOu(ou)!)).toBe('271004:seikatsu:p2');
  }, 60_000);

  it('refuses to overwrite a terminal certificate without --force and rejects bad terminal IDs', async () => {
    await expect(enroll('--terminal', 'T001', '--municipality', '271004', '--jimu', 'kodomo')).rejects.toMatchObject({ stderr: expect.stringContaining('already has a certificate') });
    await expect(issueTerminal(dir, '../evil', { scope: TEST_SCOPE })).rejects.toThrow('invalid terminal ID');
  }, 60_000);

  it('--revoke adds the serial to a CRL signed by the CA that the server loads', async () => {
    const p = pkiPaths(dir);
    const serial = new X509Certificate(await readFile(p.terminalCert('T001'))).serialNumber.toLowerCase();
    const out = await enroll('--revoke', 'T001');
    expect(out.stdout).toContain(`revoked T001 (serial ${serial})`);
    const pem = await readFile(p.crl, 'utf8');
    expect(pem).toMatch(/^-----BEGIN X509 CRL-----/);
    const crl = new x509.X509Crl(pem);
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase())).toEqual([serial]);
    const caCert = new x509.X509Certificate(await readFile(p.caCert, 'utf8'));
    expect(await crl.verify({ publicKey: caCert.publicKey })).toBe(true);
    expect(crl.nextUpdate!.getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);

    // revoking twice keeps one entry; the second terminal is untouched
    expect((await enroll('--revoke', 'T001')).stdout).toContain('already revoked');
    expect(new x509.X509Crl(await readFile(p.crl, 'utf8')).entries).toHaveLength(1);

    // --force re-issues T002 and revokes its previous certificate
    const oldT2 = new X509Certificate(await readFile(p.terminalCert('T002'))).serialNumber.toLowerCase();
    await enroll('--terminal', 'T002', '--municipality', '271004', '--jimu', 'yobou', '--force');
    const newT2 = new X509Certificate(await readFile(p.terminalCert('T002'))).serialNumber.toLowerCase();
    expect(newT2).not.toBe(oldT2);
    const after = new x509.X509Crl(await readFile(p.crl, 'utf8')).entries.map((e) => e.serialNumber.toLowerCase());
    expect(after.sort()).toEqual([serial, oldT2].sort());

    const tls = await loadServerTls(dir);
    expect(tls.crl).toBe(await readFile(p.crl, 'utf8'));
    expect(Buffer.byteLength(tls.key)).toBeGreaterThan(0);
  }, 60_000);
});
