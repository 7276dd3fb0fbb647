// First step of `npm test`: the suite must run on the Node line the app runs on (package.json engines.node) and
// with the native module built for that Node. On Debian's Node 20: eval "$(bash scripts/ensure-node.sh)", then npm ci.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL } from 'node:url';
import { satisfiesEngines } from './check-node-lib.mjs';

const fail = (message) => {
  console.error(`check-node: ${message}`);
  process.exit(1);
};
const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines?.node;
const version = process.versions.node;
let ok;
try {
  ok = satisfiesEngines(version, range);
} catch (e) {
  fail(e.message);
}
if (!ok) fail(`Node ${version} is outside engines.node "${range}". Run: eval "$(bash scripts/ensure-node.sh)" && npm ci`);
try {
  const Database = createRequire(import.meta.url)('better-sqlite3-multiple-ciphers');
  new Database(':memory:').close();
} catch (e) {
  fail(
    `better-sqlite3-multiple-ciphers does not load on Node ${version} (${String(e.message).split('\n')[0]}). ` +
      'Rebuild it for this Node: npm rebuild better-sqlite3-multiple-ciphers (with npm_config_nodedir from scripts/ensure-node.sh)',
  );
}
console.log(`check-node: Node ${version} (modules ABI ${process.versions.modules}) is within engines.node "${range}"; the native module loads`);
