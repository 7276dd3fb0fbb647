// The gate of scripts/electronegativity.mjs: read Electronegativity's CSV, compare with the accepted list
// (security/electronegativity-accepted.json) and decide. Pure functions, tested by
// electron/build/__tests__/electronegativity-gate.test.ts.

export const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const MIN_JUSTIFICATION = 30;

/** Electronegativity's CSV quoting: "..." with "" for a quote, N/A for null (util/file.js escapeCsv). */
export function csvField(value) {
  return value === null || value === undefined ? 'N/A' : `"${String(value).replace(/"/g, '""')}"`;
}

/** One row per finding, in Electronegativity's column order (id, severity, confidence, file, line:col, sample, description, url). */
export function toCsv(issues) {
  const rows = issues.map((i) =>
    [
      i.id,
      csvField(i.severity),
      csvField(i.confidence),
      csvField(i.file),
      csvField(`${i.line}:${i.column}`),
      csvField(i.sample),
      csvField(i.description),
      `https://github.com/doyensec/electronegativity/wiki/${i.id}`,
    ].join(','),
  );
  return `${[CSV_HEADER, ...rows].join('\n')}\n`;
}

/** RFC 4180-style parser (quoted fields may hold commas, quotes and newlines). Returns rows of strings. */
export function parseCsvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Findings from an Electronegativity CSV; severity is column 2. Throws on an unexpected layout. */
export function parseFindings(csvText) {
  const [header, ...rows] = parseCsvRows(csvText);
  if (!header || header.map((h) => h.trim()).join(', ') !== CSV_HEADER) {
    throw new Error(`unexpected Electronegativity CSV header: ${header ? header.join(',') : '(empty file)'}`);
  }
  return rows.map((r, n) => {
    if (r.length < 8) throw new Error(`malformed Electronegativity CSV row ${n + 2}: ${r.join(',')}`);
    const severity = r[1].trim().toUpperCase();
    if (!SEVERITIES.includes(severity)) throw new Error(`unknown severity "${r[1]}" in CSV row ${n + 2}`);
    const [line] = r[4].split(':');
    return { check: r[0].trim(), severity, confidence: r[2].trim(), file: r[3].trim(), line: Number(line) || 0, sample: r[5], description: r[6] };
  });
}

/** A file pattern: `*` within a path segment, `**` across segments, `?` one character; "N/A" for global checks. */
export function globToRegExp(pattern) {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Validate security/electronegativity-accepted.json; returns its entries or throws with every problem. */
export function parseAccepted(json) {
  const problems = [];
  const entries = json && Array.isArray(json.accepted) ? json.accepted : null;
  if (!entries) throw new Error('the accepted list must be an object with an "accepted" array');
  entries.forEach((e, n) => {
    const at = `accepted[${n}]`;
    if (!e || typeof e !== 'object') return problems.push(`${at} is not an object`);
    const extra = Object.keys(e).filter((k) => !['check', 'file', 'justification'].includes(k));
    if (extra.length > 0) problems.push(`${at} has unknown field(s) ${extra.join(', ')}`);
    if (typeof e.check !== 'string' || !/^[A-Z0-9_]+$/.test(e.check)) problems.push(`${at}.check must be an Electronegativity check id such as CSP_GLOBAL_CHECK`);
    if (typeof e.file !== 'string' || e.file.trim() === '') problems.push(`${at}.file must be a file pattern (or "N/A" for a global check)`);
    if (typeof e.justification !== 'string' || e.justification.trim().length < MIN_JUSTIFICATION) {
      problems.push(`${at}.justification must explain why the finding is acceptable (at least ${MIN_JUSTIFICATION} characters)`);
    }
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return entries.map((e) => ({ ...e, re: globToRegExp(e.file) }));
}

/**
 * Decide: every HIGH finding fails (it cannot be accepted); any other finding fails unless an accepted entry
 * (same check id, matching file pattern) justifies it. Also returns accepted entries that matched nothing.
 */
export function gate(findings, accepted) {
  const used = new Set();
  const results = findings.map((f) => {
    const entry = accepted.find((a) => a.check.toUpperCase() === f.check.toUpperCase() && a.re.test(f.file));
    if (entry) used.add(entry);
    const status = f.severity === 'HIGH' ? 'FAIL (HIGH)' : entry ? 'accepted' : 'FAIL (not accepted)';
    return { ...f, status, justification: entry?.justification ?? null };
  });
  return {
    results,
    failed: results.filter((r) => r.status.startsWith('FAIL')),
    unused: accepted.filter((a) => !used.has(a)),
  };
}

/** A plain-text table for the console. */
export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\n');
}
