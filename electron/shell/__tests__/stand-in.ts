/**
 * A recorded stand-in of the Electron API surface the shell uses (the one thing that cannot exist here:
 * the Electron runtime). It records every call and lets tests fire the events Electron would fire.
 * Everything behind it — core, database, router — is real.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ShellApi } from '../bootstrap';

type Listener = (...args: never[]) => unknown;

export class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, l: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
    return this;
  }
  once(event: string, l: Listener): this {
    return this.on(event, l);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => (l as (...a: unknown[]) => unknown)(...args));
  }
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextId = 1;
export class FakeWebContents extends Emitter {
  readonly id = nextId++;
  readonly mainFrame = { url: 'https://madoguchi.localhost/index.html', parent: null as unknown };
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  devToolsClosed = 0;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  closeDevTools(): void {
    this.devToolsClosed++;
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends Emitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly contentProtection: boolean[] = [];
  loadedUrl: string | null = null;
  shown = 0;
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  setContentProtection(on: boolean): void {
    this.contentProtection.push(on);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.emit('ready-to-show');
  }
  show(): void {
    this.shown++;
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

export class FakeSession extends Emitter {
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  devicePermission: ((d: unknown) => boolean) | null = null;
  displayMedia: ((req: unknown, cb: (streams: unknown) => void) => void) | null = null;
  beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
  spellChecker: boolean | null = null;
  readonly webRequest = {
    onBeforeRequest: (_filter: unknown, l: FakeSession['beforeRequest']) => {
      this.beforeRequest = l;
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']): void {
    this.devicePermission = h;
  }
  setDisplayMediaRequestHandler(h: FakeSession['displayMedia']): void {
    this.displayMedia = h;
  }
  setSpellCheckerEnabled(on: boolean): void {
    this.spellChecker = on;
  }
}

/** Stands in for the OS keystore behind safeStorage: AES-256-GCM under a key that lives only in memory. */
export class FakeSafeStorage {
  private readonly key = randomBytes(32);
  available = true;
  /** What safeStorage reports on Linux; 'basic_text' when no secret service runs. */
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret';
  getSelectedStorageBackend() {
    return this.backend;
  }
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  async encryptStringAsync(plain: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  async decryptStringAsync(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const d = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
    d.setAuthTag(data.subarray(12, 28));
    return { result: Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8'), shouldReEncrypt: false };
  }
}

export interface StandIn {
  api: ShellApi;
  app: Emitter & { isPackaged: boolean; singleInstance: boolean; exitCode: number | null; quitCalls: number; userData: string };
  session: FakeSession;
  protocolHandlers: Map<string, (r: Request) => Promise<Response>>;
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  powerMonitor: Emitter & { idleSeconds: number };
  screen: Emitter;
  clipboard: { text: string; cleared: number };
  safeStorage: FakeSafeStorage;
  errorBoxes: string[];
  /** Every application menu the shell set (null: none). */
  menus: unknown[];
}

export function createStandIn(userData: string, safeStorage = new FakeSafeStorage()): StandIn {
  FakeBrowserWindow.instances = [];
  const app = Object.assign(new Emitter(), { isPackaged: false, singleInstance: true, exitCode: null as number | null, quitCalls: 0, userData });
  const session = new FakeSession();
  const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const powerMonitor = Object.assign(new Emitter(), { idleSeconds: 0 });
  const screen = new Emitter();
  const clipboard = { text: '', cleared: 0 };
  const errorBoxes: string[] = [];
  const menus: unknown[] = [];
  const api = {
    app: Object.assign(app, {
      get isPackaged() {
        return app.isPackaged;
      },
      requestSingleInstanceLock: () => app.singleInstance,
      whenReady: async () => undefined,
      getPath: () => app.userData,
      quit: () => {
        app.quitCalls++;
      },
      exit: (code: number) => {
        app.exitCode = code;
      },
    }),
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession: session },
    protocol: { handle: (scheme: string, h: (r: Request) => Promise<Response>) => protocolHandlers.set(scheme, h) },
    ipcMain: { handle: (channel: string, h: (event: unknown, ...args: unknown[]) => unknown) => ipcHandlers.set(channel, h) },
    powerMonitor: Object.assign(powerMonitor, { getSystemIdleTime: () => powerMonitor.idleSeconds }),
    screen,
    clipboard: { readText: async () => clipboard.text, clear: async () => { clipboard.text = ''; clipboard.cleared++; } },
    safeStorage,
    dialog: { showErrorBox: (_t: string, m: string) => errorBoxes.push(m) },
    Menu: { setApplicationMenu: (m: unknown) => menus.push(m) },
  } as unknown as ShellApi;
  return { api, app, session, protocolHandlers, ipcHandlers, powerMonitor, screen, clipboard, safeStorage, errorBoxes, menus };
}
