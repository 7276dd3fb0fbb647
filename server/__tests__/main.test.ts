import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTerminal, pkiPaths } from '../pki';
import { TEST_SCOPE, call, freePort, type ClientCert } from '../../testing/server';
import type { PullResponse, PushResponse } from '../../shared/sync/protocol';

// `npm run server` end to end: embedded PostgreSQL created on first start, data kept across a restart.
let root: string;
let data: string;
let port: number;
let pgPort: number;
let child: ChildProcess | null = null;

function startServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, MADOGUCHI_SERVER_DATA: data, PORT: String(port), PG_PORT: String(pgPort), HOST: '127.0.0.1', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = p;
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

function stopServer(): Promise<void> {
  const p = child;
  child = null;
  if (!p || p.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'madoguchi-main-'));
  await chmod(root, 0o755); // as root, the postgres user must be able to reach server-data/pg/data
  data = join(root, 'server-data');
  [port, pgPort] = [await freePort(), await freePort()];
}, 120_000);

afterAll(async () => {
  await stopServer();
  await rm(root, { recursive: true, force: true });
}, 120_000);

describe('npm run server', () => {
  it('starts with no setup, serves a terminal, and keeps its data across a restart', async () => {
    await startServer();
    const pki = pkiPaths(join(data, 'pki'));
    expect((await stat(pki.serverCert)).isFile()).toBe(true);
    expect((await stat(join(data, 'pg', 'data', 'PG_VERSION'))).isFile()).toBe(true);
    expect((await stat(join(data, 'pg', 'password'))).mode & 0o777).toBe(0o600);

    await issueTerminal(join(data, 'pki'), 'T001', { scope: TEST_SCOPE });
    const t1: ClientCert = { cert: await readFile(pki.terminalCert('T001'), 'utf8'), key: await readFile(pki.terminalKey('T001'), 'utf8') };
    const ca = await readFile(pki.caCert, 'utf8');
    const entityId = '0190d000-0000-7000-8000-000000000001';
    const pushed = await call(port, ca, t1, 'POST', '/v1/push', {
      terminalId: 'T001',
      mutations: [{ mutationId: 1, clientUuid: randomUUID(), entity: 'residents', entityId, op: 'insert', payload: { version: 1, atena_no: '1', name_kanji: '再起動', birth_date: '2016-02-03', sex: '9' } }],
    });
    expect((pushed.body as PushResponse).results).toEqual([{ mutationId: 1, status: 'applied' }]);

    await stopServer();
    await startServer();
    const pulled = (await call(port, ca, t1, 'GET', '/v1/pull?cursor=0')).body as PullResponse;
    expect(pulled.changes.map((c) => [c.entityId, c.payload.name_kanji])).toEqual([[entityId, '再起動']]);
    const again = await call(port, ca, t1, 'POST', '/v1/push', {
      terminalId: 'T001',
      mutations: [{ mutationId: 1, clientUuid: randomUUID(), entity: 'residents', entityId, op: 'insert', payload: { version: 1 } }],
    });
    expect((again.body as PushResponse).lastMutationId).toBe(1);
    await stopServer();
  }, 180_000);
});
