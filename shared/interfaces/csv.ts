/** CSV of the interface files (docs/interfaces/README.md): read by the server's import and by the output interfaces' readers. Pure. */

/**
 * The fields of one CSV line (RFC 4180 quoting within the line: "a,b" and "" for a quote), or null when a quote
 * is not closed or text follows a closing quote.
 */
export function splitCsv(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i === line.length) return out;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const c = line.indexOf(',', i);
      const v = c === -1 ? line.slice(i) : line.slice(i, c);
      if (v.includes('"')) return null;
      out.push(v);
      if (c === -1) return out;
      i = c + 1;
    }
  }
}
