import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CentralServerClient, ServerClientConfigError } from '../server-client';
import { MemoryAudit } from './memory-audit';
import { type TestPki, type TestServer, useOkServer } from '../../../../testing/tls';

let pki: TestPki, s: TestServer;
useOkServer((p) => p.server, (p, server) => ([pki, s] = [p, server]));

function policy(): { url: string; caCertFile: string; clientCertFile: string; clientKeyFile: string } {
  return {
    url: `https://localhost:${s.port}`,
    caCertFile: join(pki.dir, 'ca.crt'),
    clientCertFile: join(pki.dir, 'client.crt'),
    clientKeyFile: join(pki.dir, 'client.key'),
  };
}

describe('CentralServerClient.fromPolicy and configuration checks', () => {
  it('reads the PEM files named by policy and reaches the server', async () => {
    const audit = new MemoryAudit();
    const c = CentralServerClient.fromPolicy(policy(), audit, { timeoutMs: 5_000 });
    try {
      expect(c.origin).toBe(`https://localhost:${s.port}`);
      expect(await c.request('GET', '/')).toEqual({ status: 200, json: { ok: true } });
      expect(s.clientCns).toEqual(['TERM-001']);
      expect(audit.entries).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('names a missing, unreadable or non-PEM file in Japanese', () => {
    const audit = new MemoryAudit();
    const missing = join(pki.dir, 'nope', 'ca.crt');
    expect(() => CentralServerClient.fromPolicy({ ...policy(), caCertFile: missing }, audit)).toThrow(
      `中央サーバ接続用のCA証明書（caCertFile）のファイルが見つかりません: ${missing}`,
    );
    const bad = join(pki.dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'key.pem'), 'not a key');
    expect(() => CentralServerClient.fromPolicy({ ...policy(), clientKeyFile: join(bad, 'key.pem') }, audit)).toThrow(
      `中央サーバ接続用の秘密鍵（clientKeyFile）がPEM形式ではありません: ${join(bad, 'key.pem')}`,
    );
    expect(() => CentralServerClient.fromPolicy({ ...policy(), clientCertFile: bad }, audit)).toThrow(
      /クライアント証明書（clientCertFile）のファイルを読み込めません（EISDIR）/,
    );
    expect(audit.entries).toEqual([]);
  });

  it('refuses an unusable base URL, a missing certificate, a bad CA, or a key that does not match', () => {
    const audit = new MemoryAudit();
    const base = { baseUrl: `https://localhost:${s.port}`, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, audit };
    const build = (o: Partial<typeof base>): CentralServerClient => new CentralServerClient({ ...base, ...o });
    expect(() => build({ baseUrl: `http://localhost:${s.port}` })).toThrow(/https で接続します/);
    expect(() => build({ baseUrl: 'https://user:pw@localhost/' })).toThrow(/利用者名・パスワード/);
    expect(() => build({ baseUrl: 'not a url' })).toThrow(/URLが正しくありません/);
    expect(() => build({ cert: '', key: '' })).toThrow(ServerClientConfigError);
    expect(() => build({ cert: '', key: '' })).toThrow(/そろっていません/);
    expect(() => build({ ca: 'garbage' })).toThrow(/CA証明書を読み取れません/);
    expect(() => build({ key: pki.otherClient.key })).toThrow(/組み合わせが一致しない/);
    build({}).close();
  });
});
