import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { demoLogin } from '../../testing/seed';
import { loginAs, useCounter } from '../../testing/browser';
import type { Harness } from '../harness/server';

const clerk = demoLogin('D1001');

let seeded: SeededCore, harness: Harness, page: Page;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 10 }, async (c) => {
  ({ seeded, harness } = c);
  page = await c.open(null); // at the login screen
});

const invoke = (channel: unknown, payload: unknown) =>
  page.evaluate(([c, p]) => window.madoguchi!.invoke(c as string, p), [channel, payload] as const);

const rejections = () => seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.outcome === 'rejected');

describe('requests forged from the page', () => {
  it('are rejected with a typed Japanese error and audited', async () => {
    const child = seeded.edges.byName.testChild!;
    const before = rejections().length;

    // Before login: a protected channel is refused.
    const noSession = await invoke('residents.search', { kana: 'シケン' });
    expect(noSession).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    // An unknown channel, even with a valid session.
    // The password alone does not make a session: the second factor is still missing.
    expect(await invoke('auth.login', { staffId: clerk.staffId, password: clerk.password })).toMatchObject({ ok: true, data: { stage: 'second_factor' } });
    expect(await invoke('residents.search', { kana: 'シケン' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await loginAs(page, clerk, seeded.edges.credentials[clerk.staffId]);
    await page.getByRole('heading', { name: '住民検索' }).waitFor();
    const unknown = await invoke('admin.exportAllResidents', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '許可されていない要求です。' } });
    expect(await invoke(42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });

    // Invalid payloads: extra field, wrong type, impossible date. Field errors are Japanese.
    const extra = await invoke('residents.search', { kana: 'シケン', includeMyNumber: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const wrongType = await invoke('residents.search', { kana: 12 });
    expect(wrongType.error?.fieldErrors?.kana).toMatch(/[ぁ-んァ-ン一-龥]/);
    const badDate = await invoke('residents.search', { birthDate: '2026-02-30' });
    expect(badDate.error?.fieldErrors?.birthDate).toContain('正しい年月日');
    const sqlish = await invoke('residents.get', { residentId: "' OR 1=1 --" });
    expect(sqlish).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // A right the clerk does not hold: 個人番号 reveal and audit verification.
    const reveal = await invoke('residents.revealMyNumber', { residentId: child.id, reason: '窓口申請' });
    expect(reveal).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(reveal)).not.toContain(child.myNumber!);
    expect(await invoke('audit.verify', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // A stale or forged certificate request is refused by the service too.
    // (A こども医療証 naming the child as its own 保護者.)
    const forgedIssue = await invoke('certificates.issue', { type: 'kodomo', residentId: child.id, issueKind: 'new', reissueReason: null, details: { guardianId: child.id }, nameChoice: 'real', printSex: true, residentVersion: 1 });
    expect(forgedIssue).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(forgedIssue.error?.fieldErrors?.['details.guardianId']).toContain('保護者');

    const rejected = rejections().slice(before).map((e) => `${e.action}:${String(e.detail.channel)}`);
    expect(rejected).toEqual([
      'ipc.rejected:residents.search',
      'ipc.rejected:residents.search',
      'ipc.unknownChannel:admin.exportAllResidents',
      'ipc.unknownChannel:(number)',
      'ipc.invalidPayload:residents.search',
      'ipc.invalidPayload:residents.search',
      'ipc.invalidPayload:residents.search',
      'ipc.invalidPayload:residents.get',
      'ipc.rejected:residents.revealMyNumber',
      'ipc.rejected:audit.verify',
      // Refused by the service itself (AuditLog.refuse): recorded under its own action, once.
      'certificates.issue:undefined',
    ]);
    // None of the forged requests reached a service that reads residents.
    const reads = seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'residents.search' || e.action === 'residents.view');
    expect(reads).toEqual([]);
    expect(seeded.core.audit.verify().ok).toBe(true);
  });

  it('cannot reach the core from another origin or with garbage frames', async () => {
    const port = new URL(harness.url).port;
    // A WebSocket from a foreign origin is refused at the upgrade.
    const foreign = new WebSocket(`ws://127.0.0.1:${port}/__harness/ipc`, { headers: { Origin: 'http://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      foreign.on('open', () => resolve('open'));
      foreign.on('error', () => resolve('refused'));
      foreign.on('close', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');

    // The right origin without this run's token (which only the served page gets) is refused too.
    const untokened = new WebSocket(`ws://127.0.0.1:${port}/__harness/ipc`, { headers: { Origin: `http://localhost:${port}` } });
    expect(await new Promise<string>((resolve) => {
      untokened.on('open', () => resolve('open'));
      untokened.on('error', () => resolve('refused'));
      untokened.on('close', () => resolve('refused'));
    })).toBe('refused');
    const token = /token=([0-9a-f]{48})/.exec(await (await fetch(`http://localhost:${port}/__harness/bridge.js`)).text())?.[1];
    expect(token).toBeDefined();
    const url = `ws://127.0.0.1:${port}/__harness/ipc?token=${token}`;

    // A message over 1 MiB closes that connection only; the harness (and the core) go on serving.
    const big = new WebSocket(url, { headers: { Origin: `http://localhost:${port}` } });
    await new Promise((r) => big.on('open', r));
    const closed = new Promise<number>((resolve) => big.on('close', (code) => resolve(code)));
    big.on('error', () => undefined);
    big.send(JSON.stringify({ id: 1, channel: 'auth.status', payload: { x: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    expect((await page.evaluate(() => window.madoguchi!.invoke('auth.status', {}))).ok).toBe(true);

    // A garbage frame from the right origin is answered with an error and audited.
    const ws = new WebSocket(url, { headers: { Origin: `http://localhost:${port}` } });
    await new Promise((r) => ws.on('open', r));
    const reply = await new Promise<string>((resolve) => {
      ws.on('message', (m) => resolve(String(m)));
      ws.send('{not json');
    });
    ws.close();
    expect(JSON.parse(reply)).toMatchObject({ result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } });
  });
});
