/**
 * Electron entry point: the ONLY module that loads the real 'electron' runtime. Everything it wires is in
 * bootstrap.ts, which the unit tests run against a recorded stand-in of this API.
 */
import * as electron from 'electron';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';

/** @electron/fuses FuseState values: '1' enabled, '0' disabled (ASCII codes in the fuse wire). */
const FUSE_ENABLE = 49;
const FUSE_DISABLE = 48;
import { loadMachinePolicy } from '../core/policy/policy-sources';
import { startShell } from './bootstrap';

const { app } = electron;
const run = promisify(execFile);

async function readFuses(): Promise<Record<string, boolean> | null> {
  if (!app.isPackaged) return null;
  try {
    const wire = await getCurrentFuseWire(process.execPath);
    const out: Record<string, boolean> = {};
    for (const [name, index] of Object.entries(FuseV1Options)) {
      if (typeof index !== 'number') continue;
      const state = (wire as unknown as Record<number, number | undefined>)[index];
      if (state === FUSE_ENABLE || state === FUSE_DISABLE) out[name] = state === FUSE_ENABLE;
    }
    return out;
  } catch {
    return null;
  }
}

async function readRemovableStorageRegistry(): Promise<string | null> {
  if (process.platform !== 'win32') return null;
  try {
    const { stdout } = await run('reg.exe', ['query', 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\RemovableStorageDevices', '/s'], { windowsHide: true });
    return stdout;
  } catch {
    return null;
  }
}

const root = app.isPackaged ? process.resourcesPath : app.getAppPath();
void startShell(electron, {
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  resourcesDir: join(root, 'resources'),
  rendererDir: join(app.getAppPath(), 'dist/renderer'),
  preloadPath: join(__dirname, 'preload.cjs'),
  loadPolicy: () => loadMachinePolicy(process.platform),
  readFuses,
  readRemovableStorageRegistry,
  setInterval: (fn, ms) => setInterval(fn, ms),
}).catch((e: unknown) => {
  console.error(`起動できません: ${(e as Error).message}`);
  app.exit(1);
});
