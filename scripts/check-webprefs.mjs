// `npm run check:webprefs`: every BrowserWindow / BrowserView / WebContentsView under electron/ must be
// created with safe, literal webPreferences (or through secureWebPreferences(), whose returned literal is
// checked). The policy is in scripts/check-webprefs-lib.mjs. Exit 1 with file:line on any violation.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWebPreferences, collectTsFiles, formatViolation } from './check-webprefs-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = collectTsFiles(join(root, 'electron'));
const { constructions, factories, violations } = checkWebPreferences({ files, projectDir: root });

if (violations.length > 0) {
  for (const v of violations) console.error(`check-webprefs: ${formatViolation(v)}`);
  console.error(`check-webprefs: ${violations.length} unsafe or uncheckable webPreferences (see scripts/check-webprefs-lib.mjs for the policy)`);
  process.exit(1);
}
if (constructions === 0) {
  console.error(`check-webprefs: no BrowserWindow/BrowserView/WebContentsView construction found in ${files.length} files under electron/; the check would be vacuous`);
  process.exit(1);
}
console.log(`check-webprefs: ${constructions} window construction(s), ${factories} secureWebPreferences definition(s) in ${files.length} files: OK`);
