// `npm run dist`: package the built app (dist/electron, dist/renderer) with electron-builder's API.
//   node scripts/dist.mjs [--win | --linux] [--dir]
// The platform defaults to this machine's; installers are built on their own OS (native modules).
// electron-builder.yml holds the configuration; this script adds only what comes from the environment
// (security/SIGNING.md): signing, forceCodeSigning when MADOGUCHI_RELEASE=1, a local Electron runtime.
// Never publishes, never configures auto-update. Fails early, one line per problem, when something the
// build needs is missing — in particular when the Electron runtime zip cannot be obtained.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  configOverrides,
  electronCacheRoots,
  electronDownloadUrl,
  electronZipName,
  findCachedElectronZip,
  isRelease,
  preflightProblems,
  windowsSigning,
} from './dist-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = process.env;
const { fetch, AbortSignal } = globalThis;

// electron-builder rebuilds native modules for Electron's ABI in node_modules itself; the unit tests need
// them built for Node. Put them back whenever a build leaves them unloadable (also after a failed build).
function restoreNodeNativeModules() {
  const loads = spawnSync(process.execPath, ['-e', "require('better-sqlite3-multiple-ciphers')(':memory:').close()"], { cwd: root, stdio: 'ignore' });
  if (loads.status === 0) return;
  console.error('dist: rebuilding better-sqlite3-multiple-ciphers for Node (electron-builder left it built for Electron or removed)');
  const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3-multiple-ciphers'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (npm.status !== 0) console.error('dist: run `npm rebuild better-sqlite3-multiple-ciphers` before running the tests');
}

function fail(lines) {
  for (const line of [lines].flat()) console.error(`dist: ${line}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => !['--win', '--linux', '--dir'].includes(a));
if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')} (usage: node scripts/dist.mjs [--win | --linux] [--dir])`);
if (args.includes('--win') && args.includes('--linux')) fail('choose one platform per run: --win or --linux');
const platform = args.includes('--win') ? 'win32' : args.includes('--linux') ? 'linux' : process.platform;
if (platform !== 'win32' && platform !== 'linux') fail(`no packaging is configured for ${platform} (Windows and Linux only)`);
const dirOnly = args.includes('--dir');
const arch = 'x64';

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const yamlConfig = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const configuredTargets = [yamlConfig[platform === 'win32' ? 'win' : 'linux']?.target ?? []]
  .flat()
  .map((t) => (typeof t === 'string' ? t : t.target));
const targets = dirOnly ? ['dir'] : configuredTargets;

// 1. Inputs, environment, signing.
const problems = [];
for (const f of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
  if (!existsSync(join(root, f))) problems.push(`${f} is missing: run \`npm run build\` first`);
}
problems.push(...preflightProblems({ env, platform, hostPlatform: process.platform, packageJson, targets }));
if (problems.length > 0) fail(problems);

// 2. The Electron runtime: a local zip/dir, a cache hit usable offline, or a reachable download URL. The
//    native-module rebuild (npmRebuild) also needs Electron's headers. MADOGUCHI_DIST_SKIP_PROBE=1 skips the
//    network probes (e.g. behind a proxy that Node's fetch does not use).
async function unreachable(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    return e?.cause?.code ?? e?.name ?? String(e);
  }
}
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const zipName = electronZipName(electronVersion, platform, arch);
const overrides = configOverrides(env);
const probe = env.MADOGUCHI_DIST_SKIP_PROBE !== '1';
if (overrides.electronDist) {
  if (!existsSync(overrides.electronDist)) fail(`MADOGUCHI_ELECTRON_DIST=${overrides.electronDist} does not exist (expected ${zipName} or an unpacked Electron ${electronVersion})`);
} else if (probe && !findCachedElectronZip(electronCacheRoots(env), electronVersion, zipName)) {
  const url = electronDownloadUrl(env, electronVersion, zipName);
  const reason = await unreachable(url);
  if (reason) {
    fail(
      `the Electron ${electronVersion} runtime cannot be obtained: ${zipName} is not cached, MADOGUCHI_ELECTRON_DIST is not set and ${url} is unreachable (${reason}); package on a build machine with that access (security/SIGNING.md)`,
    );
  }
}
if (probe && yamlConfig.npmRebuild !== false) {
  const url = `https://www.electronjs.org/headers/v${electronVersion}/node-v${electronVersion}-headers.tar.gz`;
  const reason = await unreachable(url);
  if (reason) fail(`the Electron ${electronVersion} headers for rebuilding native modules cannot be obtained: ${url} is unreachable (${reason})`);
}

// 3. Build. publish: 'never' on top of `publish: null` in the YAML: nothing is uploaded, no update metadata.
const { build, Platform } = require('electron-builder');
const signing = platform === 'win32' ? windowsSigning(env).mode : 'none (Linux packages are not code-signed by electron-builder)';
console.log(`dist: ${platform}/${arch} [${targets.join(', ')}], Electron ${electronVersion}, signing: ${signing}, release: ${isRelease(env) ? 'yes (forceCodeSigning)' : 'no'}`);
const target = (platform === 'win32' ? Platform.WINDOWS : Platform.LINUX).createTarget(dirOnly ? 'dir' : null);
let artifacts;
try {
  artifacts = await build({ projectDir: root, targets: target, config: overrides, publish: 'never' });
} catch (e) {
  restoreNodeNativeModules();
  fail(`electron-builder failed: ${(e?.message ?? String(e)).split('\n')[0]}`);
}
restoreNodeNativeModules();

// 4. Checksums for IT (the Linux packages carry no signature; the Windows installer's is verified by Windows).
const files = artifacts.filter((f) => existsSync(f) && !f.endsWith('.blockmap'));
if (files.length > 0) {
  const outDir = dirname(files[0]);
  const sums = files.map((f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${basename(f)}`).join('\n');
  writeFileSync(join(outDir, 'SHA256SUMS'), `${sums}\n`);
  for (const f of files) console.log(`dist: built ${relative(root, f)}`);
  console.log(`dist: wrote ${relative(root, join(outDir, 'SHA256SUMS'))}`);
}
