import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db/database';
import { databasePath } from '../../core/app-core';
import { parsePolicy, PolicyError } from '../../core/policy/policy';
import { APP_EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../shared/ipc/transport';
import { DEMO_LOGINS, seedDemo } from '../../../testing/seed';
import { generatePki } from '../../../testing/tls';
import { signAssertion, type SoftCredential } from '../../../testing/webauthn';
import { startShell, type Shell, type ShellEnv } from '../bootstrap';
import { SafeStorageKeyProvider } from '../safe-storage-key-provider';
import { retireTerminal } from '../../core/retire/retire';
import { RETIRED_RECEIPT_FILE } from '../../core/db/retired';
import { fixedClock } from '../../../testing/clock';
import { APP_HOST, APP_ORIGIN } from '../app-origin';
import { createStandIn, FakeBrowserWindow, FakeEvent, FakeSafeStorage, FakeWebContents, type StandIn } from './stand-in';

const clerk = DEMO_LOGINS[0]!;
const policyRaw = {
  terminalId: 'DEMO-01',
  profileId: 'sample-osaka',
  centralServer: { url: 'https://central.example.lg.jp', caCertFile: '/etc/madoguchi/ca.pem', clientCertFile: '/etc/madoguchi/t.pem', clientKeyFile: '/etc/madoguchi/t.key' },
  idleLockMinutes: 5,
  idleLogoutMinutes: 30,
};

let dir: string;
let s: StandIn;
let shell: Shell | null;
let credentials: Record<string, SoftCredential>;
let signCount = 1;

function env(over: Partial<ShellEnv> = {}): ShellEnv {
  return {
    argv: ['madoguchi'],
    env: {},
    platform: 'linux',
    resourcesDir: join(import.meta.dirname, '../../../resources'),
    rendererDir: join(dir, 'renderer'),
    preloadPath: join(dir, 'preload.cjs'),
    loadPolicy: async () => ({ policy: parsePolicy(policyRaw, 'test'), source: 'file:/etc/madoguchi/policy.json' }),
    readFuses: async () => null,
    readRemovableStorageRegistry: async () => null,
    setInterval: () => 0,
    ...over,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shell-'));
  mkdirSync(join(dir, 'renderer/assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'renderer/assets/link.js'));
  const safe = new FakeSafeStorage();
  const userData = join(dir, 'userData');
  // Provision the terminal as IT would, through the same safeStorage-wrapped key.
  const kp = await SafeStorageKeyProvider.prepare(safe, join(userData, 'madoguchi.key.enc'));
  const db = openDatabase({ path: databasePath(userData), keyProvider: kp });
  credentials = (await seedDemo(db, { terminalId: 'DEMO-01', households: 3, at: new Date().toISOString() })).credentials;
  db.close();
  s = createStandIn(userData, safe);
  shell = null;
});

afterEach(() => {
  shell?.core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(over: Partial<ShellEnv> = {}): Promise<Shell> {
  shell = await startShell(s.api, env(over));
  if (!shell) throw new Error(`shell did not start: ${s.errorBoxes.join(' / ')}`);
  return shell;
}

const win = () => FakeBrowserWindow.instances[0]!;
const invoke = (frame: { url: string; parent: unknown } | null, channel: string, payload: unknown, sender = win().webContents) =>
  s.ipcHandlers.get(INVOKE_CHANNEL)!({ sender, senderFrame: frame === null ? null : frame }, channel, payload) as Promise<{ ok: boolean; error?: { code: string } }>;
const mainFrame = () => win().webContents.mainFrame;
type Env = { ok: boolean; data?: { stage: string; options?: { challenge: string } }; error?: { code: string } };
/** Answer a second-factor request from the renderer's side, as the authenticator would. */
async function secondFactor(r: Env): Promise<Env> {
  if (r.data?.stage !== 'second_factor') return r;
  const response = signAssertion(credentials[clerk.staffId]!, r.data.options!, APP_ORIGIN, APP_HOST, signCount++);
  return (await invoke(mainFrame(), 'auth.secondFactor', { response })) as Env;
}
const login = async () => secondFactor((await invoke(mainFrame(), 'auth.login', { staffId: clerk.staffId, password: clerk.password })) as Env);
const unlock = async (password: string) => secondFactor((await invoke(mainFrame(), 'auth.unlock', { password })) as Env);
const audited = (action: string) => shell!.core.audit.list({ limit: 10_000 }).filter((e) => e.action === action);

describe('window and renderer', () => {
  it('creates the window with safe webPreferences, loads the https app origin and protects content', async () => {
    await start();
    const w = win();
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: true });
    expect(w.loadedUrl).toBe('https://madoguchi.localhost/index.html');
    expect(w.contentProtection).toEqual([true]);
    // No application menu whose accelerators would take the access keys (Alt+E, Alt+H) or open developer tools.
    expect(s.menus).toEqual([null]);
    for (const e of ['show', 'restore']) w.emit(e);
    s.powerMonitor.emit('resume');
    s.powerMonitor.emit('unlock-screen');
    for (const e of ['display-added', 'display-removed', 'display-metrics-changed']) s.screen.emit(e);
    expect(w.contentProtection).toEqual(Array(8).fill(true));
  });

  it('turns devtools off in a packaged build', async () => {
    s.app.isPackaged = true;
    await start();
    expect(win().options.webPreferences?.devTools).toBe(false);
  });

  it('denies every permission, device chooser, screen capture and download', async () => {
    await start();
    const perms = ['media', 'display-capture', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'hid', 'usb', 'serial', 'midi', 'openExternal', 'pointerLock', 'idle-detection', 'window-management', 'unknown'];
    for (const p of perms) {
      let granted: boolean | null = null;
      s.session.permissionRequest!(null, p, (ok) => (granted = ok), {});
      expect(granted, p).toBe(false);
      expect(s.session.permissionCheck!(null, p, 'https://madoguchi.localhost', {}), p).toBe(false);
    }
    expect(s.session.devicePermission!({})).toBe(false);
    for (const [event, args] of [['select-usb-device', [{}]], ['select-hid-device', [{}]], ['select-serial-port', [[], {}]]] as const) {
      const ev = new FakeEvent();
      let picked: unknown = 'not called';
      s.session.emit(event, ev, ...args, (id?: string) => (picked = id));
      expect(ev.defaultPrevented, event).toBe(true);
      expect(picked === undefined || picked === '', event).toBe(true);
    }
    let streams: unknown = 'not called';
    s.session.displayMedia!({}, (x) => (streams = x));
    expect(streams).toBeNull();
    const dl = new FakeEvent();
    s.session.emit('will-download', dl, { getURL: () => 'https://evil.example/x?secret=1' });
    expect(dl.defaultPrevented).toBe(true);
    expect(s.session.spellChecker).toBe(false);
    expect(audited('shell.downloadRefused')[0]?.detail).toEqual({ origin: 'https://evil.example' });
    expect(audited('shell.permissionDenied')).toHaveLength(perms.length);
  });

  it('prevents navigation, new windows, webviews and bluetooth choosers in every webContents', async () => {
    await start();
    const wc = new FakeWebContents();
    s.app.emit('web-contents-created', new FakeEvent(), wc);
    const away = new FakeEvent();
    wc.emit('will-navigate', away, 'https://evil.example/login');
    expect(away.defaultPrevented).toBe(true);
    const inside = new FakeEvent();
    wc.emit('will-navigate', inside, 'https://madoguchi.localhost/index.html');
    expect(inside.defaultPrevented).toBe(false);
    const redirect = new FakeEvent();
    wc.emit('will-redirect', redirect, 'http://127.0.0.1:8080/');
    expect(redirect.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://madoguchi.localhost/' })).toEqual({ action: 'deny' });
    const webview = new FakeEvent();
    wc.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
    let bt: unknown = 'not called';
    const btEvent = new FakeEvent();
    wc.emit('select-bluetooth-device', btEvent, [{ deviceId: 'x' }], (id: string) => (bt = id));
    expect([btEvent.defaultPrevented, bt]).toEqual([true, '']);
  });

  it('cancels every renderer request that is not the app origin (http, https, ws, wss)', async () => {
    await start();
    const cancelled = (url: string) => {
      let r: { cancel: boolean } | null = null;
      s.session.beforeRequest!({ url }, (x) => (r = x));
      return r!.cancel;
    };
    expect(cancelled('https://madoguchi.localhost/assets/app.js')).toBe(false);
    for (const url of ['http://example.com/', 'https://central.example.lg.jp/api', 'ws://127.0.0.1:1/', 'wss://evil.example/', 'https://madoguchi.localhost@evil.example/', 'http://madoguchi.localhost/']) {
      expect(cancelled(url), url).toBe(true);
    }
    expect(audited('net.rendererRequestCancelled').map((e) => e.detail.destination)).toContain('https://central.example.lg.jp');
  });

  it('serves the UI through protocol.handle with the CSP and refuses traversal and other hosts', async () => {
    await start();
    const handle = s.protocolHandlers.get('https')!;
    const ok = await handle(new Request('https://madoguchi.localhost/index.html'));
    expect(ok.status).toBe(200);
    const csp = ok.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect((await handle(new Request('https://madoguchi.localhost/assets/app.js'))).status).toBe(200);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/link.js', '/nope.js']) {
      const r = await handle(new Request(`https://madoguchi.localhost${path}`));
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('SECRET');
    }
    expect((await handle(new Request('https://evil.example/index.html'))).status).toBe(403);
    expect((await handle(new Request('https://madoguchi.localhost/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('IPC', () => {
  it('checks the sender frame before anything else', async () => {
    await start();
    expect(await invoke(mainFrame(), 'auth.status', {})).toMatchObject({ ok: true });
    const before = audited('ipc.foreignSender').length;
    expect(await invoke({ url: 'https://evil.example/', parent: null }, 'auth.status', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await invoke({ url: 'https://madoguchi.localhost/frame.html', parent: mainFrame() }, 'auth.status', {})).toMatchObject({ ok: false });
    expect(await invoke(null, 'auth.status', {})).toMatchObject({ ok: false });
    expect(audited('ipc.foreignSender').length - before).toBe(3);
    // A login attempt from a foreign frame never reaches the core.
    await invoke({ url: 'https://evil.example/', parent: null }, 'auth.login', { staffId: clerk.staffId, password: clerk.password });
    expect(audited('auth.login')).toEqual([]);
  });
});

describe('launch', () => {
  it.each([
    [['madoguchi', '--inspect=9229'], {}],
    [['madoguchi', '--remote-debugging-port=9222'], {}],
    // Spelled as Chromium also accepts them: one dash, another case, a Windows slash; Electron's own inspect switch.
    [['madoguchi', '-remote-debugging-port=9222'], {}],
    [['madoguchi', '--Remote-Debugging-Port=9222'], {}],
    [['madoguchi', '/remote-debugging-port=9222'], {}],
    [['madoguchi', '--inspect-brk-node'], {}],
    // Switches that weaken TLS, the network path or the secret store.
    [['madoguchi', '--ignore-certificate-errors'], {}],
    [['madoguchi', '--proxy-server=http://10.0.0.9:8080'], {}],
    [['madoguchi', '--proxy-pac-url=http://x/p.pac'], {}],
    [['madoguchi', '--host-rules=MAP * 10.0.0.9'], {}],
    [['madoguchi', '--password-store=basic'], {}],
    [['madoguchi'], { NODE_OPTIONS: '--require /tmp/x.js' }],
    [['madoguchi'], { ELECTRON_RUN_AS_NODE: '1' }],
  ])('a packaged app refuses to start with %j %j', async (argv, e) => {
    s.app.isPackaged = true;
    expect(await startShell(s.api, env({ argv, env: e }))).toBeNull();
    expect(s.app.exitCode).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(s.errorBoxes[0]).toMatch(/起動しません/);
  });

  it('ordinary arguments start a packaged app (a file path, a value that only looks like a switch inside)', async () => {
    s.app.isPackaged = true;
    expect(await startShell(s.api, env({ argv: ['madoguchi', '/home/staff/provision.json', '--lang=ja'] }))).not.toBeNull();
    expect(s.errorBoxes).toEqual([]);
  });

  it('a development build may be debugged', async () => {
    await start({ argv: ['electron', '--inspect=9229'] });
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('a second instance quits; a missing policy or a foreign terminal ID stops with a message for IT', async () => {
    s.app.singleInstance = false;
    expect(await startShell(s.api, env())).toBeNull();
    expect(s.app.quitCalls).toBe(1);
    s.app.singleInstance = true;
    expect(await startShell(s.api, env({ loadPolicy: async () => { throw new PolicyError('ポリシーファイル /etc/madoguchi/policy.json がありません。'); } }))).toBeNull();
    expect(s.errorBoxes.at(-1)).toContain('ポリシーファイル');
    expect(await startShell(s.api, env({ loadPolicy: async () => ({ policy: parsePolicy({ ...policyRaw, terminalId: 'T999' }, 't'), source: 'x' }) }))).toBeNull();
    expect(s.errorBoxes.at(-1)).toContain('一致しません');
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});

describe('madoguchi --retire (the core\'s retireTerminal; the server side is tested in electron/core/retire)', () => {
  it('refuses, changing nothing, when the policy\'s central server cannot be used; no window opens', async () => {
    const before = readdirSync(s.app.userData).sort();
    const wrapped = readFileSync(join(s.app.userData, 'madoguchi.key.enc'));
    expect(await startShell(s.api, env({ argv: ['madoguchi', '--retire'] }))).toBeNull();
    expect(s.app.exitCode).toBe(1);
    expect(s.errorBoxes.at(-1)).toMatch(/^端末を廃止できませんでした: 中央サーバ接続用の.*ファイルが見つかりません/);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(readdirSync(s.app.userData).sort()).toEqual(before);
    expect(readFileSync(join(s.app.userData, 'madoguchi.key.enc'))).toEqual(wrapped);
    await start(); // the terminal still opens
  });

  it('a retired data directory: the wrapped keys and the database are gone, and the app refuses to open it', async () => {
    const kp = await SafeStorageKeyProvider.prepare(s.safeStorage, join(s.app.userData, 'madoguchi.key.enc'));
    const receipt = await retireTerminal({ dataDir: s.app.userData, keyProvider: kp, clock: fixedClock(), server: null, withoutServer: true });
    expect(receipt.removed.map((r) => r.file)).toContain('madoguchi.key.enc');
    expect(readdirSync(s.app.userData).filter((f) => f.startsWith('madoguchi'))).toEqual([RETIRED_RECEIPT_FILE]);
    expect(await startShell(s.api, env())).toBeNull();
    expect(s.errorBoxes.at(-1)).toContain('この端末は廃止されています');
    expect(await startShell(s.api, env({ argv: ['madoguchi', '--retire'] }))).toBeNull();
    expect(s.errorBoxes.at(-1)).toContain('この端末は廃止されています');
    expect(readdirSync(s.app.userData).filter((f) => f.startsWith('madoguchi'))).toEqual([RETIRED_RECEIPT_FILE]);
  });
});

describe('madoguchi --provision=FILE (the core\'s provisionFromFile, as npm run provision)', () => {
  const provisioning = (terminalId: string) => JSON.stringify({ terminalId, admin: { staffId: 'A0001', name: '管理　太郎', password: 'correct horse battery 1' }, numberBlock: { first: 1, last: 5000 } });

  it('provisions a new terminal with its safeStorage-wrapped key, deletes the file, opens no window; the app then starts', async () => {
    const fresh = join(dir, 'fresh');
    s = createStandIn(fresh, new FakeSafeStorage());
    const file = join(dir, 'provision.json');
    writeFileSync(file, provisioning('DEMO-01'));
    expect(await startShell(s.api, env({ argv: ['madoguchi', `--provision=${file}`] }))).toBeNull();
    expect(s.errorBoxes).toEqual([]);
    expect(s.app.exitCode).toBe(0);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(fresh, 'madoguchi.key.enc'))).toBe(true);
    const sh = await start();
    expect(sh.core.settings).toMatchObject({ provisioned: true, terminalId: 'DEMO-01' });
    expect(sh.core.db.prepare(`SELECT staff_id FROM staff`).all()).toEqual([{ staff_id: 'A0001' }]);
    // A provisioned terminal refuses a second file, which is left as it was.
    shell?.core.close();
    shell = null;
    writeFileSync(file, provisioning('DEMO-01'));
    expect(await startShell(s.api, env({ argv: ['madoguchi', '--provision', file] }))).toBeNull();
    expect(s.errorBoxes.at(-1)).toMatch(/^初期設定に失敗しました: /);
    expect(existsSync(file)).toBe(true);
  });

  it('a file for another terminal ID than the policy\'s is refused before anything is written', async () => {
    const fresh = join(dir, 'fresh2');
    s = createStandIn(fresh, new FakeSafeStorage());
    const file = join(dir, 'other.json');
    writeFileSync(file, provisioning('T999'));
    expect(await startShell(s.api, env({ argv: ['madoguchi', `--provision=${file}`] }))).toBeNull();
    expect(s.app.exitCode).toBe(1);
    expect(s.errorBoxes.at(-1)).toContain('端末ID（T999）がこの端末のポリシーの端末ID（DEMO-01）と一致しません');
    expect(existsSync(file)).toBe(true);
    expect(existsSync(databasePath(fresh))).toBe(false);
  });
});

describe('idle lock, clipboard and posture', () => {
  it('locks after the idle time, refuses work while locked, unlocks with the password, logs out later', async () => {
    const sh = await start();
    expect(await login()).toMatchObject({ ok: true, data: { stage: 'done' } });
    s.powerMonitor.idleSeconds = 299;
    sh.idle.tick();
    expect(await invoke(mainFrame(), 'residents.search', { kana: 'サ' })).toMatchObject({ ok: true });
    s.powerMonitor.idleSeconds = 300;
    sh.idle.tick();
    expect(win().webContents.sent).toContainEqual({ channel: APP_EVENT_CHANNEL, payload: { type: 'locked', reason: 'idle' } });
    expect(await invoke(mainFrame(), 'residents.search', { kana: 'サ' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await unlock('wrong-password-1')).toMatchObject({ ok: false });
    expect(await unlock(clerk.password)).toMatchObject({ ok: true, data: { stage: 'done' } });
    expect(await invoke(mainFrame(), 'residents.search', { kana: 'サ' })).toMatchObject({ ok: true });
    s.powerMonitor.idleSeconds = 1800;
    sh.idle.tick();
    expect(win().webContents.sent).toContainEqual({ channel: APP_EVENT_CHANNEL, payload: { type: 'ended', reason: 'idle_timeout' } });
    expect(await invoke(mainFrame(), 'residents.search', { kana: 'サ' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(audited('session.lock')[0]?.detail).toEqual({ reason: 'idle' });
  });

  it('locks at once on the OS lock screen and on suspend', async () => {
    await start();
    await login();
    s.powerMonitor.emit('lock-screen');
    expect(await invoke(mainFrame(), 'residents.search', { kana: 'サ' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(audited('session.lock')[0]?.detail).toEqual({ reason: 'os_lock' });
  });

  it('clears on lock only what the app itself put on the clipboard', async () => {
    await start();
    await login();
    const { createHash } = await import('node:crypto');
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    await invoke(mainFrame(), 'clipboard.recordCopy', { sha256: sha('宛名番号 900002') });
    s.clipboard.text = 'text from another application';
    s.powerMonitor.emit('lock-screen');
    await new Promise((r) => setTimeout(r, 10));
    expect(s.clipboard).toEqual({ text: 'text from another application', cleared: 0 });
    await unlock(clerk.password);
    s.clipboard.text = '宛名番号 900002';
    s.powerMonitor.emit('lock-screen');
    await new Promise((r) => setTimeout(r, 10));
    expect(s.clipboard).toEqual({ text: '', cleared: 1 });
  });

  it('records the posture check honestly (Linux: no content protection, removable policy unknown)', async () => {
    await start();
    const [entry] = audited('posture.check');
    expect(entry?.outcome).toBe('failure');
    const items = Object.fromEntries((entry?.detail.items as { check: string; status: string }[]).map((i) => [i.check, i.status]));
    expect(items).toMatchObject({ content_protection: 'not_effective', removable_storage_policy: 'unknown', fuses: 'unknown', packaged: 'fail', policy_source: 'ok', server_certificates: 'fail', key_store: 'ok' });
    expect((entry?.detail.items as { check: string; detail: string }[]).find((i) => i.check === 'key_store')?.detail).toContain('gnome_libsecret');
  });

  it('on Linux, refuses to start when safeStorage would only use basic_text: no key is created or read', async () => {
    s.safeStorage.backend = 'basic_text';
    expect(await startShell(s.api, env())).toBeNull();
    expect(s.errorBoxes[0]).toMatch(/basic_text.*起動を中止/);
    expect(existsSync(join(s.app.userData, 'madoguchi-audit.key.enc'))).toBe(false);
  });

  it('keeps the audit signing key wrapped by safeStorage (no plaintext key file), and the same key after a restart', async () => {
    const first = await start();
    const keyId = first.core.checkpoints.signer.keyId;
    expect(first.core.checkpoints.create('logout')).not.toBeNull();
    first.core.close();
    shell = null;
    const wrapped = readFileSync(join(s.app.userData, 'madoguchi-audit.key.enc'));
    expect(wrapped.toString('latin1')).not.toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(s.app.userData).filter((f) => /signing|audit\.key$/.test(f))).toEqual([]);
    const second = await start();
    expect(second.core.checkpoints.signer.keyId).toBe(keyId);
    expect(second.core.checkpoints.create('logout')).not.toBeNull();
  });

  it('on Windows, a packaged build with the deny policy, the fuses and the server certificates passes', async () => {
    s.app.isPackaged = true;
    const pki = generatePki();
    const files = { caCertFile: join(pki.dir, 'ca.crt'), clientCertFile: join(pki.dir, 'client.crt'), clientKeyFile: join(pki.dir, 'client.key') };
    const server = { ...policyRaw.centralServer, ...files };
    const fuses = { RunAsNode: false, EnableCookieEncryption: true, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false, EnableEmbeddedAsarIntegrityValidation: true, OnlyLoadAppFromAsar: true, GrantFileProtocolExtraPrivileges: false };
    const reg = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\RemovableStorageDevices\r\n    Deny_All    REG_DWORD    0x1\r\n';
    try {
      const sh = await start({ platform: 'win32', readFuses: async () => fuses, readRemovableStorageRegistry: async () => reg, loadPolicy: async () => ({ policy: parsePolicy({ ...policyRaw, centralServer: server }, 'r'), source: 'registry:HKLM\\SOFTWARE\\Policies\\Madoguchi' }) });
      expect(audited('posture.check')[0]?.detail.items).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'server_certificates', status: 'ok' })]));
      expect(audited('posture.check')[0]?.outcome).toBe('success');
      expect(sh.server).not.toBeNull();
    } finally {
      pki.cleanup();
    }
  });
});
