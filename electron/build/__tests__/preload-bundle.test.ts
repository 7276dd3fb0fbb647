import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { preloadBundle } from '../../../scripts/electron-bundles.mjs';

// The preload runs in every renderer process before the page: it must stay a thin allow-list
// (electron/shell/bridge-api.ts over shared/ipc/channel-names.ts and shared/ipc/transport.ts). It once pulled
// in all of zod through shared/ipc/events.ts (≈760 KB). Built here with the options of
// scripts/build-electron.mjs, in memory, and checked through esbuild's metafile.
const ROOT = join(import.meta.dirname, '../../..');
// Generous for an allow-list of a few hundred channel names; far below any bundled library.
const MAX_PRELOAD_BYTES = 32 * 1024;

async function buildPreload() {
  const result = await build({ ...preloadBundle, absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  const bytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
  return { inputs, bytes };
}

describe('the preload bundle (dist/electron/preload.cjs)', () => {
  it('is built from the bridge and the zod-free channel lists', async () => {
    const { inputs } = await buildPreload();
    expect(inputs).toEqual(
      expect.arrayContaining(['electron/shell/preload.ts', 'electron/shell/bridge-api.ts', 'shared/ipc/channel-names.ts', 'shared/ipc/transport.ts']),
    );
  });

  it('contains no zod module', async () => {
    const { inputs } = await buildPreload();
    expect(inputs.filter((p) => /(^|\/)node_modules\/zod\//.test(p))).toEqual([]);
  });

  it(`stays under ${MAX_PRELOAD_BYTES / 1024} KB`, async () => {
    const { bytes, inputs } = await buildPreload();
    console.log(`preload bundle: ${bytes} bytes from ${inputs.length} modules (${inputs.join(', ')})`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(MAX_PRELOAD_BYTES);
  });
});
