// Types for scripts/electron-bundles.mjs (imported by electron/build/__tests__/preload-bundle.test.ts).
import type { BuildOptions } from 'esbuild';
export declare const mainBundle: BuildOptions & { entryPoints: string[]; outfile: string };
export declare const preloadBundle: BuildOptions & { entryPoints: string[]; outfile: string };
