/**
 * The Electron main process: windows, the database key (safeStorage), and the bridge from Electron IPC to
 * the core's IPC router. The ONLY place that imports 'electron'. The hardening issue adds the custom
 * protocol, permission handlers, content protection, network and posture controls.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app-core';
import { openDatabase } from '../core/db/database';
import { loadRuleProfile, profilePath } from '../core/profile/load-profile';
import { provisionTerminal } from '../core/provision/provision';
import { shredFile } from '../core/provision/shred';
import { systemClock } from '../core/platform';
import { IpcRouter } from '../ipc/router';
import { SafeStorageKeyProvider } from './safe-storage-key-provider';

const PROFILE_ID = process.env.MADOGUCHI_PROFILE ?? 'sample-osaka';

function resourcesDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');
}

function fail(message: string): never {
  console.error(message);
  app.exit(1);
  throw new Error(message);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const keyProvider = await SafeStorageKeyProvider.prepare(join(dataDir, 'madoguchi.key.enc'));

  const provisionArg = process.argv.find((a) => a.startsWith('--provision='));
  if (provisionArg) {
    const file = provisionArg.slice('--provision='.length);
    const db = openDatabase({ path: join(dataDir, 'madoguchi.db'), keyProvider });
    try {
      const p = await provisionTerminal(db, JSON.parse(readFileSync(file, 'utf8')), systemClock);
      shredFile(file);
      console.log(`端末 ${p.terminalId} を初期設定しました。`);
    } finally {
      db.close();
      keyProvider.wipe();
    }
    return app.quit();
  }

  let core: Core;
  try {
    core = createCore({ dataDir, keyProvider, clock: systemClock, profile: loadRuleProfile(profilePath(resourcesDir(), PROFILE_ID)) });
  } catch (e) {
    return fail(`起動できません: ${(e as Error).message}`);
  } finally {
    keyProvider.wipe();
  }
  const router = new IpcRouter(core);
  ipcMain.handle('madoguchi:invoke', (event, channel: unknown, payload: unknown) => router.handle({ senderId: String(event.sender.id) }, channel, payload));

  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  const senderId = String(win.webContents.id);
  win.webContents.on('destroyed', () => core.auth.endSession(senderId, 'window_closed'));
  win.once('ready-to-show', () => win.show());
  await win.loadFile(join(app.getAppPath(), 'dist/renderer/index.html'));

  app.on('window-all-closed', () => {
    core.close();
    app.quit();
  });
}

main().catch((e: unknown) => fail(`起動できません: ${(e as Error).message}`));
