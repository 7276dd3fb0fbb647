import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Test PKI generated with the openssl CLI into a temp dir: two unrelated CAs with their own leaves. */
export interface Pem {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  /** The municipality's private CA. */
  ca: Pem;
  /** Server cert for localhost / 127.0.0.1, signed by the municipality CA. */
  server: Pem;
  /** Server cert for central.example only, signed by the municipality CA (hostname mismatch on 127.0.0.1). */
  serverOtherName: Pem;
  /** Client cert (CN=TERM-001), signed by the municipality CA. */
  client: Pem;
  /** An unrelated CA ("a CA the system might trust") with its own server and client certs. */
  otherCa: Pem;
  otherServer: Pem;
  otherClient: Pem;
  cleanup(): void;
}

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

function leafExt(kind: 'server' | 'client', san?: string): string {
  return [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    `extendedKeyUsage = ${kind === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(san ? [`subjectAltName = ${san}`] : []),
  ].join('\n');
}

export function generatePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-pki-'));
  const cfg = join(dir, 'openssl.cnf');
  writeFileSync(cfg, CONFIG);
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OPENSSL_CONF: cfg } });
  };
  const read = (name: string): Pem => ({ cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

  const makeCa = (name: string, cn: string): Pem => {
    ossl('req', '-config', cfg, '-x509', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${cn}`, '-extensions', 'v3_ca');
    return read(name);
  };
  let serial = 1;
  const makeLeaf = (name: string, ca: string, cn: string, kind: 'server' | 'client', san?: string): Pem => {
    writeFileSync(join(dir, `${name}.ext`), leafExt(kind, san));
    ossl('req', '-config', cfg, '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    ossl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', String(serial++), '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
    return read(name);
  };

  const ca = makeCa('ca', 'Test Municipality Private CA');
  const otherCa = makeCa('other-ca', 'Unrelated Public-Looking CA');
  return {
    dir,
    ca,
    server: makeLeaf('server', 'ca', 'localhost', 'server', 'DNS:localhost,IP:127.0.0.1'),
    serverOtherName: makeLeaf('server-other-name', 'ca', 'central.example', 'server', 'DNS:central.example'),
    client: makeLeaf('client', 'ca', 'TERM-001', 'client'),
    otherCa,
    otherServer: makeLeaf('other-server', 'other-ca', 'localhost', 'server', 'DNS:localhost,IP:127.0.0.1'),
    otherClient: makeLeaf('other-client', 'other-ca', 'TERM-EVIL', 'client'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestServer {
  port: number;
  /** CNs of client certificates seen by the server. */
  clientCns: string[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real TLS server on 127.0.0.1 demanding a client certificate signed by `clientCa`. */
export async function startServer(serverPem: Pem, clientCa: string, handler: Handler, extra: https.ServerOptions = {}): Promise<TestServer> {
  const clientCns: string[] = [];
  const server = https.createServer({ ...serverPem, ca: clientCa, requestCert: true, rejectUnauthorized: true, ...extra }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    clientCns.push(String(peer.subject?.CN ?? ''));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    clientCns,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies with JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * For a test file: a fresh test PKI and a TLS server presenting `serverPem(pki)` that accepts municipal client
 * certificates and answers every request with {"ok": true}; `ready` gets both. Both go after the tests.
 */
export function useOkServer(serverPem: (pki: TestPki) => Pem, ready: (pki: TestPki, server: TestServer) => void): void {
  let pki: TestPki | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    pki = generatePki();
    server = await startServer(serverPem(pki), pki.ca.cert, (_req, res) => json(res, 200, { ok: true }));
    ready(pki, server);
  });
  afterAll(async () => {
    await server?.close();
    pki?.cleanup();
  });
}
