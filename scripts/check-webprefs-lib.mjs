// The webPreferences policy, checked statically with the TypeScript compiler API (scripts/check-webprefs.mjs
// runs it on electron/; electron/build/__tests__/check-webprefs.test.ts runs it on fixtures).
//
// A window construction is any `new X(...)` (or `super(...)` in a subclass) that yields Electron's
// BrowserWindow, BrowserView or WebContentsView — found by type (so `new Ctor(...)` with an injected
// constructor counts) and, as a fallback when types do not resolve, by name. Each must pass an object
// literal whose `webPreferences` is either an object literal or a call to `secureWebPreferences(...)`;
// every definition of `secureWebPreferences` under the scanned tree must return object literals. Every
// such literal must state the safe values explicitly and contain nothing unsafe.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const WINDOW_CLASSES = ['BrowserWindow', 'BrowserView', 'WebContentsView'];
export const SECURE_FACTORY = 'secureWebPreferences';
/** Must be present, with exactly this literal value. */
export const REQUIRED = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false };
/** May be absent or the literal false; anything else (true, or an expression) is refused. */
export const FORBIDDEN_TRUE = ['nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'experimentalFeatures'];
/** Must not appear at all. */
export const FORBIDDEN_PRESENT = ['enableBlinkFeatures'];
const POLICY_KEYS = new Set([...Object.keys(REQUIRED), ...FORBIDDEN_TRUE, ...FORBIDDEN_PRESENT]);

const COMPILER_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: false,
  types: ['node'],
  jsx: ts.JsxEmit.ReactJSX,
  resolveJsonModule: true,
};

const LIBRARY_FILES = new Map();

/** Strip parentheses, `as`, `satisfies`, `!` and `<T>x`, and `Object.freeze(x)`. */
function unwrap(node) {
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node)) {
      node = node.expression;
    } else if (ts.isSatisfiesExpression?.(node)) {
      node = node.expression;
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Object' &&
      node.expression.name.text === 'freeze'
    ) {
      node = node.arguments[0];
    } else {
      return node;
    }
  }
}

function calleeName(expr) {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return null;
}

function isSecureFactoryCall(node) {
  const n = unwrap(node);
  return ts.isCallExpression(n) && calleeName(n.expression) === SECURE_FACTORY;
}

/** The static name of a property, or null for a computed name that is not a literal. */
function propName(name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier?.(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  }
  return null;
}

function booleanLiteral(node) {
  const n = unwrap(node);
  if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

function short(node) {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Check a source set. `files`: [{ fileName, text }] (absolute or project-relative paths; the files need not
 * exist on disk). Returns { constructions, factories, violations: [{ file, line, message }] }.
 */
export function checkWebPreferences({ files, projectDir = process.cwd() }) {
  const root = resolve(projectDir);
  const sources = new Map(files.map((f) => [resolve(root, f.fileName), f.text]));
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = sources.get(resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true, ts.ScriptKind.TS);
    // Library files (lib.*.d.ts, @types/node, electron.d.ts, imported modules) are parsed once per process.
    const key = `${resolve(fileName)}|${JSON.stringify(languageVersion)}`;
    if (!LIBRARY_FILES.has(key)) LIBRARY_FILES.set(key, baseGetSourceFile(fileName, languageVersion, onError, shouldCreate));
    return LIBRARY_FILES.get(key);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (f) => sources.has(resolve(f)) || baseFileExists(f);
  const baseReadFile = host.readFile.bind(host);
  host.readFile = (f) => sources.get(resolve(f)) ?? baseReadFile(f);
  host.getCurrentDirectory = () => root;

  const program = ts.createProgram({ rootNames: [...sources.keys()], options: COMPILER_OPTIONS, host });
  const checker = program.getTypeChecker();
  const violations = [];
  const where = (node) => {
    const sf = node.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { file: relative(root, sf.fileName).split(sep).join('/'), line: line + 1 };
  };
  const report = (node, message) => violations.push({ ...where(node), message });

  /** Electron class constructed by this `new`/`super` call, by type; else by name; else null. */
  function constructedWindowClass(node) {
    try {
      const sig = checker.getResolvedSignature(node);
      const sym = sig && checker.getReturnTypeOfSignature(sig).getSymbol();
      if (sym && WINDOW_CLASSES.includes(sym.getName())) {
        const fromElectron = (sym.getDeclarations() ?? []).some((d) => /[\\/]node_modules[\\/]electron[\\/]/.test(d.getSourceFile().fileName));
        if (fromElectron) return sym.getName();
      }
    } catch {
      // fall through to the name
    }
    if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      if (name && WINDOW_CLASSES.includes(name)) return name;
      // import { BrowserWindow as W } from 'electron'
      if (ts.isIdentifier(node.expression)) {
        const sym = checker.getSymbolAtLocation(node.expression);
        const decl = sym?.getDeclarations()?.[0];
        if (decl && ts.isImportSpecifier(decl) && WINDOW_CLASSES.includes((decl.propertyName ?? decl.name).text)) return (decl.propertyName ?? decl.name).text;
      }
    }
    return null;
  }

  /** Check one webPreferences object literal. `ctx` names it in messages. */
  function checkLiteral(obj, ctx) {
    const entries = new Map(); // key -> { node, init | null (not a literal), secure: boolean }
    for (const p of obj.properties) {
      if (ts.isSpreadAssignment(p)) {
        if (isSecureFactoryCall(p.expression)) {
          for (const key of POLICY_KEYS) entries.set(key, { node: p, init: null, secure: true });
        } else {
          report(p, `${ctx}: spread \`${short(p)}\` in webPreferences can override the safe values; list them literally or spread ${SECURE_FACTORY}(...)`);
        }
        continue;
      }
      const name = p.name ? propName(p.name) : null;
      if (name === null) {
        report(p, `${ctx}: computed property \`${short(p)}\` in webPreferences cannot be checked`);
        continue;
      }
      if (ts.isPropertyAssignment(p)) entries.set(name, { node: p, init: p.initializer, secure: false });
      else entries.set(name, { node: p, init: null, secure: false }); // shorthand, method, accessor
    }
    for (const [key, expected] of Object.entries(REQUIRED)) {
      const e = entries.get(key);
      if (!e) {
        report(obj, `${ctx}: webPreferences.${key} is missing; it must be stated as ${key}: ${expected}`);
      } else if (!e.secure && (e.init === null || booleanLiteral(e.init) !== expected)) {
        report(e.node, `${ctx}: webPreferences.${key} must be the literal ${expected} (found \`${short(e.node)}\`)`);
      }
    }
    for (const key of FORBIDDEN_TRUE) {
      const e = entries.get(key);
      if (e && !e.secure && (e.init === null || booleanLiteral(e.init) !== false)) {
        report(e.node, `${ctx}: webPreferences.${key} must be absent or the literal false (found \`${short(e.node)}\`)`);
      }
    }
    for (const key of FORBIDDEN_PRESENT) {
      const e = entries.get(key);
      if (e && !e.secure) report(e.node, `${ctx}: webPreferences.${key} is not allowed (found \`${short(e.node)}\`)`);
    }
  }

  // secureWebPreferences definitions, by name, anywhere in the scanned files.
  const factories = [];
  const factoryCalls = [];
  const constructions = [];
  for (const sf of program.getSourceFiles()) {
    if (!sources.has(resolve(sf.fileName))) continue;
    const visit = (node) => {
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && propName(node.name) === SECURE_FACTORY && node.body) {
        factories.push(node);
      } else if (
        (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
        node.name &&
        propName(node.name) === SECURE_FACTORY &&
        node.initializer
      ) {
        const fn = unwrap(node.initializer);
        if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) factories.push(fn);
        else report(node, `${SECURE_FACTORY} must be a function whose returned object literal can be checked (found \`${short(node)}\`)`);
      }
      if (ts.isCallExpression(node) && calleeName(node.expression) === SECURE_FACTORY) factoryCalls.push(node);
      if (ts.isNewExpression(node) || (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword)) {
        const cls = constructedWindowClass(node);
        if (cls) constructions.push({ node, cls });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  for (const fn of factories) {
    const ctx = `${SECURE_FACTORY}()`;
    const returns = [];
    if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) returns.push(fn.body);
    else {
      const walk = (n) => {
        if (ts.isReturnStatement(n)) returns.push(n.expression ?? n);
        else if (!ts.isFunctionLike(n)) ts.forEachChild(n, walk);
      };
      ts.forEachChild(fn.body, walk);
    }
    if (returns.length === 0) report(fn, `${ctx} returns nothing checkable; it must return an object literal`);
    for (const r of returns) {
      const lit = ts.isReturnStatement(r) ? null : unwrap(r);
      if (lit && ts.isObjectLiteralExpression(lit)) checkLiteral(lit, ctx);
      else report(r, `${ctx} must return an object literal (found \`${short(r)}\`)`);
    }
  }
  if (factories.length === 0) {
    for (const call of factoryCalls) report(call, `${SECURE_FACTORY}(...) is called but not defined in the checked files, so its result cannot be checked`);
  }

  for (const { node, cls } of constructions) {
    const ctx = ts.isNewExpression(node) ? `new ${cls}` : `super() of a ${cls} subclass`;
    const arg = node.arguments?.[0];
    if (!arg) {
      report(node, `${ctx} without options: webPreferences is missing`);
      continue;
    }
    const options = unwrap(arg);
    if (!ts.isObjectLiteralExpression(options)) {
      report(arg, `${ctx}: options must be an object literal so webPreferences can be checked (found \`${short(arg)}\`)`);
      continue;
    }
    let prefs = null;
    for (const p of options.properties) {
      if (ts.isSpreadAssignment(p)) {
        report(p, `${ctx}: spread \`${short(p)}\` in window options can supply or override webPreferences`);
        continue;
      }
      if (p.name && propName(p.name) === 'webPreferences') prefs = p;
    }
    if (!prefs) {
      report(node, `${ctx} without webPreferences: they must be given explicitly`);
      continue;
    }
    const value = ts.isPropertyAssignment(prefs) ? unwrap(prefs.initializer) : null;
    if (value && ts.isObjectLiteralExpression(value)) checkLiteral(value, ctx);
    else if (value && isSecureFactoryCall(value)) {
      // checked at its definition
    } else {
      report(prefs, `${ctx}: webPreferences must be an object literal or a call to ${SECURE_FACTORY}(...) (found \`${short(prefs)}\`)`);
    }
  }

  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { constructions: constructions.length, factories: factories.length, violations };
}

/** All .ts files under `dir` (no .d.ts, no node_modules), as { fileName, text }. */
export function collectTsFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(p);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        out.push({ fileName: p, text: readFileSync(p, 'utf8') });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.fileName.localeCompare(b.fileName));
}

export function formatViolation(v) {
  return `${v.file}:${v.line}: ${v.message}`;
}
