import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Result of asking whether a path lives on removable media. */
export interface RemovableCheck {
  removable: boolean;
  /** Japanese, for staff and the audit log, e.g. 'USBメモリ（/dev/sdb1）上にあります'. */
  reason: string;
  /** The block device or drive letter, when known. */
  device: string | null;
  /** The mount point (Linux) or drive root / UNC share (Windows) the path lives on. */
  mountPoint: string;
}

const MAX_LINKS = 40;

function errCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/**
 * realpath for a path that may not exist yet (a file about to be written): resolves every existing
 * component — including a dangling symlink, whose target is where a write would land — and appends the
 * components that do not exist. Throws on symlink loops and on errors other than "does not exist".
 */
export function realpathLoose(path: string, depth = 0): string {
  if (depth > MAX_LINKS) throw new Error(`シンボリックリンクが多すぎます: ${path}`);
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch (e) {
    const code = errCode(e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  const parent = dirname(abs);
  if (parent === abs) return abs;
  const realParent = realpathLoose(parent, depth + 1);
  const candidate = join(realParent, basename(abs));
  let isLink: boolean;
  try {
    isLink = lstatSync(candidate).isSymbolicLink();
  } catch (e) {
    const code = errCode(e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    return candidate;
  }
  if (!isLink) return candidate;
  return realpathLoose(resolve(realParent, readlinkSync(candidate)), depth + 1);
}
