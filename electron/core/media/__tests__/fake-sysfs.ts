import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';

/** Every fake tree made by a test file is removed when that file's tests end. */
const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type LinuxFsRoots } from '../removable';

/**
 * A fake /sys/class/block + /proc/self/mountinfo built from real directories, files and symlinks, laid out
 * like the kernel's: /sys/class/block/<name> is a symlink into /sys/devices/…/block/<disk>[/<partition>].
 */
export class FakeSysfs {
  readonly root = made[made.push(realpathSync(mkdtempSync(join(tmpdir(), 'madoguchi-sysfs-')))) - 1]!;
  readonly roots: LinuxFsRoots = { procSelfMountinfo: join(this.root, 'proc/self/mountinfo'), sysClassBlock: join(this.root, 'sys/class/block') };
  private nextId = 20;
  private lines: string[] = [];

  constructor() {
    mkdirSync(this.roots.sysClassBlock, { recursive: true });
    mkdirSync(join(this.root, 'proc/self'), { recursive: true });
    this.flush();
  }

  private link(name: string, target: string): void {
    symlinkSync(relative(this.roots.sysClassBlock, target), join(this.roots.sysClassBlock, name));
  }

  /**
   * A whole disk under `devicePath` (relative to /sys/devices) with partitions.
   * `extra` are additional files below the disk directory, e.g. { 'device/type': 'SD' }.
   */
  disk(
    devicePath: string,
    name: string,
    opts: { removable: 0 | 1; dev: string; partitions?: Array<[string, string]>; extra?: Record<string, string> },
  ): string {
    const dir = join(this.root, 'sys/devices', devicePath, 'block', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'removable'), `${opts.removable}\n`);
    writeFileSync(join(dir, 'dev'), `${opts.dev}\n`);
    for (const [file, content] of Object.entries(opts.extra ?? {})) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), `${content}\n`);
    }
    mkdirSync(join(dir, 'slaves'));
    this.link(name, dir);
    (opts.partitions ?? []).forEach(([part, dev], i) => {
      const pdir = join(dir, part);
      mkdirSync(pdir);
      writeFileSync(join(pdir, 'partition'), `${i + 1}\n`);
      writeFileSync(join(pdir, 'dev'), `${dev}\n`);
      this.link(part, pdir);
    });
    return dir;
  }

  /** A device-mapper device (dm-crypt, LVM) named `mapperName` stacked on `slaves`. */
  dm(name: string, mapperName: string, dev: string, slaves: string[]): void {
    const dir = join(this.root, 'sys/devices/virtual/block', name);
    mkdirSync(join(dir, 'dm'), { recursive: true });
    mkdirSync(join(dir, 'slaves'));
    writeFileSync(join(dir, 'dm/name'), `${mapperName}\n`);
    writeFileSync(join(dir, 'removable'), '0\n');
    writeFileSync(join(dir, 'dev'), `${dev}\n`);
    for (const s of slaves) symlinkSync(join(this.roots.sysClassBlock, s), join(dir, 'slaves', s));
    this.link(name, dir);
  }

  /** A loop device backed by `backingFile`. */
  loop(name: string, dev: string, backingFile: string): void {
    const dir = join(this.root, 'sys/devices/virtual/block', name);
    mkdirSync(join(dir, 'loop'), { recursive: true });
    mkdirSync(join(dir, 'slaves'));
    writeFileSync(join(dir, 'loop/backing_file'), `${backingFile}\n`);
    writeFileSync(join(dir, 'removable'), '0\n');
    writeFileSync(join(dir, 'dev'), `${dev}\n`);
    this.link(name, dir);
  }

  /** Appends a mountinfo line, escaping the mount point the way the kernel does. */
  mount(mountPoint: string, fstype: string, source: string, majorMinor = '0:99', optional = 'shared:1'): this {
    const esc = (s: string) => s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
    const id = this.nextId++;
    const fields = [id, mountPoint === '/' ? 1 : 20, majorMinor, '/', esc(mountPoint), 'rw,relatime', optional, '-', fstype, esc(source), 'rw'];
    this.lines.push(fields.filter((f) => f !== '').join(' '));
    this.flush();
    return this;
  }

  private flush(): void {
    writeFileSync(this.roots.procSelfMountinfo, this.lines.map((l) => `${l}\n`).join(''));
  }
}

export const USB_PATH = 'pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0';
export const USB_HDD_PATH = 'pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host7/target7:0:0/7:0:0:0';
export const SATA_PATH = 'pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0';
export const SATA2_PATH = 'pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0';
export const NVME_PATH = 'pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0';
export const SD_PATH = 'pci0000:00/0000:00:14.5/mmc_host/mmc0/mmc0:aaaa';
export const SD2_PATH = 'pci0000:00/0000:00:14.5/mmc_host/mmc2/mmc2:0001';
export const EMMC_PATH = 'platform/fe340000.mmc/mmc_host/mmc1/mmc1:0001';

/** A machine with an internal SATA root, NVMe home, USB stick, USB HDD, SD cards, eMMC, dm-crypt and LVM. */
export function standardMachine(): FakeSysfs {
  const f = new FakeSysfs();
  f.disk(SATA_PATH, 'sda', { removable: 0, dev: '8:0', partitions: [['sda1', '8:1'], ['sda2', '8:2'], ['sda3', '8:3']] });
  f.disk(SATA2_PATH, 'sdd', { removable: 0, dev: '8:48', partitions: [['sdd1', '8:49']] });
  f.disk(USB_PATH, 'sdb', { removable: 1, dev: '8:16', partitions: [['sdb1', '8:17'], ['sdb2', '8:18']] });
  f.disk(USB_HDD_PATH, 'sdc', { removable: 0, dev: '8:32', partitions: [['sdc1', '8:33']] });
  f.disk(NVME_PATH, 'nvme0n1', { removable: 0, dev: '259:0', partitions: [['nvme0n1p1', '259:1'], ['nvme0n1p2', '259:2']] });
  f.disk(SD_PATH, 'mmcblk0', { removable: 1, dev: '179:0', partitions: [['mmcblk0p1', '179:1']] });
  f.disk(SD2_PATH, 'mmcblk2', { removable: 0, dev: '179:16', partitions: [['mmcblk2p1', '179:17']], extra: { 'device/type': 'SD' } });
  f.disk(EMMC_PATH, 'mmcblk1', { removable: 0, dev: '179:8', partitions: [['mmcblk1p1', '179:9']], extra: { 'device/type': 'MMC' } });
  f.dm('dm-0', 'usbcrypt', '253:0', ['sdb2']);
  f.dm('dm-1', 'vg0-data', '253:1', ['sda3']);
  f.loop('loop0', '7:0', '/media/user/USB/disk.img');
  return f;
}
