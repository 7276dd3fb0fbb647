import https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditLog } from '../../audit/audit-log';
import {
  CentralServerClient,
  DestinationRefusedError,
  type NetAuditSink,
  ServerClientConfigError,
  ServerConnectionError,
  type CentralServerClientOptions,
} from '../server-client';
import { MemoryAudit } from './memory-audit';
import { type Handler, type Pem, type TestPki, type TestServer, generatePki, json, startServer } from '../../../../testing/tls';

// AuditLog itself satisfies the sink the client needs (checked at compile time).
const _auditLogIsASink: (a: AuditLog) => NetAuditSink = (a) => a;

let pki: TestPki;
const cleanups: Array<() => unknown> = [];
const allAudits: MemoryAudit[] = [];

beforeAll(() => {
  pki = generatePki();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});
afterAll(() => {
  // Never keys, never bodies, never paths or queries: only origins and error codes reach the audit log.
  const logged = JSON.stringify(allAudits.flatMap((a) => a.entries));
  for (const secret of ['PRIVATE KEY', 'BEGIN CERTIFICATE', 'secret-body', 'token=', '/residents']) expect(logged).not.toContain(secret);
  pki.cleanup();
});

const ok: Handler = (_q, res) => json(res, 200, { ok: true });

async function server(pem: Pem, clientCa: string, handler: Handler = ok, extra: https.ServerOptions = {}): Promise<TestServer> {
  const s = await startServer(pem, clientCa, handler, extra);
  cleanups.push(() => s.close());
  return s;
}

function client(baseUrl: string, overrides: Partial<CentralServerClientOptions> = {}): { c: CentralServerClient; audit: MemoryAudit } {
  const audit = new MemoryAudit();
  allAudits.push(audit);
  const c = new CentralServerClient({ baseUrl, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, audit, ...overrides });
  cleanups.push(() => c.close());
  return { c, audit };
}

async function failure(p: Promise<unknown>): Promise<ServerConnectionError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServerConnectionError);
  return err as ServerConnectionError;
}

const echo: Handler = (req, res, body) => json(res, 200, { method: req.method, url: req.url, type: req.headers['content-type'] ?? null, body });

describe('CentralServerClient: pinned TLS with a client certificate', () => {
  it('1. GETs and POSTs JSON to the pinned server, which sees the client certificate', async () => {
    const s = await server(pki.server, pki.ca.cert, echo);
    const { c, audit } = client(`https://127.0.0.1:${s.port}/api/`);

    const get = await c.request('GET', 'residents/1?token=abc');
    expect(get).toEqual({ status: 200, json: { method: 'GET', url: '/api/residents/1?token=abc', type: null, body: '' } });
    const post = await c.request('POST', `https://127.0.0.1:${s.port}/api/sync`, { note: 'secret-body', n: 1 });
    expect(post.json).toEqual({ method: 'POST', url: '/api/sync', type: 'application/json', body: '{"note":"secret-body","n":1}' });
    expect(s.clientCns).toEqual(['TERM-001', 'TERM-001']);

    // Kept-alive connections are reused without piling up listeners.
    const warnings: Error[] = [];
    const onWarning = (w: Error): number => warnings.push(w);
    process.on('warning', onWarning);
    for (let i = 0; i < 20; i++) expect((await c.request('GET', 'ping')).status).toBe(200);
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('1b. returns 4xx/5xx as is, refuses to follow redirects, rejects non-JSON and cut-off bodies', async () => {
    let hits = 0;
    const s = await server(pki.server, pki.ca.cert, (req, res) => {
      hits++;
      if (req.url === '/missing') return json(res, 404, { error: 'not found' });
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': 100 }).write('{"partial":');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if (req.url === '/moved') {
        res.writeHead(302, { location: `https://127.0.0.1:${s.port}/target` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    });
    const { c, audit } = client(`https://127.0.0.1:${s.port}`);
    expect(await c.request('GET', '/missing')).toEqual({ status: 404, json: { error: 'not found' } });
    expect((await failure(c.request('GET', '/moved'))).code).toBe('REDIRECT');
    expect(hits).toBe(2);
    expect((await failure(c.request('GET', '/html'))).code).toBe('BAD_RESPONSE');
    expect((await failure(c.request('GET', '/cut'))).code).toBe('UNREACHABLE');
    expect(audit.entries.map((e) => [e.action, e.outcome, e.detail?.cause])).toEqual([
      ['net.redirectRefused', 'rejected', 'HTTP_302'],
      ['net.badResponse', 'failure', 'JSON_PARSE'],
      ['net.unreachable', 'failure', expect.stringMatching(/^(ECONNRESET|INCOMPLETE_RESPONSE)$/)],
    ]);
  });

  it('2. refuses a server whose certificate comes from another CA (TLS_UNTRUSTED), audited', async () => {
    const s = await server(pki.otherServer, pki.ca.cert, echo);
    const { c, audit } = client(`https://127.0.0.1:${s.port}`);
    const err = await failure(c.request('POST', '/residents/1?token=x', { note: 'secret-body' }));
    expect(err.code).toBe('TLS_UNTRUSTED');
    expect(err.message).toMatch(/証明書を信頼できません/);
    expect(s.clientCns).toEqual([]);
    expect(audit.entries).toEqual([
      {
        staffId: null,
        action: 'net.tlsFailure',
        outcome: 'failure',
        detail: { destination: `https://127.0.0.1:${s.port}`, method: 'POST', code: 'TLS_UNTRUSTED', cause: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
      },
    ]);
  });

  it('3. trusts only the configured CA, never falls back to other roots, and never uses https.globalAgent', async () => {
    const municipal = await server(pki.server, pki.ca.cert);
    const other = await server(pki.otherServer, pki.otherCa.cert);
    const otherCaClient = client(`https://127.0.0.1:${municipal.port}`, { ca: pki.otherCa.cert, cert: pki.otherClient.cert, key: pki.otherClient.key });
    expect((await failure(otherCaClient.c.request('GET', '/'))).code).toBe('TLS_UNTRUSTED');
    const municipalClient = client(`https://127.0.0.1:${other.port}`);
    expect((await failure(municipalClient.c.request('GET', '/'))).code).toBe('TLS_UNTRUSTED');
    expect([...otherCaClient.audit.entries, ...municipalClient.audit.entries].map((e) => e.action)).toEqual(['net.tlsFailure', 'net.tlsFailure']);

    const spy = vi.spyOn(https, 'request');
    const { c } = client(`https://127.0.0.1:${municipal.port}`);
    expect((await c.request('GET', '/')).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
    const agent = (spy.mock.calls[0]?.[1] as https.RequestOptions).agent as https.Agent;
    expect(agent).toBeInstanceOf(https.Agent);
    expect(agent).not.toBe(https.globalAgent);
    expect(agent.options).toMatchObject({ ca: pki.ca.cert, rejectUnauthorized: true, minVersion: 'TLSv1.2', keepAlive: true });
    expect(Object.keys(https.globalAgent.sockets)).toEqual([]);
    expect(Object.keys(https.globalAgent.freeSockets)).toEqual([]);
  });

  it('4. the server refuses a client certificate from another CA; a client without a certificate cannot be built', async () => {
    const s = await server(pki.server, pki.ca.cert, echo);
    const { c, audit } = client(`https://127.0.0.1:${s.port}`, { cert: pki.otherClient.cert, key: pki.otherClient.key });
    const err = await failure(c.request('GET', '/'));
    expect(err.code).toBe('TLS_CLIENT_CERT');
    expect(err.message).toMatch(/クライアント証明書が?受け付け/);
    expect(s.clientCns).toEqual([]);
    expect(audit.entries).toMatchObject([{ action: 'net.tlsFailure', outcome: 'failure', detail: { code: 'TLS_CLIENT_CERT' } }]);
    expect(String(audit.entries[0]?.detail?.cause)).toMatch(/^(ECONNRESET_AFTER_HANDSHAKE|EPIPE_AFTER_HANDSHAKE|ERR_SSL_\w+_ALERT_\w+)$/);

    // TLS 1.2: the server rejects the certificate during the handshake.
    const tls12 = await server(pki.server, pki.ca.cert, echo, { maxVersion: 'TLSv1.2' });
    const old = client(`https://127.0.0.1:${tls12.port}`, { cert: pki.otherClient.cert, key: pki.otherClient.key });
    const err12 = await failure(old.c.request('GET', '/'));
    expect(err12.code).toBe('TLS_CLIENT_CERT');
    expect(err12.causeCode).toMatch(/^(ECONNRESET_DURING_HANDSHAKE|ERR_SSL_\w+_ALERT_\w+)$/);

    // Without a certificate the client cannot even be built (see from-policy.test.ts).
    expect(() => client(`https://127.0.0.1:${s.port}`, { cert: '', key: '' })).toThrow(ServerClientConfigError);
  });

  it('5. refuses a certificate from the right CA that names another host (TLS_HOSTNAME)', async () => {
    const s = await server(pki.serverOtherName, pki.ca.cert, echo);
    const { c, audit } = client(`https://127.0.0.1:${s.port}`);
    const err = await failure(c.request('GET', '/'));
    expect(err.code).toBe('TLS_HOSTNAME');
    expect(err.message).toMatch(/サーバ名と一致しません/);
    expect(audit.entries).toMatchObject([{ action: 'net.tlsFailure', detail: { code: 'TLS_HOSTNAME', cause: 'ERR_TLS_CERT_ALTNAME_INVALID' } }]);
  });
});

describe('CentralServerClient: destination guard', () => {
  it('6. allows only the policy origin (after normalisation) and audits refusals with the origin only', async () => {
    const s = await server(pki.server, pki.ca.cert, echo);
    const { c, audit } = client(`https://localhost:${s.port}/api`);
    const p = s.port;

    expect((await c.request('GET', `https://LOCALHOST:${p}/api/ping`)).json).toMatchObject({ url: '/api/ping' });
    expect((await c.request('GET', `https://localhost:${p}/api/x/../y`)).json).toMatchObject({ url: '/api/y' });
    expect(c.assertAllowedDestination(`HTTPS://LocalHost:${p}/z`).href).toBe(`https://localhost:${p}/z`);

    const refused: Array<[string, string]> = [
      [`https://localhost:${p + 1}/residents/1?token=a`, `https://localhost:${p + 1}`],
      ['https://evil.example/residents/1?token=a', 'https://evil.example'],
      [`http://localhost:${p}/residents`, `http://localhost:${p}`],
      ['https://localhost@evil.example/', 'https://evil.example'],
      [`https://localhost:${p}@evil.example:${p}/`, `https://evil.example:${p}`],
      [`https://user:token=pw@localhost:${p}/`, `https://localhost:${p}`],
      [`https://127.0.0.1:${p}/`, `https://127.0.0.1:${p}`],
      [`https://[::1]:${p}/`, `https://[::1]:${p}`],
      [`https://localhost.:${p}/`, `https://localhost.:${p}`],
      ['//evil.example/residents', 'https://evil.example'],
      ['file:///etc/passwd', 'file:'],
    ];
    for (const [url] of refused) {
      const err = await c.request('GET', url).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(DestinationRefusedError);
      expect((err as Error).message).toMatch(/中央サーバではないため接続しません/);
    }
    expect(() => c.assertAllowedDestination('https://evil.example/')).toThrow(DestinationRefusedError);
    expect(audit.entries).toEqual(
      [...refused.map(([, origin]) => origin), 'https://evil.example'].map((destination) => ({
        staffId: null,
        action: 'net.destinationRefused',
        outcome: 'rejected',
        detail: { destination },
      })),
    );
    expect(s.clientCns).toHaveLength(2);
  });
});

describe('CentralServerClient: failures', () => {
  it('7a. times out a server that never answers, and reports an unreachable server', async () => {
    const s = await server(pki.server, pki.ca.cert, () => undefined);
    const { c, audit } = client(`https://127.0.0.1:${s.port}`, { timeoutMs: 300 });
    const err = await failure(c.request('GET', '/slow'));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/時間内にありませんでした/);

    const closed = await server(pki.server, pki.ca.cert);
    await closed.close();
    const down = client(`https://127.0.0.1:${closed.port}`);
    const err2 = await failure(down.c.request('GET', '/'));
    expect(err2.code).toBe('UNREACHABLE');
    expect(err2.message).toMatch(/接続できません/);
    expect([...audit.entries, ...down.audit.entries]).toMatchObject([
      { action: 'net.unreachable', outcome: 'failure', detail: { code: 'TIMEOUT' } },
      { action: 'net.unreachable', outcome: 'failure', detail: { code: 'UNREACHABLE', cause: 'ECONNREFUSED' } },
    ]);
  });

  it('7b. stops reading an oversized response, declared or streamed', async () => {
    const s = await server(pki.server, pki.ca.cert, (req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 * 1024 * 1024 });
        res.write('[');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = `"${'x'.repeat(16 * 1024)}",`;
      res.write('[');
      for (let i = 0; i < 8; i++) res.write(chunk);
      res.end('0]');
    });
    const { c, audit } = client(`https://127.0.0.1:${s.port}`);
    const declared = await failure(c.request('GET', '/declared'));
    expect(declared.code).toBe('TOO_LARGE');
    expect(declared.message).toMatch(/大きすぎる/);
    const small = client(`https://127.0.0.1:${s.port}`, { maxResponseBytes: 64 * 1024 });
    expect((await failure(small.c.request('GET', '/streamed'))).code).toBe('TOO_LARGE');
    expect((await c.request('GET', '/streamed')).status).toBe(200);
    expect([...audit.entries, ...small.audit.entries].map((e) => [e.action, e.detail?.cause])).toEqual([
      ['net.badResponse', 'CONTENT_LENGTH'],
      ['net.badResponse', 'BODY'],
    ]);
  });

  it('7c. sends a GET once more when a kept-alive connection turns out closed, but never a POST', async () => {
    const served = new WeakMap<object, number>();
    const s = await server(pki.server, pki.ca.cert, (req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1) return void req.socket.destroy(); // the server dropped the idle connection
      json(res, 200, { ok: true });
    });
    const { c, audit } = client(`https://127.0.0.1:${s.port}`);
    expect((await c.request('GET', '/')).status).toBe(200);
    expect((await c.request('GET', '/')).status).toBe(200);
    const err = await failure(c.request('POST', '/', { note: 'secret-body' }));
    expect(err.code).toBe('UNREACHABLE');
    // GET, GET dropped + sent again on a new connection, POST dropped and not sent again.
    expect(s.clientCns).toHaveLength(4);
    expect(audit.entries).toMatchObject([{ action: 'net.unreachable', detail: { method: 'POST', code: 'UNREACHABLE', cause: 'ECONNRESET' } }]);
  });
});
