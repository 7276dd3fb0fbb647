import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../errors';
import { ExportDestinationError, RemovableMediaError, assertExportDestination } from '../removable';
import { type FakeSysfs, standardMachine } from './fake-sysfs';

/** Real directories in a temp dir; the fake mountinfo puts `/` on the internal disk and `exports/usb` on a USB stick. */
let m: FakeSysfs;
let exportsDir: string;
let outside: string;

beforeEach(() => {
  m = standardMachine();
  exportsDir = join(m.root, 'exports');
  outside = join(m.root, 'outside');
  mkdirSync(join(exportsDir, 'usb'), { recursive: true });
  mkdirSync(join(exportsDir, 'sub dir'), { recursive: true });
  mkdirSync(outside);
  m.mount('/', 'ext4', '/dev/sda2', '8:2').mount(join(exportsDir, 'usb'), 'vfat', '/dev/sdb1', '8:17');
});

const opts = () => ({ exportDestination: exportsDir, platform: 'linux' as const, linuxFsRoots: m.roots });

async function refusal(path: string, o: Parameters<typeof assertExportDestination>[1] = opts()): Promise<Error> {
  const err = await assertExportDestination(path, o).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error(`expected ${path} to be refused`);
  return err;
}

describe('assertExportDestination', () => {
  it('accepts a file inside the policy directory on the internal disk and returns its resolved path', async () => {
    await expect(assertExportDestination(join(exportsDir, 'a.csv'), opts())).resolves.toBe(join(exportsDir, 'a.csv'));
    await expect(assertExportDestination(join(exportsDir, 'sub dir', 'new', '監査.csv'), opts())).resolves.toBe(join(exportsDir, 'sub dir', 'new', '監査.csv'));
  });

  it('refuses a USB stick mounted inside the policy directory with RemovableMediaError', async () => {
    const err = await refusal(join(exportsDir, 'usb', 'a.csv'));
    expect(err).toBeInstanceOf(RemovableMediaError);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/^リムーバブルメディアへの書き出しは禁止されています（USBメモリ（\/dev\/sdb1）上にあります）/);
    expect((err as RemovableMediaError).check.device).toBe('/dev/sdb1');
  });

  it('refuses a symlinked directory that escapes the policy directory, naming the allowed directory', async () => {
    symlinkSync(outside, join(exportsDir, 'link'));
    const err = await refusal(join(exportsDir, 'link', 'a.csv'));
    expect(err).toBeInstanceOf(ExportDestinationError);
    expect(err.message).toContain(`許可されたフォルダ（${exportsDir}）`);
  });

  it('refuses a dangling symlinked file whose target is elsewhere (the write would land there)', async () => {
    symlinkSync('/media/user/USB/a.csv', join(exportsDir, 'a.csv'));
    expect(await refusal(join(exportsDir, 'a.csv'))).toBeInstanceOf(ExportDestinationError);
    // …and a symlink into the USB mount inside the directory is caught by the media check.
    symlinkSync(join(exportsDir, 'usb', 'x.csv'), join(exportsDir, 'b.csv'));
    expect(await refusal(join(exportsDir, 'b.csv'))).toBeInstanceOf(RemovableMediaError);
  });

  it('refuses paths outside, relative paths, .. segments and look-alike prefixes', async () => {
    expect((await refusal(join(outside, 'a.csv'))).message).toContain(exportsDir);
    expect(await refusal('exports/a.csv')).toBeInstanceOf(ExportDestinationError);
    expect(await refusal(`${exportsDir}/../outside/a.csv`)).toBeInstanceOf(ExportDestinationError);
    mkdirSync(`${exportsDir}-evil`);
    expect(await refusal(join(`${exportsDir}-evil`, 'a.csv'))).toBeInstanceOf(ExportDestinationError);
  });

  it('follows a policy directory that is itself a symlink', async () => {
    const alias = join(m.root, 'exports-alias');
    symlinkSync(exportsDir, alias);
    await expect(assertExportDestination(join(alias, 'a.csv'), { ...opts(), exportDestination: alias })).resolves.toBe(join(exportsDir, 'a.csv'));
  });

  it('refuses when no exportDestination is configured or it does not exist', async () => {
    expect((await refusal(join(exportsDir, 'a.csv'), { ...opts(), exportDestination: null })).message).toContain('ポリシーで設定されていない');
    const missing = join(m.root, 'missing');
    expect((await refusal(join(missing, 'a.csv'), { ...opts(), exportDestination: missing })).message).toContain(`（${missing}）が見つかりません`);
  });

  it('fails closed when the media check cannot run or the OS is unsupported', async () => {
    const broken = { ...opts(), linuxFsRoots: { procSelfMountinfo: join(m.root, 'nope'), sysClassBlock: m.roots.sysClassBlock } };
    expect((await refusal(join(exportsDir, 'a.csv'), broken)).message).toContain('媒体を確認できません');
    expect(await refusal(join(exportsDir, 'a.csv'), { ...opts(), platform: 'darwin' })).toBeInstanceOf(RemovableMediaError);
  });
});
