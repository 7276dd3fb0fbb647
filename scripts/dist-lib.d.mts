// Types for scripts/dist-lib.mjs (imported by electron/build/__tests__/builder-config.test.ts).
type Env = Record<string, string | undefined>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- electron-builder configuration objects (validated by its JSON schema)
type Config = Record<string, any>;
export declare const AZURE_VARS: Readonly<Record<'endpoint' | 'codeSigningAccountName' | 'certificateProfileName' | 'publisherName', string>>;
export declare function isRelease(env: Env): boolean;
export declare function windowsSigning(env: Env): { mode: 'azure' | 'signtool-store' | 'signtool-file' | 'none'; problems: string[] };
export declare function configOverrides(env: Env): Config;
export declare function mergeConfig(base: Config, overrides: Config): Config;
export declare function preflightProblems(input: {
  env: Env;
  platform: string;
  hostPlatform: string;
  packageJson: Record<string, unknown>;
  targets: string[];
}): string[];
export declare function electronZipName(version: string, platform: string, arch: string): string;
export declare function electronCacheRoots(env: Env, platform?: string, home?: string): string[];
export declare function findCachedElectronZip(roots: string[], version: string, zipName: string): string | null;
export declare function electronDownloadUrl(env: Env, version: string, zipName: string): string;
