import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { DomainError } from '../../errors';
import { ServerConnectionError } from '../../net/errors';
import { uploadAuditOnce } from '../audit-upload';
import { forStaff, UNEXPECTED_SYNC_FAILURE } from '../sync-runner';
import { SyncError, type SyncTransport } from '../sync-engine';

/**
 * No developer text reaches staff from sync (issue 14 §4): a server answering with an unexpected status, or a
 * programming error inside a step, gives staff Japanese words; the HTTP status and the error's own text go to the
 * audit detail (`technical`) for IT.
 */
/**
 * Developer text: an HTTP status, a three-digit code, or any ASCII word (JSON keys, class names, English), once
 * the words staff use (「IT担当者」) are set aside.
 */
const DEVELOPER_TEXT = /HTTP|\b\d{3}\b|[A-Za-z]{2,}/;
const developerText = (s: string | null | undefined) => (s ?? '').replaceAll('IT担当者', '').match(DEVELOPER_TEXT)?.[0] ?? null;

/** A central server that answers every request with `status` and an empty body. */
function answering(status: number): SyncTransport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    request: async (_method, url) => {
      paths.push(url);
      return { status, json: {} };
    },
  };
}

let a: SeededCore;
beforeEach(async () => {
  a = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
});
afterEach(() => a.cleanup());

describe('what staff read when the central server refuses', () => {
  for (const status of [500, 503, 400]) {
    it(`a round against a server answering ${status}: every step says what failed in Japanese; the status is in the audit detail only`, async () => {
      const server = answering(status);
      a.core.sync.attach(server);
      await a.core.sync.runNow('D8001');
      expect(server.paths).toEqual(expect.arrayContaining(['/v1/time', '/v1/push'])); // the steps ran and each failed
      const { lastError } = a.core.sync.status();
      expect(lastError).toMatch(/時刻：.*送信：中央サーバが送信を受け付けませんでした。.*受信：中央サーバから変更を受け取れませんでした。/);
      expect(developerText(lastError)).toBeNull();
      const logged = a.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'sync.now').at(-1);
      expect(logged?.detail).toMatchObject({ technical: `送信：HTTP ${status} 受信：HTTP ${status}` });
      expect(JSON.stringify(logged?.detail.why)).not.toMatch(/HTTP/);
    });
  }

  it('an audit upload refused (409 is an answer, 502 is not): the message names the audit log, the status stays technical', async () => {
    a.core.audit.append({ staffId: 'D1001', action: 'auth.login', outcome: 'success' });
    const refused = await uploadAuditOnce(a.core.db, answering(502), 'DEMO-01').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncError);
    expect((refused as SyncError).message).toBe('中央サーバが監査ログを受け付けませんでした。');
    expect(developerText((refused as SyncError).message)).toBeNull();
    expect((refused as SyncError).technical).toBe('HTTP 502');
  });

  it('a conflict decision the server refuses with 500: a Japanese message, the status in the audit detail', async () => {
    a.core.sync.attach(answering(500));
    const refused = await a.core.sync.resolveConflict(1, 'apply_terminal', 'D8001', '確認済み').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toMatch(/競合の解決を受け付けませんでした/);
    expect(developerText((refused as DomainError).message)).toBeNull();
    expect((refused as DomainError).technical).toBe('HTTP 500');
  });
});

describe('forStaff: a step failure in words for the sync screen', () => {
  it('a programming or database error is not shown: staff read a general message, IT the error', () => {
    const said = forStaff(new TypeError("Cannot read properties of undefined (reading 'version')"));
    expect(said.message).toBe(UNEXPECTED_SYNC_FAILURE);
    expect(developerText(said.message)).toBeNull();
    expect(said.technical).toBe("TypeError: Cannot read properties of undefined (reading 'version')");
    expect(forStaff(Object.assign(new Error('no such column: staff_id'), { code: 'SQLITE_ERROR' })).message).toBe(UNEXPECTED_SYNC_FAILURE);
  });

  it('the errors written for staff keep their words; the connection error keeps its cause code for IT', () => {
    const down = new ServerConnectionError('UNREACHABLE', 'ECONNREFUSED');
    expect(forStaff(down)).toEqual({ message: down.message, technical: 'ECONNREFUSED' });
    expect(developerText(down.message)).toBeNull();
    expect(forStaff(new SyncError('中央サーバから変更を受け取れませんでした。', 'HTTP 500'))).toEqual({ message: '中央サーバから変更を受け取れませんでした。', technical: 'HTTP 500' });
  });
});

describe('number leases for a 事務 the terminal does not serve', () => {
  it('a type the server refuses with 403 is asked for once, not in every round; a served type is asked again', async () => {
    const leaseAsks: string[] = [];
    const server: SyncTransport = {
      request: async (_method, url, body) => {
        if (url !== '/v1/leases') return { status: 500, json: {} };
        const { certType } = body as { certType: string };
        leaseAsks.push(certType);
        // Serves こども医療 only; its quota is used up (429), which is no reason to stop asking.
        return { status: certType === 'kodomo' ? 429 : 403, json: {} };
      },
    };
    // No numbers left on the terminal: every type is below the low-water mark and would be asked for.
    a.core.db.prepare('UPDATE number_blocks SET next_serial = last_serial + 1').run();
    a.core.sync.attach(server);
    await a.core.sync.runNow('D8001');
    const first = [...leaseAsks];
    expect(first).toContain('kodomo');
    expect(first).toContain('kokuho_shikaku');
    leaseAsks.length = 0;
    await a.core.sync.runNow('D8001');
    expect(leaseAsks).toEqual(['kodomo']);
  });
});
