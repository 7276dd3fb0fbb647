// Types for scripts/check-node-lib.mjs (imported by electron/build/__tests__/node-version.test.ts).
export declare function parseEnginesRange(range: string | undefined): { major: number; minor: number; below: number };
export declare function satisfiesEngines(version: string, range: string): boolean;
