// Bundle the Electron main process and preload (CommonJS, as Electron's sandboxed preload requires).
// Native modules stay external: they are rebuilt for Electron's ABI and unpacked from the asar.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  external: ['electron', 'better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'zengin-code'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/electron/main.cjs' });
await build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.cjs' });
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
