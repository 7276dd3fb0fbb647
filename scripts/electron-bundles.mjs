// The esbuild options of the Electron main process and preload bundles, shared by scripts/build-electron.mjs
// and electron/build/__tests__/preload-bundle.test.ts (which builds the preload with these options and
// checks what goes into it).
// CommonJS, as Electron's sandboxed preload requires. Native modules stay external: they are rebuilt for
// Electron's ABI and unpacked from the asar. The target is the Node line the pinned Electron embeds (package.json
// engines; electron/build/__tests__/node-version.test.ts keeps them together).
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  sourcemap: false,
  external: ['electron', 'better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'zengin-code'],
  logLevel: 'warning',
};

export const mainBundle = { ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/electron/main.cjs' };
export const preloadBundle = { ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.cjs' };
