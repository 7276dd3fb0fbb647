import type { AuditAction } from '../../../shared/audit/actions';
/** Connection failures of the central server client, with Japanese messages safe to show to staff. */

export type ServerConnectionErrorCode =
  /** The server's certificate does not chain to the municipality's CA (or is expired, revoked ...). */
  | 'TLS_UNTRUSTED'
  /** The certificate chains to the CA but does not name the host we connected to. */
  | 'TLS_HOSTNAME'
  /** The server refused this terminal's client certificate. */
  | 'TLS_CLIENT_CERT'
  /** Any other TLS handshake failure (protocol version, cipher ...). */
  | 'TLS'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  /** The server answered with a 3xx: redirects are never followed. */
  | 'REDIRECT'
  | 'TOO_LARGE'
  /** The body is not JSON. */
  | 'BAD_RESPONSE';

const MESSAGES: Record<ServerConnectionErrorCode, string> = {
  TLS_UNTRUSTED:
    '中央サーバの証明書を信頼できません（自治体の認証局が発行した有効な証明書ではありません）。接続を中止しました。IT担当者に連絡してください。',
  TLS_HOSTNAME: '中央サーバの証明書が接続先のサーバ名と一致しません。接続を中止しました。IT担当者に連絡してください。',
  TLS_CLIENT_CERT: '中央サーバがこの端末のクライアント証明書を受け付けませんでした。端末の登録状態をIT担当者に確認してください。',
  TLS: '中央サーバとの暗号化通信を確立できませんでした。IT担当者に連絡してください。',
  UNREACHABLE: '中央サーバに接続できません。ネットワークの状態を確認し、しばらくしてから再度お試しください。',
  TIMEOUT: '中央サーバからの応答が時間内にありませんでした。しばらくしてから再度お試しください。',
  REDIRECT: '中央サーバが別の場所への転送を返しました。この端末は転送先には接続しません。IT担当者に連絡してください。',
  TOO_LARGE: '中央サーバからの応答が大きすぎるため、受信を中止しました。IT担当者に連絡してください。',
  BAD_RESPONSE: '中央サーバからの応答を読み取れませんでした。IT担当者に連絡してください。',
};

export class ServerConnectionError extends Error {
  constructor(
    readonly code: ServerConnectionErrorCode,
    /** The underlying Node/OpenSSL error code, for the audit log and IT (never key material or bodies). */
    readonly causeCode: string | null = null,
    message: string = MESSAGES[code],
  ) {
    super(message);
    this.name = 'ServerConnectionError';
  }
}

/** Certificate verification codes (OpenSSL X509_V_ERR names as Node reports them) meaning "not trusted". */
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const HOSTNAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** TLS alerts the server sends when it rejects (or did not get) our client certificate. */
const CLIENT_CERT_ALERT = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(?:CERTIFICATE_\w+|BAD_CERTIFICATE|UNKNOWN_CA|ACCESS_DENIED|UNSUPPORTED_CERTIFICATE)$/;

/** Maps a Node request error to a ServerConnectionError (ServerConnectionErrors pass through unchanged). */
export function classifyNetworkError(err: unknown): ServerConnectionError {
  if (err instanceof ServerConnectionError) return err;
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : null;
  if (code === null) return new ServerConnectionError('UNREACHABLE', null);
  if (UNTRUSTED.has(code)) return new ServerConnectionError('TLS_UNTRUSTED', code);
  if (HOSTNAME.has(code)) return new ServerConnectionError('TLS_HOSTNAME', code);
  if (CLIENT_CERT_ALERT.test(code)) return new ServerConnectionError('TLS_CLIENT_CERT', code);
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return new ServerConnectionError('TLS', code);
  // ECONNREFUSED, ECONNRESET, ENOTFOUND, EHOSTUNREACH ... and anything unforeseen.
  return new ServerConnectionError('UNREACHABLE', code);
}

/** How far a new connection got before it failed (a reused kept-alive connection stays at 'none'). */
export type ConnectionPhase = 'none' | 'tcp' | 'tls';

/**
 * When the server rejects the client certificate it sends an alert and closes, but the alert is usually lost
 * to a TCP reset: with TLS 1.2 during the handshake, with TLS 1.3 just after it (the server checks the
 * certificate only once the client has sent its request). A reset on a new connection in either phase, before
 * any response, is therefore reported as a probably refused client certificate.
 */
export function refineByPhase(error: ServerConnectionError, phase: ConnectionPhase, responded: boolean): ServerConnectionError {
  if (phase === 'none' || responded || error.code !== 'UNREACHABLE') return error;
  if (error.causeCode !== 'ECONNRESET' && error.causeCode !== 'EPIPE') return error;
  return new ServerConnectionError(
    'TLS_CLIENT_CERT',
    `${error.causeCode}_${phase === 'tcp' ? 'DURING' : 'AFTER'}_HANDSHAKE`,
    '中央サーバが暗号化通信の確立時に接続を切断しました。この端末のクライアント証明書が受け付けられなかった可能性があります。端末の登録状態をIT担当者に確認してください。',
  );
}

/** The audit action and outcome recorded for a failure. */
export function auditActionFor(code: ServerConnectionErrorCode): { action: AuditAction; outcome: 'failure' | 'rejected' } {
  switch (code) {
    case 'TLS_UNTRUSTED':
    case 'TLS_HOSTNAME':
    case 'TLS_CLIENT_CERT':
    case 'TLS':
      return { action: 'net.tlsFailure', outcome: 'failure' };
    case 'UNREACHABLE':
    case 'TIMEOUT':
      return { action: 'net.unreachable', outcome: 'failure' };
    case 'REDIRECT':
      return { action: 'net.redirectRefused', outcome: 'rejected' };
    case 'TOO_LARGE':
    case 'BAD_RESPONSE':
      return { action: 'net.badResponse', outcome: 'failure' };
  }
}
