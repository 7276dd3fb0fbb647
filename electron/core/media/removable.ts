import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { DomainError } from '../errors';
import { DEFAULT_LINUX_FS_ROOTS, type LinuxFsRoots, isRemovablePathLinux } from './linux-removable';
import { type RemovableCheck, realpathLoose } from './media-common';
import { type RunPowerShell, isRemovablePathWin32, runPowerShell } from './win32-removable';

/**
 * Export guard. Spec: "Exports are refused when the destination is on a removable drive (drivelist or the OS
 * API)". We ask the OS directly (/proc + /sys on Linux, Win32_LogicalDisk on Windows) instead of the native
 * drivelist package. Every uncertainty fails closed: the export is refused.
 */

export { DEFAULT_LINUX_FS_ROOTS, isRemovablePathLinux, type LinuxFsRoots } from './linux-removable';
export { type RemovableCheck, realpathLoose } from './media-common';
export { parseMountinfo, parseMountinfoLine, findMountFor, unescapeMountinfo, type MountEntry } from './mountinfo';
export {
  WIN32_LOGICAL_DISK_QUERY,
  classifyWin32Path,
  isRemovablePathWin32,
  judgeWin32Path,
  parseWin32LogicalDisks,
  runPowerShell,
  type RunPowerShell,
  type Win32LogicalDisk,
} from './win32-removable';

/** Any refused export. The message is Japanese and safe to show to staff. */
export class ExportRefusedError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
    this.name = 'ExportRefusedError';
  }
}

/** The destination is (or cannot be shown not to be) on removable media. */
export class RemovableMediaError extends ExportRefusedError {
  constructor(
    readonly check: RemovableCheck,
    allowedDirectory: string,
  ) {
    super(`リムーバブルメディアへの書き出しは禁止されています（${check.reason}）。許可された書き出し先（${allowedDirectory}）に保存してください。`);
    this.name = 'RemovableMediaError';
  }
}

/** The destination is outside the policy's exportDestination directory (or none is configured). */
export class ExportDestinationError extends ExportRefusedError {
  constructor(message: string) {
    super(message);
    this.name = 'ExportDestinationError';
  }
}

export interface ExportDestinationOptions {
  /** policy.exportDestination: the only directory exports may be written to; null means exports are off. */
  exportDestination: string | null;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
  linuxFsRoots?: LinuxFsRoots;
  runPowerShell?: RunPowerShell;
}

function strictRealpath(dir: string): string | null {
  try {
    return realpathSync.native(dir);
  } catch {
    return null;
  }
}

/**
 * Refuses an export unless `path` — after resolving every symlink, junction and `..` — is inside the policy's
 * exportDestination and not on removable media. Returns the resolved path, which is the one to write to.
 */
export async function assertExportDestination(path: string, opts: ExportDestinationOptions): Promise<string> {
  const allowed = opts.exportDestination;
  if (!allowed) throw new ExportDestinationError('書き出し先がポリシーで設定されていないため、書き出せません。IT担当者に連絡してください。');
  const realAllowed = strictRealpath(allowed);
  if (!realAllowed || !isAbsolute(allowed)) {
    throw new ExportDestinationError(`ポリシーで指定された書き出し先（${allowed}）が見つかりません。IT担当者に連絡してください。`);
  }
  if (!isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    throw new ExportDestinationError(`書き出し先はフォルダ（${allowed}）内のフルパスで指定してください（指定: ${path}）。`);
  }
  let real: string;
  try {
    real = realpathLoose(path);
  } catch {
    throw new ExportDestinationError(`書き出し先（${path}）を確認できません。フォルダ（${allowed}）内に保存してください。`);
  }
  const rel = relative(realAllowed, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ExportDestinationError(`書き出しは許可されたフォルダ（${allowed}）の中にのみ行えます（指定: ${path}）。`);
  }

  const platform = opts.platform ?? process.platform;
  let check: RemovableCheck;
  try {
    if (platform === 'linux') check = isRemovablePathLinux(real, opts.linuxFsRoots ?? DEFAULT_LINUX_FS_ROOTS);
    else if (platform === 'win32') check = await isRemovablePathWin32(real, opts.runPowerShell ?? runPowerShell);
    else check = { removable: true, reason: `この OS（${platform}）では書き出し先の媒体を確認できません`, device: null, mountPoint: '' };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    check = { removable: true, reason: `書き出し先の媒体を確認できません: ${detail}`, device: null, mountPoint: '' };
  }
  if (check.removable) throw new RemovableMediaError(check, allowed);
  return real;
}
