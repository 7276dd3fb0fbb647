import type { App, BrowserWindow, Clipboard, Dialog, IpcMain, Menu, PowerMonitor, Protocol, Screen, Session } from 'electron';
import { join } from 'node:path';
import { APP_EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';
import { GENERIC_MESSAGES } from '../../shared/ipc/errors';
import { createCore, WRAPPED_AUDIT_KEY_FILE, WRAPPED_KEY_FILE, type Core } from '../core/app-core';
import { loadRuleProfile, loadRuleTablesFromDir, profilePath } from '../core/profile/load-profile';
import type { LoadedPolicy } from '../core/policy/policy-sources';
import { systemClock } from '../core/platform';
import { IpcRouter } from '../ipc/router';
import { CentralServerClient } from '../core/net/server-client';
import type { PrinterPort } from '../core/printing/print-port';
import { APP_ENTRY } from './app-origin';
import { IdleWatch } from '../core/policy/idle-watch';
import { assessPosture } from './posture';
import { keyStoreBackend, keyStoreRefusal, SafeStorageKeyProvider, type KeyStoreApi } from './safe-storage-key-provider';
import { createAppRequestHandler } from './security/app-protocol';
import { ContentProtection } from './security/content-protection';
import { isTrustedSender } from './security/ipc-guard';
import { launchRefusal, switchName } from './security/launch-guard';
import { retireTerminal } from '../core/retire/retire';
import { provisionFromFile } from '../core/provision/provision-file';
import { lockDownSession, type ShellAudit } from './security/session-guards';
import { hardenWebContents } from './security/web-contents';
import { createMainWindow, type BrowserWindowCtor } from './windows';

/** The Electron API surface the shell uses; main.ts passes the real module, tests a recorded stand-in. */
export interface ShellApi {
  app: Pick<App, 'isPackaged' | 'requestSingleInstanceLock' | 'whenReady' | 'getPath' | 'quit' | 'exit' | 'on'>;
  BrowserWindow: BrowserWindowCtor;
  session: { defaultSession: Session };
  protocol: Pick<Protocol, 'handle'>;
  ipcMain: Pick<IpcMain, 'handle'>;
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleTime' | 'on'>;
  screen: Pick<Screen, 'on'>;
  clipboard: Pick<Clipboard, 'readText' | 'clear'>;
  safeStorage: KeyStoreApi;
  dialog: Pick<Dialog, 'showErrorBox'>;
  Menu: Pick<typeof Menu, 'setApplicationMenu'>;
}

/** Machine facts and platform readers, injected so tests can give honest values. */
export interface ShellEnv {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  resourcesDir: string;
  rendererDir: string;
  preloadPath: string;
  loadPolicy(): Promise<LoadedPolicy>;
  readFuses(): Promise<Record<string, boolean> | null>;
  readRemovableStorageRegistry(): Promise<string | null>;
  setInterval(fn: () => void, ms: number): unknown;
}

export interface Shell {
  core: Core;
  window: BrowserWindow;
  idle: IdleWatch;
  contentProtection: ContentProtection;
  policy: LoadedPolicy['policy'];
  server: CentralServerClient | null;
}

export const IDLE_TICK_MS = 10_000;
export const SYNC_INTERVAL_MS = 30_000;

function stop(api: ShellApi, message: string): null {
  console.error(message);
  try {
    api.dialog.showErrorBox('窓口端末を起動できません', message);
  } finally {
    api.app.exit(1);
  }
  return null;
}

/** Retire this terminal (README「端末の廃止」): report to the central server, destroy keys and database, leave a receipt. */
async function retireFromShell(api: ShellApi, env: ShellEnv): Promise<null> {
  const dataDir = api.app.getPath('userData');
  try {
    const keyProvider = await SafeStorageKeyProvider.prepare(api.safeStorage, join(dataDir, WRAPPED_KEY_FILE));
    try {
      const { policy } = await env.loadPolicy();
      const receipt = await retireTerminal({ dataDir, keyProvider, clock: systemClock, server: (audit) => CentralServerClient.fromPolicy(policy.centralServer, audit) });
      console.log(`端末 ${receipt.terminalId} を廃止しました。暗号鍵とデータベース（${receipt.removed.length} ファイル）を消去し、受領記録を残しました。`);
      api.app.exit(0);
      return null;
    } finally {
      keyProvider.wipe();
    }
  } catch (e) {
    return stop(api, `端末を廃止できませんでした: ${(e as Error).message}`);
  }
}

/**
 * `madoguchi --provision=FILE` (README「First run: provisioning」): the core's provisioning with this terminal's
 * safeStorage-wrapped key; the file's terminal ID must be the policy's. The file is overwritten and deleted; no window opens.
 */
async function provisionFromShell(api: ShellApi, env: ShellEnv, file: string): Promise<null> {
  const dataDir = api.app.getPath('userData');
  try {
    const { policy } = await env.loadPolicy();
    const keyProvider = await SafeStorageKeyProvider.prepare(api.safeStorage, join(dataDir, WRAPPED_KEY_FILE));
    try {
      const p = await provisionFromFile({ dataDir, keyProvider, file, clock: systemClock, expectedTerminalId: policy.terminalId });
      console.log(`端末 ${p.terminalId} を初期設定しました。管理者 ${p.admin.staffId} を登録し、${file} を削除しました。`);
      api.app.exit(0);
      return null;
    } finally {
      keyProvider.wipe();
    }
  } catch (e) {
    return stop(api, `初期設定に失敗しました: ${(e as Error).message}`);
  }
}

/** The value of `--name=value` (or `--name value`) in argv, or null. */
function switchValue(argv: readonly string[], name: string): string | null {
  const i = argv.findIndex((a) => switchName(a) === name);
  if (i < 0) return null;
  const eq = argv[i]!.indexOf('=');
  if (eq >= 0) return argv[i]!.slice(eq + 1);
  const next = argv[i + 1];
  return next !== undefined && !next.startsWith('-') ? next : '';
}

/** Start the app: every control of the hardened shell is wired here, in this order. */
export async function startShell(api: ShellApi, env: ShellEnv): Promise<Shell | null> {
  const packaged = api.app.isPackaged;
  const refusal = launchRefusal(env.argv, env.env, packaged);
  if (refusal) return stop(api, refusal);
  if (!api.app.requestSingleInstanceLock()) {
    api.app.quit();
    return null;
  }
  await api.app.whenReady();
  // No application menu: its default accelerators (Alt+E 編集, Alt+H ヘルプ on Windows, reload, developer tools)
  // would take the keys the counter's access keys use, and a counter terminal has nothing to offer there.
  api.Menu.setApplicationMenu(null);

  let loaded: LoadedPolicy;
  let core: Core;
  const keyStore = keyStoreBackend(api.safeStorage, env.platform);
  const keyStoreProblem = keyStoreRefusal(keyStore);
  if (keyStoreProblem) return stop(api, keyStoreProblem);
  // `madoguchi --retire`: the core's retirement (electron/core/retire/retire.ts) with this terminal's wrapped key
  // and the policy's central server; no window opens.
  if (env.argv.some((a) => switchName(a) === 'retire')) return retireFromShell(api, env);
  const provisionFile = switchValue(env.argv, 'provision');
  if (provisionFile !== null) return provisionFile ? provisionFromShell(api, env, provisionFile) : stop(api, '使い方: madoguchi --provision=provision.json');
  // The database key and the audit signing key's seed, each wrapped by safeStorage (crypto-erase: delete them).
  const keyProvider = await SafeStorageKeyProvider.prepare(api.safeStorage, join(api.app.getPath('userData'), WRAPPED_KEY_FILE)).catch((e: unknown) => e as Error);
  if (keyProvider instanceof Error) return stop(api, keyProvider.message);
  const auditKeyProvider = await SafeStorageKeyProvider.prepare(api.safeStorage, join(api.app.getPath('userData'), WRAPPED_AUDIT_KEY_FILE)).catch((e: unknown) => e as Error);
  if (auditKeyProvider instanceof Error) return stop(api, auditKeyProvider.message);
  // Printing goes through the main window's webContents, silently, to a policy-allowed device only.
  let mainWindow: BrowserWindow | null = null;
  const printerPort: PrinterPort = {
    list: async () =>
      mainWindow ? (await mainWindow.webContents.getPrintersAsync()).map((p) => ({ name: p.name, displayName: p.displayName, options: { ...(p.options as Record<string, string>) } })) : [],
    print: (senderId, printer) =>
      new Promise<void>((resolve, reject) => {
        const wc = mainWindow?.webContents;
        if (!wc || String(wc.id) !== senderId) return reject(new Error('no such renderer'));
        wc.print({ silent: true, deviceName: printer.name, printBackground: true }, (ok, reason) => (ok ? resolve() : reject(new Error(reason))));
      }),
  };
  try {
    loaded = await env.loadPolicy();
    core = createCore({
      dataDir: api.app.getPath('userData'),
      keyProvider,
      auditKeyProvider,
      clock: systemClock,
      profile: loadRuleProfile(profilePath(env.resourcesDir, loaded.policy.profileId)),
      ruleTables: loadRuleTablesFromDir(env.resourcesDir),
      printing: { port: printerPort, allowedPrinters: loaded.policy.allowedPrinters },
      password: loaded.policy.password,
      offlineGraceHours: loaded.policy.offlineGraceHours,
      exportDestination: { exportDestination: loaded.policy.exportDestination },
    });
  } catch (e) {
    return stop(api, (e as Error).message);
  } finally {
    keyProvider.wipe();
    auditKeyProvider.wipe();
  }
  const policy = loaded.policy;
  if (core.settings.provisioned && core.settings.terminalId !== policy.terminalId) {
    core.close();
    return stop(api, `端末ID がポリシー（${policy.terminalId}）とデータベース（${core.settings.terminalId}）で一致しません。IT担当者に連絡してください。`);
  }
  const audit: ShellAudit = (action, detail) => core.audit.append({ staffId: null, action, outcome: 'rejected', detail });

  lockDownSession(api.session.defaultSession, audit);
  api.protocol.handle('https', createAppRequestHandler(env.rendererDir, (d) => audit('net.rendererRequestRefused', d)));
  api.app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, audit, { packaged }));

  const router = new IpcRouter(core);
  api.ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event)) {
      audit('ipc.foreignSender', { url: event.senderFrame ? new URL(event.senderFrame.url).origin : null });
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: GENERIC_MESSAGES.UNKNOWN_CHANNEL } };
    }
    return router.handle({ senderId: String(event.sender.id) }, channel, payload);
  });

  const contentProtection = new ContentProtection({ powerMonitor: api.powerMonitor, screen: api.screen }, env.platform);
  const win = createMainWindow(api.BrowserWindow, env.preloadPath, packaged);
  mainWindow = win;
  contentProtection.protect(win);
  const senderId = String(win.webContents.id);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('destroyed', () => core.auth.endSession(senderId, 'window_closed'));
  api.app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  core.auth.onEvent((e) => {
    void core.clipboard.clearIfOurs(api.clipboard);
    if (e.senderId === senderId && !win.isDestroyed()) win.webContents.send(APP_EVENT_CHANNEL, { type: e.type, reason: e.reason });
  });
  const idle = new IdleWatch(api.powerMonitor, policy, { lock: (r) => core.auth.lockAll(r), logout: () => core.auth.endAll('idle_timeout') });
  env.setInterval(() => idle.tick(), IDLE_TICK_MS);

  // The central server connection (used by sync): its certificates are checked now and the result recorded.
  let server: CentralServerClient | null = null;
  let serverProblem: string | null = null;
  try {
    server = CentralServerClient.fromPolicy(policy.centralServer, core.audit);
  } catch (e) {
    serverProblem = (e as Error).message;
  }
  if (server) {
    core.sync.attach(server);
    void core.sync.runOnce();
    env.setInterval(() => void core.sync.runOnce(), SYNC_INTERVAL_MS);
  }
  const posture = assessPosture({
    serverClient: serverProblem,
    platform: env.platform,
    packaged,
    contentProtectionEffective: contentProtection.effective,
    policySource: loaded.source,
    removableStorageRegistry: await env.readRemovableStorageRegistry(),
    fuses: await env.readFuses(),
    keyStore,
  });
  core.audit.append({ staffId: null, action: 'posture.check', outcome: posture.ok ? 'success' : 'failure', detail: { items: posture.items } });

  // Quit waits until the clipboard is cleared of the app's text and the sessions are closed and audited.
  let quitting = false;
  api.app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void core.clipboard
      .clearIfOurs(api.clipboard)
      .catch(() => false)
      .finally(() => {
        core.auth.endAll('window_closed');
        api.app.quit();
      });
  });
  api.app.on('will-quit', () => core.close());
  await win.loadURL(APP_ENTRY);
  return { core, window: win, idle, contentProtection, policy, server };
}
