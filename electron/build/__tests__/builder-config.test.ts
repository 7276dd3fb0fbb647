import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Minimatch, minimatch } from 'minimatch';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  configOverrides,
  electronDownloadUrl,
  electronZipName,
  findCachedElectronZip,
  mergeConfig,
  preflightProblems,
  windowsSigning,
} from '../../../scripts/dist-lib.mjs';

// electron-builder.yml and the environment-driven overrides of scripts/dist.mjs, checked item by item and
// against electron-builder's own JSON schema (so a misspelt option fails here, not on the build machine).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON; its shape is what the schema check verifies
type Config = Record<string, any>;
const ROOT = join(import.meta.dirname, '../../..');
const config: Config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
const packageJson: Config = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const scheme = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));

// Strict Ajv: union types are used throughout the schema; `typeof` is electron-builder's keyword for
// function-valued options (hooks), which a YAML file can never satisfy.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addKeyword({ keyword: 'typeof', schemaType: 'string', validate: (type: string, data: unknown) => typeof data === type });
const validate = ajv.compile(scheme);
function schemaErrors(c: Config): string[] {
  return validate(c) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder 26 JSON schema (scheme.json)', () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  it("reads the same with electron-builder's YAML parser (js-yaml) as with the one used here", () => {
    const require = createRequire(import.meta.url);
    const jsYaml = require('js-yaml') as { load: (text: string) => unknown };
    expect(jsYaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))).toStrictEqual(config);
  });

  it("passes electron-builder's own configuration validation", async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: Config, logger: { isEnabled: boolean }) => Promise<void>;
    };
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false })).resolves.toBeUndefined();
  });

  it.each([
    ['a misspelt top-level option', (c: Config) => (c.publsh = null)],
    ['a misspelt NSIS option', (c: Config) => (c.nsis.perMachin = true)],
    ['a misspelt fuse', (c: Config) => (c.electronFuses.runAsnode = false)],
    ['a wrong type', (c: Config) => (c.nsis.oneClick = 'no')],
    ['an option in the wrong section', (c: Config) => (c.linux.perMachine = true)],
  ])('the schema check catches %s', (_name, mutate) => {
    const broken = structuredClone(config);
    mutate(broken);
    expect(schemaErrors(broken).length).toBeGreaterThan(0);
  });

  it('sets exactly the hardened Electron fuses', () => {
    expect(config.electronFuses).toStrictEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a per-machine, assisted NSIS installer for Windows x64', () => {
    expect(config.nsis.oneClick).toBe(false);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256']);
    expect(config.win.azureSignOptions).toBeUndefined(); // injected from the environment only
    expect(config.forceCodeSigning).toBeUndefined(); // set by dist.mjs from MADOGUCHI_RELEASE
  });

  it('builds AppImage and deb for Linux', () => {
    const targets = (config.linux.target as Array<string | { target: string }>).map((t) => (typeof t === 'string' ? t : t.target));
    expect(targets).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.maintainer).toBeTruthy(); // the deb target requires one (package.json has no author)
  });

  it('packs an asar with native modules unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('never publishes and has no auto-update', () => {
    expect(config.publish ?? null).toBeNull();
    for (const section of ['win', 'nsis', 'linux', 'appImage', 'deb', 'mac']) expect(config[section]?.publish).toBeUndefined();
    const deps = { ...packageJson.dependencies, ...packageJson.devDependencies };
    expect(Object.keys(deps)).not.toContain('electron-updater');
    expect(packageJson.build).toBeUndefined(); // electron-builder would merge it over the YAML
  });

  describe('files', () => {
    const patterns = config.files as string[];
    // electron-builder's matching: minimatch, later patterns win, "!" excludes.
    const shipped = (path: string) =>
      patterns.reduce((inc, p) => (p.startsWith('!') ? (minimatch(path, p.slice(1), { dot: true }) ? false : inc) : inc || minimatch(path, p, { dot: true })), false);

    it('include only package.json and the built bundles', () => {
      for (const p of patterns.filter((p) => !p.startsWith('!'))) expect(['package.json', 'dist/electron/**', 'dist/renderer/**']).toContain(p);
      for (const path of ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-x.js']) {
        expect(shipped(path), path).toBe(true);
      }
    });

    it.each([
      'src/main.ts',
      'renderer/src/main.tsx',
      'electron/shell/main.ts',
      'test/app.test.ts',
      'electron/core/db/__tests__/database.test.ts',
      'e2e/harness/demo.ts',
      'e2e/tests/counter.e2e.ts',
      '.demo-data/madoguchi.db',
      '.demo-data/madoguchi.key.enc',
      'keys/codesign.pfx',
      'keys/madoguchi.key',
      'madoguchi.db',
      'dist/renderer/madoguchi.db',
      'dist/electron/madoguchi.db-wal',
      'dist/electron/terminal.key',
      'dist/renderer/.demo-data/seed.db',
      'dist/electron/main.cjs.map',
      'dist/test-results/unit.json',
      'dist/installer/Madoguchi Setup.exe',
      'scripts/dist.mjs',
      'security/SIGNING.md',
      'server/package.json',
      'server/main.ts',
      'server/pki.ts',
      'server/__tests__/sync.test.ts',
      'server-data/pki/ca.key',
      'testing/core.ts',
      'testing/seed.ts',
      'testing/webauthn.ts',
      'testing/server.ts',
      'testing/browser.ts',
      'testing/README.md',
      'e2e/harness/server.ts',
    ])('never ship %s', (path) => {
      expect(shipped(path)).toBe(false);
    });

    it('reach nothing of the central server (server/, the npm workspace @madoguchi/server)', () => {
      // electron-builder descends into a folder only where an include pattern can match below it.
      for (const p of patterns.filter((p) => !p.startsWith('!'))) {
        expect(new Minimatch(p, { dot: true }).match('server', true), p).toBe(false);
        expect(new Minimatch(p, { dot: true }).match('node_modules/@madoguchi/server', true), p).toBe(false);
      }
    });

    it('reach nothing of the test support (testing/: seeded cores, demo seed and logins, soft WebAuthn keys, fixtures)', () => {
      for (const p of patterns.filter((p) => !p.startsWith('!'))) expect(new Minimatch(p, { dot: true }).match('testing', true), p).toBe(false);
      for (const r of config.extraResources as Array<{ from: string }>) expect(r.from).not.toMatch(/^(\.\/)?testing(\/|$)/);
      expect(config.extraFiles).toBeUndefined();
    });

    it('add only the rule profiles and the dated rule tables as extra resources', () => {
      expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: ['profiles/**', 'rules/**'] }]);
      expect(config.extraFiles).toBeUndefined();
    });
  });
});

describe('scripts/dist.mjs configuration from the environment', () => {
  const AZURE = {
    MADOGUCHI_AZURE_SIGN_ENDPOINT: 'https://jpe.codesigning.azure.net',
    MADOGUCHI_AZURE_SIGN_ACCOUNT: 'madoguchi-signing',
    MADOGUCHI_AZURE_SIGN_PROFILE: 'madoguchi-public',
    MADOGUCHI_AZURE_SIGN_PUBLISHER: 'Madoguchi project',
  };

  it.each([
    ['no signing', {}],
    ['a PFX file', { WIN_CSC_LINK: 'C:\\certs\\madoguchi.pfx', WIN_CSC_KEY_PASSWORD: 'x' }],
    ['the certificate store', { MADOGUCHI_WIN_CERT_SHA1: 'AB'.repeat(20), MADOGUCHI_WIN_TIMESTAMP_URL: 'http://timestamp.example' }],
    ['Azure Trusted Signing', AZURE],
    ['a local Electron and a homepage', { MADOGUCHI_ELECTRON_DIST: '/opt/electron.zip', MADOGUCHI_HOMEPAGE: 'https://example.invalid' }],
    ['a release', { MADOGUCHI_RELEASE: '1', CSC_LINK: 'cert.pfx' }],
  ])('with %s: the merged configuration is valid and never publishes', (_name, env) => {
    const overrides = configOverrides(env);
    const merged = mergeConfig(config, overrides);
    expect(schemaErrors(merged)).toEqual([]);
    expect(merged.publish).toBeNull();
    expect(merged.electronFuses).toStrictEqual(config.electronFuses);
  });

  it('forces code signing exactly when MADOGUCHI_RELEASE=1', () => {
    expect(configOverrides({}).forceCodeSigning).toBe(false);
    expect(configOverrides({ MADOGUCHI_RELEASE: 'true' }).forceCodeSigning).toBe(false);
    expect(configOverrides({ MADOGUCHI_RELEASE: '1' }).forceCodeSigning).toBe(true);
  });

  it('maps the Azure variables to azureSignOptions and drops signtool settings', () => {
    const merged = mergeConfig(config, configOverrides(AZURE));
    expect(merged.win.azureSignOptions).toEqual({
      endpoint: AZURE.MADOGUCHI_AZURE_SIGN_ENDPOINT,
      codeSigningAccountName: AZURE.MADOGUCHI_AZURE_SIGN_ACCOUNT,
      certificateProfileName: AZURE.MADOGUCHI_AZURE_SIGN_PROFILE,
      publisherName: AZURE.MADOGUCHI_AZURE_SIGN_PUBLISHER,
    });
    expect(merged.win.signtoolOptions).toBeNull();
  });

  it('maps the certificate store variables to signtoolOptions', () => {
    const merged = mergeConfig(config, configOverrides({ MADOGUCHI_WIN_CERT_SUBJECT: 'Madoguchi project', MADOGUCHI_WIN_TIMESTAMP_URL: 'http://ts.example' }));
    expect(merged.win.signtoolOptions).toEqual({ signingHashAlgorithms: ['sha256'], certificateSubjectName: 'Madoguchi project', rfc3161TimeStampServer: 'http://ts.example' });
    expect(merged.win.azureSignOptions).toBeUndefined();
  });

  it('leaves PFX signing to electron-builder (CSC_LINK / WIN_CSC_LINK) and adds nothing secret', () => {
    const env = { WIN_CSC_LINK: 'cert.pfx', WIN_CSC_KEY_PASSWORD: 'secret' };
    expect(windowsSigning(env).mode).toBe('signtool-file');
    expect(JSON.stringify(configOverrides(env))).not.toContain('secret');
  });

  const base = { env: {}, platform: 'win32', hostPlatform: 'win32', packageJson, targets: ['nsis'] };
  it('stops a build early when it cannot be right', () => {
    expect(preflightProblems(base)).toEqual([]);
    expect(preflightProblems({ ...base, hostPlatform: 'linux' })[0]).toMatch(/cannot build for win32 on linux/);
    expect(preflightProblems({ ...base, env: { MADOGUCHI_RELEASE: '1' } })).toEqual([expect.stringMatching(/no Windows signing is configured/)]);
    expect(preflightProblems({ ...base, env: { MADOGUCHI_RELEASE: '1', CSC_LINK: 'c.pfx' } })).toEqual([]);
    expect(preflightProblems({ ...base, env: { CSC_LINK: 'c.pfx', MADOGUCHI_WIN_CERT_SHA1: 'AB' } })[0]).toMatch(/more than one Windows signing method/);
    expect(preflightProblems({ ...base, env: { MADOGUCHI_AZURE_SIGN_ENDPOINT: 'https://x' } })[0]).toMatch(/missing MADOGUCHI_AZURE_SIGN_ACCOUNT/);
    const linux = { ...base, platform: 'linux', hostPlatform: 'linux', targets: ['AppImage', 'deb'] };
    expect(preflightProblems({ ...linux, packageJson: {} })[0]).toMatch(/deb target needs a project homepage/);
    expect(preflightProblems({ ...linux, packageJson: {}, env: { MADOGUCHI_HOMEPAGE: 'https://example.invalid' } })).toEqual([]);
  });

  it('finds the Electron download (mirror honoured) and an offline-usable cache', () => {
    const zip = electronZipName('45.4.1', 'linux', 'x64');
    expect(zip).toBe('electron-v45.4.1-linux-x64.zip');
    expect(electronDownloadUrl({}, '45.4.1', zip)).toBe('https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip');
    expect(electronDownloadUrl({ ELECTRON_MIRROR: 'https://mirror.example/electron', ELECTRON_CUSTOM_DIR: '{{ version }}' }, '45.4.1', zip)).toBe(
      'https://mirror.example/electron/45.4.1/electron-v45.4.1-linux-x64.zip',
    );
    const cache = mkdtempSync(join(tmpdir(), 'madoguchi-electron-cache-'));
    cleanups.push(() => rmSync(cache, { recursive: true, force: true }));
    mkdirSync(join(cache, 'abc123'));
    writeFileSync(join(cache, 'abc123', zip), 'zip');
    expect(findCachedElectronZip([cache], '45.4.1', zip)).toBeNull(); // no checksums: @electron/get would go online
    writeFileSync(join(cache, 'SHASUMS256.txt-45.4.1'), `${'0'.repeat(64)} *${zip}\n`);
    expect(findCachedElectronZip([cache], '45.4.1', zip)).toBe(join(cache, 'abc123', zip));
  });
});

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((f) => f()));
