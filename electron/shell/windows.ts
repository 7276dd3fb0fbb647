import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The only webPreferences any window of this app is created with (scripts/check-webprefs.mjs fails the
 * build on any other). Sandbox, context isolation, no Node, web security, no <webview>, no devtools when
 * packaged, and nothing experimental.
 */
export function secureWebPreferences(preload: string, packaged: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !packaged,
    safeDialogs: true,
  };
}

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export function createMainWindow(Ctor: BrowserWindowCtor, preload: string, packaged: boolean): BrowserWindow {
  return new Ctor({
    width: 1280,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: '窓口端末',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preload, packaged),
  });
}
