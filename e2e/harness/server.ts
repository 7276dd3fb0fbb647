import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../../electron/core/app-core';
import { IpcRouter } from '../../electron/ipc/router';
import { BRIDGE_SCRIPT } from './bridge-client';
import { CONTENT_TYPES as TYPES } from '../../electron/core/content-types';
import { IdleWatch } from '../../electron/core/policy/idle-watch';

/**
 * The test/demo harness: the real core and IPC router in Node, the built renderer served on 127.0.0.1,
 * and `window.madoguchi` carried over a loopback WebSocket. Never packaged; binds to loopback only.
 */
export interface Harness {
  url: string;
  router: IpcRouter;
  close(): Promise<void>;
}

/**
 * The shell's idle lock (electron/shell/idle.ts, the policy's idleLockMinutes/idleLogoutMinutes) in the harness:
 * idle time is the time on the core's clock since the page last reported input (the bridge sends keys, pointer and
 * wheel), where the shell reads the OS's idle time. Tests give short times or move the core's clock.
 */
export interface HarnessIdle {
  lockMinutes: number;
  logoutMinutes: number;
  /** How often idle time is checked (the shell: every 10 s). */
  tickMs?: number;
}

export const RENDERER_DIST = resolve(import.meta.dirname, '../../dist/renderer');
const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startHarness(core: Core, opts: { port?: number; rendererDir?: string; idle?: HarnessIdle } = {}): Promise<Harness> {
  const root = opts.rendererDir ?? RENDERER_DIST;
  const indexHtml = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
    throw new Error(`レンダラーがビルドされていません（${root}）。先に npm run build:renderer を実行してください。`);
  });
  const router = new IpcRouter(core);
  let origin = '';
  // A token per run, given only to the page this harness serves: a client that did not load the page (another
  // local process, a stale tab of an earlier run) cannot open the bridge even from the right origin.
  const token = randomBytes(24).toString('hex');

  const server = createServer((req, res) => {
    void serve(req, res).catch(() => send(res, 500, 'text/plain', 'error'));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    const path = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    if (path === '/__harness/bridge.js') return send(res, 200, TYPES['.js']!, BRIDGE_SCRIPT.replace('__HARNESS_TOKEN__', token));
    if (path === '/' || path === '/index.html') {
      const html = indexHtml.replace('<head>', '<head>\n    <script src="/__harness/bridge.js"></script>');
      return send(res, 200, TYPES['.html']!, html);
    }
    // Path-traversal guard: resolve inside the renderer directory or refuse.
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return send(res, 404, 'text/plain', 'not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return send(res, 404, 'text/plain', 'not found');
    send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  }

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
    const wsOrigin = origin.replace(/^http/, 'ws');
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self'; connect-src ${wsOrigin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    });
    res.end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // Only the page this harness serves may talk to the core.
    if (req.url !== `/__harness/ipc?token=${token}` || req.headers.origin !== origin) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  let lastInput = core.clock.now().getTime();
  let idleTimer: ReturnType<typeof setInterval> | null = null;
  if (opts.idle) {
    const idle = new IdleWatch(
      { getSystemIdleTime: () => Math.max(0, (core.clock.now().getTime() - lastInput) / 1000), on: () => undefined },
      { idleLockMinutes: opts.idle.lockMinutes, idleLogoutMinutes: opts.idle.logoutMinutes },
      { lock: (r) => core.auth.lockAll(r), logout: () => core.auth.endAll('idle_timeout') },
    );
    idleTimer = setInterval(() => idle.tick(), opts.idle.tickMs ?? 10_000);
  }

  let nextSender = 1;
  function connection(ws: WebSocket): void {
    const senderId = `harness-${nextSender++}`;
    // A message over MAX_MESSAGE_BYTES (or any protocol error) closes this connection only; without a listener
    // the 'error' event would end the whole process.
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw) => {
      void (async () => {
        let msg: { id?: unknown; channel?: unknown; payload?: unknown; activity?: unknown };
        try {
          msg = JSON.parse(String(raw)) as typeof msg;
        } catch {
          msg = {};
        }
        if (msg.activity === true) {
          lastInput = core.clock.now().getTime();
          return;
        }
        const result = await router.handle({ senderId }, msg.channel, msg.payload);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id ?? null, result }));
      })();
    });
    // Session events (lock, end) for this renderer, as Electron's webContents.send would deliver them.
    const unsubscribe = core.auth.onEvent((e) => {
      if (e.senderId === senderId && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: { type: e.type, reason: e.reason } }));
    });
    ws.on('close', () => {
      unsubscribe();
      try {
        core.auth.endSession(senderId, 'window_closed');
      } catch {
        // The core may already be closed when the harness shuts down.
      }
    });
  }

  await new Promise<void>((ok) => server.listen(opts.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  // 'localhost' (a secure context, and a valid WebAuthn RP ID) rather than 127.0.0.1.
  origin = `http://localhost:${port}`;
  core.auth.options.webauthn.origins.push(origin);
  return {
    url: `${origin}/`,
    router,
    close: () =>
      new Promise<void>((ok) => {
        if (idleTimer) clearInterval(idleTimer);
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
      }),
  };
}
