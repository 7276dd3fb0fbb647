/**
 * Parser for Linux /proc/<pid>/mountinfo (see proc(5)):
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2) (3)   (4)   (5)      (6)      (7)   (8) (9)    (10)        (11)
 *
 * Field 7 is zero or more optional fields ended by a lone '-'. Paths escape space, tab, newline and
 * backslash as 3-digit octal (\040, \011, \012, \134).
 */

export interface MountEntry {
  mountId: number;
  parentId: number;
  /** "major:minor" of st_dev for files on this mount (0:N for non-block filesystems). */
  majorMinor: string;
  /** The directory of the filesystem that forms the root of this mount (not '/' for bind mounts). */
  root: string;
  mountPoint: string;
  fstype: string;
  /** Filesystem-specific source, e.g. /dev/sdb1, server:/export, tmpfs. */
  source: string;
}

/** Decodes the \ooo octal escapes the kernel writes in mountinfo paths. */
export function unescapeMountinfo(field: string): string {
  if (!field.includes('\\')) return field;
  // Escapes stand for bytes; decode as bytes so a (rare) escaped non-ASCII byte rebuilds valid UTF-8.
  const bytes: number[] = [];
  for (let i = 0; i < field.length; ) {
    const m = /^\\([0-7]{3})/.exec(field.slice(i, i + 4));
    if (m?.[1]) {
      bytes.push(parseInt(m[1], 8) & 0xff);
      i += 4;
    } else {
      const cp = field.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses one mountinfo line; null for a malformed line (never guesses). */
export function parseMountinfoLine(line: string): MountEntry | null {
  const f = line.trim().split(' ');
  const sep = f.indexOf('-', 6);
  if (f.length < 10 || sep < 6 || f.length < sep + 3) return null;
  const [id, parent, majorMinor, root, mountPoint] = f;
  const fstype = f[sep + 1];
  const source = f[sep + 2];
  if (!id || !parent || !majorMinor || !root || !mountPoint || !fstype || source === undefined) return null;
  if (!/^\d+$/.test(id) || !/^\d+$/.test(parent) || !/^\d+:\d+$/.test(majorMinor)) return null;
  return {
    mountId: Number(id),
    parentId: Number(parent),
    majorMinor,
    root: unescapeMountinfo(root),
    mountPoint: unescapeMountinfo(mountPoint),
    fstype: unescapeMountinfo(fstype),
    source: unescapeMountinfo(source),
  };
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const e = parseMountinfoLine(line);
    if (e) out.push(e);
  }
  return out;
}

function contains(mountPoint: string, path: string): boolean {
  if (mountPoint === '/') return path.startsWith('/');
  return path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
}

/**
 * The mount an absolute, already-resolved path lives on: the longest containing mount point; among equal
 * mount points the last one listed (a later mount over the same directory hides the earlier one).
 */
export function findMountFor(entries: readonly MountEntry[], realPath: string): MountEntry | null {
  let best: MountEntry | null = null;
  for (const e of entries) {
    if (!contains(e.mountPoint, realPath)) continue;
    if (!best || e.mountPoint.length >= best.mountPoint.length) best = e;
  }
  return best;
}
