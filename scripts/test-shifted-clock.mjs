// No test may depend on the day it runs: run the unit and e2e suites again with the whole process tree's
// clock moved a year and more ahead and back (Debian's faketime, LD_PRELOAD libfaketime). The e2e run uses the
// renderer that `npm run test:e2e` (or build:renderer) built.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const OFFSETS = (process.env.CLOCK_OFFSETS ?? '+400d,-400d').split(',');
const SUITES = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'e2e', config: 'vitest.e2e.config.ts' },
];

if (spawnSync('faketime', ['-f', '+0d', 'true']).status !== 0) {
  console.error('faketime がありません: apt-get install -y faketime');
  process.exit(1);
}
if (!existsSync('dist/renderer/index.html')) {
  console.error('dist/renderer がありません: 先に npm run build:renderer を実行してください');
  process.exit(1);
}

const lines = [];
let failedAny = false;
for (const offset of OFFSETS) {
  for (const suite of SUITES) {
    const tag = `${suite.name}@${offset}`;
    const out = `dist/test-results/clock-${suite.name}${offset.replace(/[^0-9a-z+-]/gi, '')}.json`;
    console.log(`\n=== ${tag}: faketime ${offset} vitest (${suite.config}) ===`);
    const r = spawnSync('faketime', ['-f', offset, 'npx', 'vitest', 'run', '--config', suite.config, '--reporter=dot', '--reporter=json', `--outputFile.json=${out}`], { stdio: 'inherit' });
    const report = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
    const passed = report?.numPassedTests ?? 0;
    const failed = report?.numFailedTests ?? 0;
    const ok = r.status === 0 && report !== null && failed === 0 && passed > 0;
    failedAny ||= !ok;
    lines.push(`${tag}: ${passed} passed, ${failed} failed${ok ? '' : ' ← FAILED'}`);
  }
}
console.log(`\n${lines.join('\n')}`);
process.exit(failedAny ? 1 : 0);
