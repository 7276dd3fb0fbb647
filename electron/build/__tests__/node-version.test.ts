import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainBundle, preloadBundle } from '../../../scripts/electron-bundles.mjs';
import { parseEnginesRange, satisfiesEngines } from '../../../scripts/check-node-lib.mjs';

// One Node line for the whole project: the one the pinned Electron embeds. Electron's npm package declares
// @types/node of its embedded Node's major (^22 up to Electron 39, ^24 from Electron 40, the release that moved
// to Node 24); engines.node, our @types/node, the Node that scripts/ensure-node.sh installs for CI and the
// esbuild target of the Electron bundles must follow it. Upgrading Electron to one on another Node fails here.
const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const rootPackage = read('package.json');
const serverPackage = read('server/package.json');
const electronPackage = read('node_modules/electron/package.json');
const majorOf = (range: string) => Number(/(\d+)\./.exec(range)?.[1]);
const engines = parseEnginesRange(rootPackage.engines.node);

describe('the Node version', () => {
  it("is the major Electron's package declares for its typings (the Node it embeds)", () => {
    expect(majorOf(electronPackage.dependencies['@types/node'])).toBe(engines.major);
    expect(engines.below).toBe(engines.major + 1);
  });

  it('is the same for the server workspace and the typings', () => {
    expect(serverPackage.engines.node).toBe(rootPackage.engines.node);
    expect(majorOf(rootPackage.devDependencies['@types/node'])).toBe(engines.major);
  });

  it('is the one scripts/ensure-node.sh installs for CI, and the esbuild target of the bundles', () => {
    const pinned = /MADOGUCHI_NODE_VERSION:-(\d+\.\d+\.\d+)/.exec(readFileSync(join(ROOT, 'scripts/ensure-node.sh'), 'utf8'))?.[1];
    expect(pinned).toBeDefined();
    expect(satisfiesEngines(pinned!, rootPackage.engines.node)).toBe(true);
    expect(mainBundle.target).toBe(`node${engines.major}`);
    expect(preloadBundle.target).toBe(`node${engines.major}`);
  });

  it('range check: only >=A.B <C, bounds included and excluded as written', () => {
    expect(satisfiesEngines('24.11.0', '>=24.11 <25')).toBe(true);
    expect(satisfiesEngines('24.22.3', '>=24.11 <25')).toBe(true);
    expect(satisfiesEngines('24.10.9', '>=24.11 <25')).toBe(false);
    expect(satisfiesEngines('20.20.2', '>=24.11 <25')).toBe(false);
    expect(satisfiesEngines('25.0.0', '>=24.11 <25')).toBe(false);
    expect(() => parseEnginesRange('>=20.19')).toThrow(/not of the form/);
  });
});
