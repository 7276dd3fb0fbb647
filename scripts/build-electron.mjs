// Bundle the Electron main process and preload (options in scripts/electron-bundles.mjs).
import { build } from 'esbuild';
import { mainBundle, preloadBundle } from './electron-bundles.mjs';

await build(mainBundle);
await build(preloadBundle);
console.log(`built ${mainBundle.outfile} and ${preloadBundle.outfile}`);
