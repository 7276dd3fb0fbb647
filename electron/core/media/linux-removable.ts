import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type RemovableCheck, realpathLoose } from './media-common';
import { type MountEntry, findMountFor, parseMountinfo } from './mountinfo';

/** Where the kernel's views live; tests point these at a fake tree built from real files. */
export interface LinuxFsRoots {
  procSelfMountinfo: string;
  sysClassBlock: string;
}

export const DEFAULT_LINUX_FS_ROOTS: LinuxFsRoots = { procSelfMountinfo: '/proc/self/mountinfo', sysClassBlock: '/sys/class/block' };

/** Filesystems with no local block device behind them: memory, kernel views and network shares. */
const NON_BLOCK_FS = new Set([
  'tmpfs', 'ramfs', 'overlay', 'aufs', 'proc', 'sysfs', 'devtmpfs', 'devpts', 'securityfs', 'cgroup', 'cgroup2',
  'pstore', 'bpf', 'debugfs', 'tracefs', 'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'autofs', 'binfmt_misc',
  'efivarfs', 'nsfs', 'rpc_pipefs', 'nfsd', 'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', '9p', 'virtiofs', 'ceph',
  'glusterfs', 'afs', 'davfs', 'lustre', 'gpfs',
]);
/** Filesystems typical of USB sticks, SD cards and optical discs. */
const REMOVABLE_STYLE_FS = new Set(['vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'iso9660', 'udf']);
/** gvfs exposes phones and cameras (MTP, PTP, iOS) below one FUSE mount. */
const GVFS_DEVICE = /\/gvfs\/(mtp|gphoto2|afc):/;
const MAX_DEPTH = 8;

function readTrim(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** The sysfs block name (sdb1, dm-2, …) behind a mount, or null when it cannot be found. */
function blockNameFor(mount: MountEntry, sys: string): string | null {
  const src = mount.source;
  if (src.startsWith('/dev/mapper/')) {
    const wanted = basename(src);
    for (const n of listDir(sys)) if (n.startsWith('dm-') && readTrim(join(sys, n, 'dm', 'name')) === wanted) return n;
  } else if (src.startsWith('/dev/')) {
    let name = src.slice('/dev/'.length);
    // /dev/disk/by-uuid/…, /dev/vg/lv: symlinks into /dev.
    if (name.includes('/')) name = basename(realOrNull(src) ?? name);
    if (name && existsSync(join(sys, name))) return name;
  }
  // /dev/root, by-label names and the like: match the mount's device number against sysfs.
  if (mount.majorMinor.startsWith('0:')) return null;
  for (const n of listDir(sys)) if (readTrim(join(sys, n, 'dev')) === mount.majorMinor) return n;
  return null;
}

/** sdb1 → sdb, mmcblk0p1 → mmcblk0, nvme0n1p2 → nvme0n1; a whole disk maps to itself. */
function parentDisk(sys: string, name: string): string {
  if (existsSync(join(sys, name, 'partition'))) {
    const real = realOrNull(join(sys, name));
    const parent = real ? basename(dirname(real)) : null;
    if (parent && existsSync(join(sys, parent))) return parent;
  }
  if (existsSync(join(sys, name)) && !existsSync(join(sys, name, 'partition'))) return name;
  const m = /^((?:nvme\d+n\d+)|(?:mmcblk\d+)|(?:loop\d+)|(?:md\d+))p\d+$/.exec(name) ?? /^([a-z]+)\d+$/.exec(name);
  return m?.[1] ?? name;
}

interface BlockVerdict {
  removable: boolean;
  kind: 'usb' | 'sd' | 'optical' | 'removable' | 'fixed' | 'unknown';
  disk: string | null;
}

function inspectBlock(sys: string, name: string, roots: LinuxFsRoots, depth: number): BlockVerdict {
  if (depth > MAX_DEPTH) return { removable: true, kind: 'unknown', disk: null };
  // Device-mapper (dm-crypt, LVM) and md RAID: removable if any underlying device is.
  const slaves = listDir(join(sys, name, 'slaves'));
  if (slaves.length > 0) {
    const verdicts = slaves.map((s) => inspectBlock(sys, s, roots, depth + 1));
    return verdicts.find((v) => v.removable) ?? verdicts[0] ?? { removable: true, kind: 'unknown', disk: null };
  }
  // A loop device writes into its backing file: judge where that file lives.
  const backing = /^loop\d+/.test(name) ? readTrim(join(sys, parentDisk(sys, name), 'loop', 'backing_file')) : null;
  if (backing) {
    const r = check(backing.replace(/ \(deleted\)$/, ''), roots, depth + 1);
    return { removable: r.removable, kind: r.removable ? 'removable' : 'fixed', disk: name };
  }
  const disk = parentDisk(sys, name);
  if (!existsSync(join(sys, disk))) return { removable: true, kind: 'unknown', disk: null };
  const usb = [join(sys, disk), join(sys, name)].some((p) => realOrNull(p)?.includes('/usb') ?? false);
  if (usb) return { removable: true, kind: 'usb', disk };
  const flag = readTrim(join(sys, disk, 'removable')) === '1';
  // SD cards on an internal reader often report removable=0; the MMC card type tells SD from soldered eMMC.
  const sdCard = /^mmcblk\d+$/.test(disk) && readTrim(join(sys, disk, 'device', 'type')) === 'SD';
  if (flag || sdCard) return { removable: true, kind: /^mmcblk/.test(disk) ? 'sd' : /^sr\d+$/.test(disk) ? 'optical' : 'removable', disk };
  return { removable: false, kind: 'fixed', disk };
}

const KIND_LABEL: Record<BlockVerdict['kind'], string> = {
  usb: 'USBメモリ',
  sd: 'SDカード',
  optical: 'CD/DVD',
  removable: 'リムーバブルメディア',
  fixed: '内蔵ディスク',
  unknown: '種類を判別できないデバイス',
};

function check(path: string, roots: LinuxFsRoots, depth: number): RemovableCheck {
  const real = realpathLoose(path);
  const mount = findMountFor(parseMountinfo(readFileSync(roots.procSelfMountinfo, 'utf8')), real);
  if (!mount) {
    return { removable: true, reason: 'マウント情報が見つからないため、リムーバブルメディアでないことを確認できません', device: null, mountPoint: '/' };
  }
  const { fstype, source, mountPoint } = mount;
  if (fstype.startsWith('fuse.') && GVFS_DEVICE.test(real)) {
    return { removable: true, reason: `スマートフォン・カメラ等の接続機器（${fstype}）上にあります`, device: null, mountPoint };
  }
  if (!source.startsWith('/dev/') && (NON_BLOCK_FS.has(fstype) || fstype.startsWith('fuse.'))) {
    return { removable: false, reason: `ネットワークまたは仮想ファイルシステム（${fstype}）上にあります`, device: null, mountPoint };
  }
  const device = source.startsWith('/dev/') ? source : null;
  const shown = device ?? `${source} ${mount.majorMinor}`;
  const mediaStyle = REMOVABLE_STYLE_FS.has(fstype) && /^\/(run\/)?media(\/|$)/.test(mountPoint);
  const name = blockNameFor(mount, roots.sysClassBlock);
  const verdict = name ? inspectBlock(roots.sysClassBlock, name, roots, depth) : null;
  if (verdict?.removable) {
    const stacked = name && verdict.disk && parentDisk(roots.sysClassBlock, name) !== verdict.disk;
    const via = stacked ? `、${verdict.disk}` : '';
    return { removable: true, reason: `${KIND_LABEL[verdict.kind]}（${shown}${via}）上にあります`, device, mountPoint };
  }
  if (mediaStyle) {
    return { removable: true, reason: `リムーバブルメディアとしてマウントされています（${shown}、${fstype}、${mountPoint}）`, device, mountPoint };
  }
  if (!verdict) {
    return { removable: true, reason: `デバイス（${shown}）を判別できないため、リムーバブルメディアでないことを確認できません`, device, mountPoint };
  }
  return { removable: false, reason: `${KIND_LABEL.fixed}（${shown}）上にあります`, device, mountPoint };
}

/**
 * Whether `path` (which need not exist yet) lives on removable media: USB storage, SD cards, optical discs,
 * phones and cameras. Fails closed — a device it cannot identify counts as removable.
 */
export function isRemovablePathLinux(path: string, fsRoots: LinuxFsRoots = DEFAULT_LINUX_FS_ROOTS): RemovableCheck {
  return check(path, fsRoots, 0);
}
