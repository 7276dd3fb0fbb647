/**
 * The destination guard: the main process may reach only the central server named in the policy. A URL is
 * allowed when, after WHATWG URL normalisation (host case, default port, IDNA, IPv4 forms), its origin —
 * scheme, host and port — equals the policy base URL's origin. Everything else is refused.
 */

/** A destination other than the central server. The message is Japanese and names the origin only. */
export class DestinationRefusedError extends Error {
  readonly code = 'DESTINATION_REFUSED';

  constructor(
    /** The refused origin (never path, query or credentials). */
    readonly destination: string,
  ) {
    super(`接続先（${destination}）は中央サーバではないため接続しません。この端末は中央サーバ以外には接続できません。`);
    this.name = 'DestinationRefusedError';
  }
}

/** The base URL or the certificate files are unusable: a setup problem for IT, raised before any connection. */
export class ServerClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerClientConfigError';
  }
}

/** What may be recorded about a URL: its origin, or its scheme when it has no origin (file:, data: ...). */
export function describeDestination(url: URL): string {
  return url.origin !== 'null' ? url.origin : url.protocol;
}

/** Parses and checks the policy's central server URL: https, no credentials. */
export function parseBaseUrl(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ServerClientConfigError('中央サーバのURLが正しくありません。IT担当者がポリシーを確認してください。');
  }
  if (base.protocol !== 'https:') {
    throw new ServerClientConfigError('中央サーバには https で接続します。IT担当者がポリシーのURLを確認してください。');
  }
  if (base.username !== '' || base.password !== '') {
    throw new ServerClientConfigError('中央サーバのURLに利用者名・パスワードを含めることはできません。IT担当者がポリシーを確認してください。');
  }
  return base;
}

export type DestinationCheck = { ok: true; url: URL } | { ok: false; destination: string };

/**
 * Resolves `target` (absolute, or relative to the base URL) and checks it against the base origin. Refused:
 * another scheme, host or port; credentials in the URL (`https://server@evil` has the origin of `evil`, and
 * `https://user@server` is refused too); URLs that do not parse.
 */
export function checkDestination(base: URL, target: string): DestinationCheck {
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return { ok: false, destination: '(解析できないURL)' };
  }
  const destination = describeDestination(url);
  if (url.protocol !== 'https:') return { ok: false, destination };
  if (url.username !== '' || url.password !== '') return { ok: false, destination };
  if (url.origin !== base.origin) return { ok: false, destination };
  return { ok: true, url };
}
