// `npm run check:electronegativity`: Doyensec Electronegativity over the Electron shell and the renderer,
// gated by security/electronegativity-accepted.json.
//   node scripts/electronegativity.mjs [--input <dir>] [--out <file.csv>] [--online]
//
// What is scanned (default): the TypeScript sources of electron/shell (without tests), renderer/index.html
// and renderer/src, copied with their repository paths into a temporary folder so findings name real files
// and lines. The esbuild bundle (dist/electron) is a poor target: its `new import_electron.BrowserWindow(...)`
// is not recognised by the tool's name-based checks, so findings disappear. `--input dist/electron` scans
// a directory as is, for comparison.
//
// How it runs: Electronegativity's programmatic API (its CLI breaks when npm hoists a newer `commander`) in
// a child process killed after 120 s. Offline by default: its HTTP client is replaced by one that fails at
// once, so the translation download and the "available security fixes" release lookup fail soft
// immediately instead of trying the internet (Electron upgrades are tracked by npm, not by this gate);
// `--online` lets them try. The child writes the CSV itself, in the tool's format (severity in column 2),
// because the tool's own CSV writer races its header against the rows and can truncate the file.
//
// The gate: exit 1 on any HIGH finding, on any finding not justified in the accepted list, on a source the
// tool could not parse, and on a timeout. The tool itself never exits non-zero for findings.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gate, parseAccepted, parseFindings, table, toCsv } from './electronegativity-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TIMEOUT_MS = 120_000;
const SCANNED = ['electron/shell', 'renderer/index.html', 'renderer/src'];
const SOURCE_EXT = /\.(ts|tsx|js|jsx|html|htm)$/;
const STAGED_EXT = /\.(ts|tsx|js|jsx|cjs|mjs|html|htm)$/;
const ACCEPTED_FILE = 'security/electronegativity-accepted.json';

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main(process.argv.slice(2));

function fail(message) {
  console.error(`electronegativity: ${message}`);
  process.exit(1);
}

async function main(args) {
  const opt = { input: null, out: join(root, 'dist/security/electronegativity.csv'), online: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--input') opt.input = resolve(args[++i] ?? fail('--input needs a directory'));
    else if (args[i] === '--out') opt.out = resolve(args[++i] ?? fail('--out needs a file'));
    else if (args[i] === '--online') opt.online = true;
    else fail(`unknown argument ${args[i]} (usage: node scripts/electronegativity.mjs [--input <dir>] [--out <file.csv>] [--online])`);
  }

  let accepted;
  try {
    accepted = parseAccepted(JSON.parse(readFileSync(join(root, ACCEPTED_FILE), 'utf8')));
  } catch (e) {
    fail(`${ACCEPTED_FILE}: ${e.message}`);
  }

  // Stage the sources under their repository paths (or the --input directory under its own path), so that
  // findings name real files. The tool reads only .js/.jsx/.ts/.tsx/.html/.htm (and package.json): .cjs and
  // .mjs files, such as the esbuild bundle's, are staged as .js or they would be silently skipped.
  if (opt.input && (!existsSync(opt.input) || !statSync(opt.input).isDirectory())) {
    fail(`${opt.input} is not a directory${opt.input.includes('dist') ? ' (run `npm run build` first)' : ''}`);
  }
  const staged = mkdtempSync(join(tmpdir(), 'madoguchi-electronegativity-'));
  const sources = opt.input ? [relative(root, opt.input)] : SCANNED;
  for (const rel of sources) {
    const from = resolve(root, rel);
    if (!existsSync(from)) fail(`${rel} does not exist`);
    stage(from, join(staged, rel.startsWith('..') ? 'input' : rel));
  }
  const input = staged;

  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  mkdirSync(dirname(opt.out), { recursive: true });
  rmSync(opt.out, { force: true });
  const started = Date.now();
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', input, opt.out, electronVersion, opt.online ? 'online' : 'offline'], {
    cwd: root,
    env: { ...process.env, LANG: 'en-US' },
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  rmSync(staged, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.error?.code === 'ETIMEDOUT' || run.signal) fail(`Electronegativity did not finish within ${TIMEOUT_MS / 1000} s (killed)`);
  if (run.status !== 0 || !existsSync(opt.out)) {
    process.stderr.write(run.stdout ?? '');
    process.stderr.write(run.stderr ?? '');
    fail(`Electronegativity failed (exit ${run.status}) before writing ${relative(root, opt.out)}`);
  }

  const meta = JSON.parse(readFileSync(`${opt.out}.json`, 'utf8'));
  let findings;
  try {
    findings = parseFindings(readFileSync(opt.out, 'utf8'));
  } catch (e) {
    fail(`${relative(root, opt.out)}: ${e.message}`);
  }
  const { results, failed, unused } = gate(findings, accepted);
  const scanned = sources.join(', ');
  if (meta.files === 0) fail(`no file in ${scanned} that Electronegativity can read; nothing was checked`);
  console.log(`electronegativity ${meta.toolVersion}: ${meta.files} files from ${scanned}, Electron ${electronVersion}, ${meta.globalChecks} global + ${meta.atomicChecks} atomic checks, ${seconds} s${opt.online ? '' : ', offline'}`);
  if (results.length > 0) {
    const rows = results.map((r) => ({ severity: r.severity, check: r.check, where: r.file === 'N/A' ? '(global)' : `${r.file}:${r.line}`, status: r.status }));
    console.log(table(rows, ['severity', 'check', 'where', 'status']));
  } else {
    console.log('no findings');
  }
  for (const u of unused) console.log(`electronegativity: note: accepted entry ${u.check} ${u.file} matched nothing; remove it if the finding is gone for good`);
  const parseErrors = meta.errors.filter((e) => !e.tolerable);
  for (const e of parseErrors) console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
  if (failed.length > 0 || parseErrors.length > 0) {
    const reasons = [];
    const high = failed.filter((f) => f.severity === 'HIGH').length;
    if (high > 0) reasons.push(`${high} HIGH finding(s)`);
    if (failed.length > high) reasons.push(`${failed.length - high} finding(s) not justified in ${ACCEPTED_FILE}`);
    if (parseErrors.length > 0) reasons.push(`${parseErrors.length} file(s) not parsed`);
    fail(`FAILED: ${reasons.join(', ')} (CSV: ${relative(root, opt.out)})`);
  }
  console.log(`electronegativity: OK (${results.length} finding(s), all accepted; CSV: ${relative(root, opt.out)})`);
}

/** Child process: run the scan through the tool's API, write the CSV and a small JSON sidecar. */
async function child([input, out, electronVersion, mode]) {
  const pkgJson = require.resolve('@doyensec/electronegativity/package.json');
  const toolRequire = createRequire(join(dirname(pkgJson), 'dist', 'runner.js'));
  if (mode !== 'online') {
    const gotPath = toolRequire.resolve('got');
    const offline = () => Promise.reject(new Error('network disabled by scripts/electronegativity.mjs'));
    offline.head = offline;
    offline.get = offline;
    toolRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
  }
  const run = toolRequire('./runner.js');
  const quiet = console.log;
  console.log = () => {}; // the tool's soft-failure chatter ("No connectivity?")
  let result;
  try {
    result = await run({
      input,
      isRelative: true,
      isVerbose: false,
      customScan: [],
      excludeFromScan: [],
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = quiet;
  }
  const issues = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location?.line ?? 0,
    column: i.location?.column ?? 0,
    sample: i.sample ?? null,
    description: i.description,
  }));
  writeFileSync(out, toCsv(issues));
  const files = countFiles(input);
  const errors = result.errors.map((e) => ({ file: relative(input, e.file), message: e.message, tolerable: e.tolerable }));
  writeFileSync(
    `${out}.json`,
    JSON.stringify({ toolVersion: JSON.parse(readFileSync(pkgJson, 'utf8')).version, files, globalChecks: result.globalChecks, atomicChecks: result.atomicChecks, errors }),
  );
}

/** Copy sources (no tests, no node_modules), .cjs/.mjs renamed .js. */
function stage(from, to) {
  if (statSync(from).isDirectory()) {
    if (/^(__tests__|node_modules)$/.test(from.split(/[\\/]/).pop())) return;
    for (const e of readdirSync(from)) stage(join(from, e), join(to, e));
    return;
  }
  if (!STAGED_EXT.test(from) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(from)) return;
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to.replace(/\.[cm]js$/, '.js'));
}

function countFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(join(dir, e.name));
    else if (SOURCE_EXT.test(e.name)) n++;
  }
  return n;
}
