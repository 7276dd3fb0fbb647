import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { findMountFor, isRemovablePathLinux, parseMountinfo, parseMountinfoLine } from '../removable';
import { standardMachine } from './fake-sysfs';

describe('mountinfo parsing', () => {
  it('reads fields around optional fields and the " - " separator, decoding octal escapes', () => {
    const e = parseMountinfoLine('36 35 98:0 /mnt1 /media/user/MY\\040USB\\011x\\134y rw,noatime master:1 shared:4 - vfat /dev/sdb1 rw,errors=continue');
    expect(e).toEqual({ mountId: 36, parentId: 35, majorMinor: '98:0', root: '/mnt1', mountPoint: '/media/user/MY USB\tx\\y', fstype: 'vfat', source: '/dev/sdb1' });
    expect(parseMountinfoLine('22 1 0:21 / /proc rw,relatime - proc proc rw')?.fstype).toBe('proc');
    expect(parseMountinfoLine('garbage line')).toBeNull();
    expect(parseMountinfoLine('22 1 0:21 / /proc rw,relatime proc proc rw')).toBeNull();
  });

  it('decodes escaped UTF-8 bytes and keeps unescaped Japanese names', () => {
    const e = parseMountinfoLine('40 1 8:17 / /media/\\346\\227\\245/書類\\040フォルダ rw - vfat /dev/sdb1 rw');
    expect(e?.mountPoint).toBe('/media/日/書類 フォルダ');
  });

  it('picks the longest containing mount point, respecting directory boundaries and overmounts', () => {
    const entries = parseMountinfo(
      [
        '27 1 8:2 / / rw - ext4 /dev/sda2 rw',
        '40 27 8:17 / /media/user/USB rw - vfat /dev/sdb1 rw',
        '41 27 0:50 / /data rw - ext4 /dev/sdd1 rw',
        '42 41 0:51 / /data rw - tmpfs tmpfs rw',
        '',
      ].join('\n'),
    );
    expect(findMountFor(entries, '/media/user/USB/a.csv')?.source).toBe('/dev/sdb1');
    expect(findMountFor(entries, '/media/user/USB')?.source).toBe('/dev/sdb1');
    expect(findMountFor(entries, '/media/user/USBX/a.csv')?.source).toBe('/dev/sda2');
    expect(findMountFor(entries, '/data/x')?.fstype).toBe('tmpfs');
  });
});

describe('isRemovablePathLinux on a fake sysfs', () => {
  it('a USB stick with vfat under /media/user/USB is removable', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/media/user/USB', 'vfat', '/dev/sdb1', '8:17');
    const r = isRemovablePathLinux('/media/user/USB/exports/台帳.csv', m.roots);
    expect(r).toEqual({ removable: true, reason: 'USBメモリ（/dev/sdb1）上にあります', device: '/dev/sdb1', mountPoint: '/media/user/USB' });
  });

  it('the internal SATA disk with ext4 at / is not removable', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/media/user/USB', 'vfat', '/dev/sdb1', '8:17');
    const r = isRemovablePathLinux('/srv/madoguchi-exports/a.csv', m.roots);
    expect(r).toEqual({ removable: false, reason: '内蔵ディスク（/dev/sda2）上にあります', device: '/dev/sda2', mountPoint: '/' });
  });

  it('an NVMe partition is not removable', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/home', 'btrfs', '/dev/nvme0n1p2', '0:45');
    const r = isRemovablePathLinux('/home/staff/exports/a.csv', m.roots);
    expect(r.removable).toBe(false);
    expect(r.device).toBe('/dev/nvme0n1p2');
    expect(r.mountPoint).toBe('/home');
  });

  it('an SD card (mmcblk, removable=1) is removable, and one reporting removable=0 is caught by its card type', () => {
    const m = standardMachine()
      .mount('/', 'ext4', '/dev/sda2', '8:2')
      .mount('/mnt/sd', 'ext4', '/dev/mmcblk0p1', '179:1')
      .mount('/mnt/sd2', 'exfat', '/dev/mmcblk2p1', '179:17')
      .mount('/boot/firmware', 'vfat', '/dev/mmcblk1p1', '179:9');
    expect(isRemovablePathLinux('/mnt/sd/a.csv', m.roots)).toMatchObject({ removable: true, reason: 'SDカード（/dev/mmcblk0p1）上にあります' });
    expect(isRemovablePathLinux('/mnt/sd2/a.csv', m.roots)).toMatchObject({ removable: true, reason: 'SDカード（/dev/mmcblk2p1）上にあります' });
    // Soldered eMMC with vfat outside /media is internal storage.
    expect(isRemovablePathLinux('/boot/firmware/a.csv', m.roots).removable).toBe(false);
  });

  it('finds a mount point containing a space (\\040 in mountinfo)', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/media/user/MY USB', 'exfat', '/dev/sdb1', '8:17');
    const r = isRemovablePathLinux('/media/user/MY USB/a.csv', m.roots);
    expect(r).toMatchObject({ removable: true, mountPoint: '/media/user/MY USB', device: '/dev/sdb1' });
    expect(isRemovablePathLinux('/media/user/MY/a.csv', m.roots).removable).toBe(false);
  });

  it('tmpfs and network filesystems are not removable', () => {
    const m = standardMachine()
      .mount('/', 'ext4', '/dev/sda2', '8:2')
      .mount('/run/user/1000', 'tmpfs', 'tmpfs', '0:60')
      .mount('/mnt/share', 'nfs4', 'fileserver:/exports', '0:61')
      .mount('/mnt/smb', 'cifs', '//fs01/共有', '0:62');
    expect(isRemovablePathLinux('/run/user/1000/a.csv', m.roots)).toEqual({
      removable: false,
      reason: 'ネットワークまたは仮想ファイルシステム（tmpfs）上にあります',
      device: null,
      mountPoint: '/run/user/1000',
    });
    expect(isRemovablePathLinux('/mnt/share/a.csv', m.roots).removable).toBe(false);
    expect(isRemovablePathLinux('/mnt/smb/a.csv', m.roots).removable).toBe(false);
  });

  it('dm-crypt over a USB disk (/dev/mapper/…) is removable; LVM over the internal disk is not', () => {
    const m = standardMachine()
      .mount('/', 'ext4', '/dev/mapper/vg0-data', '253:1')
      .mount('/mnt/secure', 'ext4', '/dev/mapper/usbcrypt', '253:0');
    expect(isRemovablePathLinux('/mnt/secure/a.csv', m.roots)).toMatchObject({
      removable: true,
      reason: 'USBメモリ（/dev/mapper/usbcrypt、sdb）上にあります',
      device: '/dev/mapper/usbcrypt',
    });
    expect(isRemovablePathLinux('/srv/a.csv', m.roots)).toMatchObject({ removable: false, device: '/dev/mapper/vg0-data' });
  });

  it('a USB hard disk reporting removable=0 is still removable (its sysfs path runs through usb)', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/mnt/backup', 'ext4', '/dev/sdc1', '8:33');
    expect(isRemovablePathLinux('/mnt/backup/a.csv', m.roots)).toMatchObject({ removable: true, reason: 'USBメモリ（/dev/sdc1）上にあります' });
  });

  it('vfat/exfat/ntfs mounted under /media or /run/media counts as removable even on a fixed disk', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/run/media/user/DATA', 'ntfs3', '/dev/sdd1', '8:49');
    const r = isRemovablePathLinux('/run/media/user/DATA/a.csv', m.roots);
    expect(r.removable).toBe(true);
    expect(r.reason).toContain('リムーバブルメディアとしてマウントされています');
  });

  it('resolves /dev/root through the mount device number', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/root', '8:2');
    expect(isRemovablePathLinux('/srv/a.csv', m.roots)).toMatchObject({ removable: false, device: '/dev/root' });
    const usbRoot = standardMachine().mount('/', 'ext4', '/dev/root', '8:17');
    expect(isRemovablePathLinux('/srv/a.csv', usbRoot.roots).removable).toBe(true);
  });

  it('judges a loop device by where its backing file lives', () => {
    const m = standardMachine()
      .mount('/', 'ext4', '/dev/sda2', '8:2')
      .mount('/media/user/USB', 'vfat', '/dev/sdb1', '8:17')
      .mount('/mnt/img', 'ext4', '/dev/loop0', '7:0');
    expect(isRemovablePathLinux('/mnt/img/a.csv', m.roots).removable).toBe(true);
  });

  it('phones and cameras under gvfs are removable; other FUSE mounts are not', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/run/user/1000/gvfs', 'fuse.gvfsd-fuse', 'gvfsd-fuse', '0:70');
    expect(isRemovablePathLinux('/run/user/1000/gvfs/mtp:host=Google_Pixel_123/内部ストレージ/a.csv', m.roots).removable).toBe(true);
    expect(isRemovablePathLinux('/run/user/1000/gvfs/smb-share:server=fs01,share=x/a.csv', m.roots).removable).toBe(false);
  });

  it('fails closed for a device it cannot find in sysfs or a path with no mount', () => {
    const m = standardMachine().mount('/', 'ext4', '/dev/sda2', '8:2').mount('/mnt/mystery', 'ext4', '/dev/sdz1', '8:250');
    const r = isRemovablePathLinux('/mnt/mystery/a.csv', m.roots);
    expect(r.removable).toBe(true);
    expect(r.reason).toContain('判別できない');
    expect(isRemovablePathLinux('/srv/a.csv', standardMachine().roots).removable).toBe(true);
  });

  it('throws when mountinfo cannot be read', () => {
    expect(() => isRemovablePathLinux('/srv/a.csv', { procSelfMountinfo: '/nonexistent/mountinfo', sysClassBlock: '/nonexistent' })).toThrow();
  });
});

describe.runIf(process.platform === 'linux')('isRemovablePathLinux on this machine', () => {
  it('the temp directory is not on removable media', () => {
    const r = isRemovablePathLinux(tmpdir());
    expect(r.removable, r.reason).toBe(false);
    expect(r.mountPoint.length).toBeGreaterThan(0);
  });
});
