// Pure helpers for scripts/dist.mjs: what the environment adds to electron-builder.yml (signing, release
// enforcement, a local Electron runtime) and what must be true before a build starts. No I/O except the
// read-only checks that take paths; tested by electron/build/__tests__/builder-config.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AZURE_VARS = {
  endpoint: 'MADOGUCHI_AZURE_SIGN_ENDPOINT',
  codeSigningAccountName: 'MADOGUCHI_AZURE_SIGN_ACCOUNT',
  certificateProfileName: 'MADOGUCHI_AZURE_SIGN_PROFILE',
  publisherName: 'MADOGUCHI_AZURE_SIGN_PUBLISHER',
};

const set = (env, name) => typeof env[name] === 'string' && env[name].trim() !== '';
const val = (env, name) => env[name].trim();

/** True when MADOGUCHI_RELEASE=1: code signing becomes mandatory. */
export function isRelease(env) {
  return env.MADOGUCHI_RELEASE === '1';
}

/**
 * How Windows binaries will be signed, decided from the environment only.
 * Returns { mode: 'azure' | 'signtool-store' | 'signtool-file' | 'none', problems: string[] }.
 */
export function windowsSigning(env) {
  const azureGiven = Object.values(AZURE_VARS).filter((n) => set(env, n));
  const storeGiven = set(env, 'MADOGUCHI_WIN_CERT_SHA1') || set(env, 'MADOGUCHI_WIN_CERT_SUBJECT');
  const fileGiven = set(env, 'WIN_CSC_LINK') || set(env, 'CSC_LINK');
  const problems = [];
  const modes = [azureGiven.length > 0 && 'azure', storeGiven && 'signtool-store', fileGiven && 'signtool-file'].filter(Boolean);
  if (modes.length > 1) problems.push(`more than one Windows signing method is configured (${modes.join(', ')}); set the variables of exactly one`);
  if (azureGiven.length > 0 && azureGiven.length < Object.keys(AZURE_VARS).length) {
    const missing = Object.values(AZURE_VARS).filter((n) => !set(env, n));
    problems.push(`Azure Trusted Signing is partly configured; missing ${missing.join(', ')}`);
  }
  return { mode: modes[0] ?? 'none', problems };
}

/**
 * The configuration that scripts/dist.mjs passes to electron-builder's build(); electron-builder merges it
 * over electron-builder.yml (objects merged, arrays concatenated, scalars replaced).
 */
export function configOverrides(env) {
  /** @type {Record<string, any>} */
  const config = { publish: null, forceCodeSigning: isRelease(env) };
  const { mode } = windowsSigning(env);
  if (mode === 'azure') {
    // signtoolOptions would be ignored next to azureSignOptions; null makes that explicit.
    config.win = { azureSignOptions: Object.fromEntries(Object.entries(AZURE_VARS).map(([k, n]) => [k, val(env, n)])), signtoolOptions: null };
  } else if (mode === 'signtool-store') {
    const signtoolOptions = {};
    if (set(env, 'MADOGUCHI_WIN_CERT_SHA1')) signtoolOptions.certificateSha1 = val(env, 'MADOGUCHI_WIN_CERT_SHA1');
    if (set(env, 'MADOGUCHI_WIN_CERT_SUBJECT')) signtoolOptions.certificateSubjectName = val(env, 'MADOGUCHI_WIN_CERT_SUBJECT');
    config.win = { signtoolOptions };
  }
  if (mode.startsWith('signtool') && set(env, 'MADOGUCHI_WIN_TIMESTAMP_URL')) {
    config.win = config.win ?? { signtoolOptions: {} };
    config.win.signtoolOptions.rfc3161TimeStampServer = val(env, 'MADOGUCHI_WIN_TIMESTAMP_URL');
  }
  if (set(env, 'MADOGUCHI_ELECTRON_DIST')) config.electronDist = val(env, 'MADOGUCHI_ELECTRON_DIST');
  if (set(env, 'MADOGUCHI_HOMEPAGE')) config.extraMetadata = { homepage: val(env, 'MADOGUCHI_HOMEPAGE') };
  return config;
}

/** electron-builder's merge of configuration objects (builder-util-runtime deepAssign), for tests. */
export function mergeConfig(base, overrides) {
  const clone = (x) => JSON.parse(JSON.stringify(x)); // configurations are plain JSON (parsed YAML)
  const out = clone(base);
  const assign = (to, from) => {
    for (const [key, value] of Object.entries(from)) {
      if (value === undefined) continue;
      const prev = to[key];
      const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
      if (isObj(prev) && isObj(value)) assign(prev, value);
      else if (Array.isArray(prev) && Array.isArray(value)) to[key] = Array.from(new Set([...prev, ...value]));
      else to[key] = value === null ? null : clone(value);
    }
  };
  assign(out, overrides);
  return out;
}

/** Problems that stop a build before it starts (one line each). */
export function preflightProblems({ env, platform, hostPlatform, packageJson, targets }) {
  const problems = [];
  if (platform !== hostPlatform) {
    problems.push(
      `cannot build for ${platform} on ${hostPlatform}: the native modules (better-sqlite3-multiple-ciphers, @node-rs/argon2) are platform-specific; build each installer on its own OS`,
    );
  }
  if (platform === 'win32') {
    const { mode, problems: signing } = windowsSigning(env);
    problems.push(...signing);
    if (isRelease(env) && mode === 'none') {
      problems.push('MADOGUCHI_RELEASE=1 but no Windows signing is configured (see security/SIGNING.md)');
    }
  }
  if (platform === 'linux' && targets.includes('deb') && !packageJson.homepage && !set(env, 'MADOGUCHI_HOMEPAGE')) {
    problems.push('the deb target needs a project homepage: add "homepage" to package.json or set MADOGUCHI_HOMEPAGE');
  }
  return problems;
}

export function electronZipName(version, platform, arch) {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** Where @electron/get (used by electron-builder) caches downloads. */
export function electronCacheRoots(env, platform = process.platform, home = homedir()) {
  const roots = [];
  if (set(env, 'electron_config_cache')) roots.push(val(env, 'electron_config_cache'));
  if (platform === 'darwin') roots.push(join(home, 'Library', 'Caches', 'electron'));
  else if (platform === 'win32') roots.push(join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache'));
  else roots.push(join(env.XDG_CACHE_HOME || join(home, '.cache'), 'electron'));
  return roots;
}

/**
 * Is the Electron zip usable without a network? Needs the zip in the cache (any <hash>/ subfolder) and a
 * seeded SHASUMS256.txt[-<version>] at the cache root listing it, since @electron/get otherwise downloads
 * the checksum file even on a cache hit.
 */
export function findCachedElectronZip(roots, version, zipName) {
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const sums = [join(root, `SHASUMS256.txt-${version}`), join(root, 'SHASUMS256.txt')].some(
      (f) => existsSync(f) && readFileSync(f, 'utf8').includes(zipName),
    );
    if (!sums) continue;
    const dirs = [root, ...readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory())];
    const hit = dirs.map((d) => join(d, zipName)).find((f) => existsSync(f));
    if (hit) return hit;
  }
  return null;
}

/** The URL @electron/get downloads the zip from (ELECTRON_MIRROR / ELECTRON_CUSTOM_DIR honoured). */
export function electronDownloadUrl(env, version, zipName) {
  const mirror = set(env, 'ELECTRON_MIRROR') ? val(env, 'ELECTRON_MIRROR') : 'https://github.com/electron/electron/releases/download/';
  const dir = set(env, 'ELECTRON_CUSTOM_DIR') ? val(env, 'ELECTRON_CUSTOM_DIR').replace(/\{\{\s*version\s*\}\}/g, version) : `v${version}`;
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}${dir}/${zipName}`;
}
