import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { AuditInput } from '../audit/audit-log';
import type { Policy } from '../policy/policy';
import { DestinationRefusedError, ServerClientConfigError, checkDestination, describeDestination, parseBaseUrl } from './destination';
import { ServerConnectionError, auditActionFor, classifyNetworkError, refineByPhase, type ConnectionPhase } from './errors';

export { DestinationRefusedError, ServerClientConfigError } from './destination';
export { ServerConnectionError, type ServerConnectionErrorCode } from './errors';

/** The part of the audit log the client needs (AuditLog satisfies it). */
export interface NetAuditSink {
  append(input: Pick<AuditInput, 'staffId' | 'action' | 'outcome' | 'detail'>): unknown;
}

export interface CentralServerClientOptions {
  /** The central server URL from policy; its origin is the only destination allowed. */
  baseUrl: string;
  /** The municipality's private CA (PEM): the only trust anchor, system roots are not used. */
  ca: string | Buffer;
  /** This terminal's client certificate and key (PEM). */
  cert: string | Buffer;
  key: string | Buffer;
  audit: NetAuditSink;
  /** Whole-request deadline (connect, handshake, response body). Default 15 s. */
  timeoutMs?: number;
  /** Largest response body accepted. Default 10 MiB. */
  maxResponseBytes?: number;
}

export interface ServerResponse {
  status: number;
  /** The parsed JSON body; null when the body is empty. */
  json: unknown;
}

type Attempt = { ok: true; response: ServerResponse } | { ok: false; error: ServerConnectionError; staleSocket: boolean };

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

type PemLabel = 'CA証明書（caCertFile）' | 'クライアント証明書（clientCertFile）' | '秘密鍵（clientKeyFile）';

function readPem(file: string, label: PemLabel, marker: RegExp): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'ファイルが見つかりません' : `ファイルを読み込めません（${code ?? '原因不明'}）`;
    throw new ServerClientConfigError(`中央サーバ接続用の${label}の${why}: ${file}。IT担当者が端末の設定を確認してください。`);
  }
  if (!marker.test(data.toString('latin1'))) {
    throw new ServerClientConfigError(`中央サーバ接続用の${label}がPEM形式ではありません: ${file}。IT担当者が端末の設定を確認してください。`);
  }
  return data;
}

function isEmpty(v: string | Buffer): boolean {
  return v.length === 0;
}

/**
 * The only way the main process reaches the network: HTTPS + JSON to the central server from policy, trusting
 * only the municipality's CA, presenting this terminal's client certificate. Other destinations are refused
 * and audited; TLS and connection failures are audited. Redirects are never followed. Neither keys nor request
 * or response bodies are ever logged; audit entries carry the origin and error codes only.
 */
export class CentralServerClient {
  private readonly base: URL;
  private readonly agent: https.Agent;
  private readonly audit: NetAuditSink;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(opts: CentralServerClientOptions) {
    this.base = parseBaseUrl(opts.baseUrl);
    if (isEmpty(opts.ca) || isEmpty(opts.cert) || isEmpty(opts.key)) {
      throw new ServerClientConfigError('中央サーバ接続用のCA証明書・クライアント証明書・秘密鍵がそろっていません。IT担当者が端末の設定を確認してください。');
    }
    try {
      new X509Certificate(opts.ca);
    } catch {
      throw new ServerClientConfigError('中央サーバ接続用のCA証明書を読み取れません。IT担当者が端末の設定を確認してください。');
    }
    try {
      // Fails now (not at the first request) when the key does not match the certificate or cannot be read.
      createSecureContext({ ca: opts.ca, cert: opts.cert, key: opts.key });
    } catch {
      throw new ServerClientConfigError(
        '中央サーバ接続用のクライアント証明書または秘密鍵が正しくありません（組み合わせが一致しない可能性があります）。IT担当者が端末の設定を確認してください。',
      );
    }
    this.audit = opts.audit;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // Passing `ca` replaces the default (system / bundled) root store: only the municipality's CA is trusted.
    // Hostnames are checked by the default checkServerIdentity.
    this.agent = new https.Agent({
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      keepAlive: true,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
    });
  }

  /** Builds the client from the policy's centralServer section, reading the PEM files. */
  static fromPolicy(
    server: Policy['centralServer'],
    audit: NetAuditSink,
    opts: { timeoutMs?: number; maxResponseBytes?: number } = {},
  ): CentralServerClient {
    const certMarker = /-----BEGIN CERTIFICATE-----/;
    return new CentralServerClient({
      baseUrl: server.url,
      ca: readPem(server.caCertFile, 'CA証明書（caCertFile）', certMarker),
      cert: readPem(server.clientCertFile, 'クライアント証明書（clientCertFile）', certMarker),
      key: readPem(server.clientKeyFile, '秘密鍵（clientKeyFile）', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
      audit,
      ...opts,
    });
  }

  /** The central server's origin (scheme, host, port): the only destination allowed. */
  get origin(): string {
    return this.base.origin;
  }

  /**
   * Throws DestinationRefusedError (and audits `net.destinationRefused` with the origin only) unless `url` —
   * absolute, or relative to the base URL — has the central server's origin. Returns the resolved URL.
   */
  assertAllowedDestination(url: string): URL {
    const checked = checkDestination(this.base, url);
    if (checked.ok) return checked.url;
    this.audit.append({ staffId: null, action: 'net.destinationRefused', outcome: 'rejected', detail: { destination: checked.destination } });
    throw new DestinationRefusedError(checked.destination);
  }

  /**
   * Sends a JSON request to the central server. Resolves with any non-3xx status (the caller decides what a
   * 4xx/5xx means); rejects with ServerConnectionError on TLS, connection, timeout, redirect, size or parse
   * failures (audited), and with DestinationRefusedError before connecting anywhere else (audited).
   */
  async request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ServerResponse> {
    const target = this.assertAllowedDestination(url);
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body), 'utf8');
    let result = await this.attempt(method, target, payload);
    // A kept-alive connection the server had already closed: a GET is safe to send once more on a new one.
    if (!result.ok && result.staleSocket && method === 'GET') result = await this.attempt(method, target, payload);
    if (result.ok) return result.response;
    const { error } = result;
    const { action, outcome } = auditActionFor(error.code);
    this.audit.append({ staffId: null, action, outcome, detail: { destination: describeDestination(target), method, code: error.code, cause: error.causeCode } });
    throw error;
  }

  private attempt(method: 'GET' | 'POST', target: URL, payload: Buffer | null): Promise<Attempt> {
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      let phase: ConnectionPhase = 'none';
      let responded = false;
      const req = https.request(target, { method, headers, agent: this.agent });
      // A kept-alive socket is already connected; a new one connects and handshakes for this request.
      req.on('socket', (socket) => {
        const onTcp = (): void => {
          phase = 'tcp';
        };
        const onTls = (): void => {
          phase = 'tls';
        };
        socket.once('connect', onTcp).once('secureConnect', onTls);
        req.once('close', () => socket.off('connect', onTcp).off('secureConnect', onTls));
      });
      const settle = (a: Attempt): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!a.ok) req.destroy();
        resolve(a);
      };
      const fail = (err: unknown): void => {
        const error = refineByPhase(classifyNetworkError(err), phase, responded);
        const staleSocket = req.reusedSocket && !responded && error.code === 'UNREACHABLE' && (error.causeCode === 'ECONNRESET' || error.causeCode === 'EPIPE');
        settle({ ok: false, error, staleSocket });
      };
      const timer = setTimeout(() => fail(new ServerConnectionError('TIMEOUT', null)), this.timeoutMs);
      req.on('error', fail);
      req.on('response', (res) => {
        responded = true;
        this.readResponse(res, fail, (response) => settle({ ok: true, response }));
      });
      req.end(payload ?? undefined);
    });
  }

  private readResponse(res: IncomingMessage, fail: (err: unknown) => void, done: (r: ServerResponse) => void): void {
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      res.resume();
      fail(new ServerConnectionError('REDIRECT', `HTTP_${status}`));
      return;
    }
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > this.maxResponseBytes) {
      fail(new ServerConnectionError('TOO_LARGE', 'CONTENT_LENGTH'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxResponseBytes) {
        fail(new ServerConnectionError('TOO_LARGE', 'BODY'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', fail);
    res.on('close', () => {
      if (!res.complete) fail(new ServerConnectionError('UNREACHABLE', 'INCOMPLETE_RESPONSE'));
    });
    res.on('end', () => {
      if (size > this.maxResponseBytes) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        done({ status, json: null });
        return;
      }
      try {
        done({ status, json: JSON.parse(text) as unknown });
      } catch {
        fail(new ServerConnectionError('BAD_RESPONSE', 'JSON_PARSE'));
      }
    });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
