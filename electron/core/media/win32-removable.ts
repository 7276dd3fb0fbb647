import { execFile } from 'node:child_process';
import { type RemovableCheck } from './media-common';

/** One row of Win32_LogicalDisk. DriveType: 0 unknown, 1 no root dir, 2 removable, 3 local, 4 network, 5 CD-ROM, 6 RAM disk. */
export interface Win32LogicalDisk {
  /** Drive letter with colon, upper-case: 'C:'. */
  deviceId: string;
  driveType: number;
}

/** Runs a PowerShell command and resolves with its standard output. */
export type RunPowerShell = (command: string) => Promise<string>;

export const WIN32_LOGICAL_DISK_QUERY = 'Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType | ConvertTo-Json';

/** The real runner for the Windows build: Windows PowerShell without profile scripts, no shell in between. */
export const runPowerShell: RunPowerShell = (command) =>
  new Promise((resolvePromise, reject) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', command],
      { windowsHide: true, timeout: 15_000, maxBuffer: 1024 * 1024 },
      (err, stdout) => (err ? reject(err) : resolvePromise(stdout)),
    );
  });

/**
 * Parses `ConvertTo-Json` output of Win32_LogicalDisk rows. PowerShell prints a single object (not an array)
 * when there is one drive and nothing at all when there are none. Throws on anything unexpected.
 */
export function parseWin32LogicalDisks(jsonText: string): Win32LogicalDisk[] {
  const text = jsonText.replace(/^\uFEFF/, '').trim();
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('ドライブ一覧（Win32_LogicalDisk）の出力を読み取れません');
  }
  const rows = Array.isArray(raw) ? raw : [raw];
  return rows.map((row: unknown) => {
    const r = (row ?? {}) as { DeviceID?: unknown; DriveType?: unknown };
    if (typeof r.DeviceID !== 'string' || !/^[A-Za-z]:$/.test(r.DeviceID) || typeof r.DriveType !== 'number' || !Number.isInteger(r.DriveType)) {
      throw new Error('ドライブ一覧（Win32_LogicalDisk）の形式が正しくありません');
    }
    return { deviceId: r.DeviceID.toUpperCase(), driveType: r.DriveType };
  });
}

type Win32Target = { kind: 'drive'; drive: string } | { kind: 'unc'; share: string } | { kind: 'unknown' };

/** Classifies a Windows path: drive letter, UNC share (also \\?\UNC\…), or something we cannot place. */
export function classifyWin32Path(path: string): Win32Target {
  let p = path.replace(/\//g, '\\');
  if (/^\\\\\?\\UNC\\/i.test(p)) p = `\\\\${p.slice('\\\\?\\UNC\\'.length)}`;
  else if (/^\\\\\?\\[A-Za-z]:/.test(p)) p = p.slice('\\\\?\\'.length);
  const drive = /^([A-Za-z]):/.exec(p);
  if (drive?.[1]) return { kind: 'drive', drive: `${drive[1].toUpperCase()}:` };
  // \\server\share — but not device namespaces (\\.\PhysicalDrive1, \\?\Volume{…}).
  const unc = /^\\\\([^\\?.][^\\]*)\\([^\\]+)/.exec(p);
  if (unc?.[1] && unc[2]) return { kind: 'unc', share: `\\\\${unc[1]}\\${unc[2]}` };
  return { kind: 'unknown' };
}

/** Verdict for a path given the drive list; pure, so it is testable anywhere. */
export function judgeWin32Path(path: string, disks: readonly Win32LogicalDisk[]): RemovableCheck {
  const t = classifyWin32Path(path);
  if (t.kind === 'unc') return { removable: false, reason: `ネットワーク共有（${t.share}）上にあります`, device: null, mountPoint: t.share };
  if (t.kind === 'unknown') {
    return { removable: true, reason: `書き出し先のドライブを特定できないため、リムーバブルメディアでないことを確認できません（${path}）`, device: null, mountPoint: '' };
  }
  const root = `${t.drive}\\`;
  const disk = disks.find((d) => d.deviceId === t.drive);
  const base = { device: t.drive, mountPoint: root };
  switch (disk?.driveType) {
    case 2:
      return { ...base, removable: true, reason: `リムーバブルディスク（USBメモリ・SDカード等、${t.drive}）上にあります` };
    case 5:
      return { ...base, removable: true, reason: `CD/DVDドライブ（${t.drive}）上にあります` };
    case 3:
      return { ...base, removable: false, reason: `ローカルディスク（${t.drive}）上にあります` };
    case 4:
      return { ...base, removable: false, reason: `ネットワークドライブ（${t.drive}）上にあります` };
    case 6:
      return { ...base, removable: false, reason: `RAMディスク（${t.drive}）上にあります` };
    default:
      return { ...base, removable: true, reason: `ドライブ（${t.drive}）の種類を判別できないため、リムーバブルメディアでないことを確認できません` };
  }
}

/**
 * Whether a Windows path lives on removable media, asking Win32_LogicalDisk through PowerShell.
 * Call with an already-resolved path (see assertExportDestination); this function does not touch the disk.
 */
export async function isRemovablePathWin32(path: string, run: RunPowerShell = runPowerShell): Promise<RemovableCheck> {
  const t = classifyWin32Path(path);
  if (t.kind !== 'drive') return judgeWin32Path(path, []);
  return judgeWin32Path(path, parseWin32LogicalDisks(await run(WIN32_LOGICAL_DISK_QUERY)));
}
