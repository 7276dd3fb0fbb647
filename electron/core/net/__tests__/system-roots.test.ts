import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type TestPki, type TestServer, useOkServer } from '../../../../testing/tls';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../..');

let pki: TestPki, server: TestServer;
// A server whose certificate chains only to the unrelated CA; it accepts municipal client certificates, so
// a failure can only come from the client refusing the server.
useOkServer((p) => p.otherServer, (p, s) => ([pki, server] = [p, s]));

describe('CentralServerClient: no fallback to the system trust store', () => {
  it('refuses a server trusted by the process default roots (NODE_EXTRA_CA_CERTS) but not by the municipal CA', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'system-roots.child.ts'), pki.dir, String(server.port)], {
      cwd: ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(pki.dir, 'other-ca.crt') },
      timeout: 20_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { defaultTrust: unknown; pinned: unknown };
    // Control: with default trust, the unrelated CA is trusted in that process ...
    expect(result.defaultTrust).toBe(200);
    // ... yet the pinned client refuses the server.
    expect(result.pinned).toBe('TLS_UNTRUSTED');
    expect(server.clientCns).toEqual(['TERM-001']);
  });
});
