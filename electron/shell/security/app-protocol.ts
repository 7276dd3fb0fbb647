import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY } from '../app-origin';
import { CONTENT_TYPES as TYPES } from '../../core/content-types';

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export type RefusedRequest = (detail: { url: string; why: 'foreign_host' | 'method' | 'traversal' | 'not_found' }) => void;

/**
 * The handler behind protocol.handle('https', …): serves the built renderer for APP_HOST only, with the
 * CSP on every response. Any other host is refused (the renderer has no network) and reported.
 */
export function createAppRequestHandler(rendererDir: string, onRefused: RefusedRequest): (request: Request) => Promise<Response> {
  const rootReal = realpath(rendererDir);
  rootReal.catch(() => undefined); // reported on the first request instead of as an unhandled rejection
  const refuse = (status: number, url: string, why: Parameters<RefusedRequest>[0]['why']) => {
    onRefused({ url: originOnly(url), why });
    return new Response(null, { status, headers: SECURITY_HEADERS });
  };
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || url.protocol !== 'https:' || url.username || url.password) return refuse(403, request.url, 'foreign_host');
    if (request.method !== 'GET') return refuse(405, request.url, 'method');
    const root = await rootReal;
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, request.url, 'traversal');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    if (rel.includes('\0')) return refuse(400, request.url, 'traversal');
    const candidate = normalize(join(root, rel));
    if (!candidate.startsWith(root + sep)) return refuse(404, request.url, 'traversal');
    const real = await realpath(candidate).catch(() => null);
    if (!real || !real.startsWith(root + sep)) return refuse(404, request.url, real ? 'traversal' : 'not_found');
    const info = await stat(real);
    if (!info.isFile()) return refuse(404, request.url, 'not_found');
    const body = await readFile(real);
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(real)] ?? 'application/octet-stream' } });
  };
}

/** Only scheme, host and port go into the audit log (a URL's path or query could carry data). */
export function originOnly(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid url)';
  }
}
