import { describe, expect, it } from 'vitest';
import { WIN32_LOGICAL_DISK_QUERY, classifyWin32Path, isRemovablePathWin32, parseWin32LogicalDisks } from '../removable';

// Verbatim shape of Windows PowerShell 5.1 `ConvertTo-Json` output (4-space indent, two spaces after colons).
const ARRAY_JSON = `\uFEFF[\r
    {\r
        "DeviceID":  "C:",\r
        "DriveType":  3\r
    },\r
    {\r
        "DeviceID":  "D:",\r
        "DriveType":  5\r
    },\r
    {\r
        "DeviceID":  "E:",\r
        "DriveType":  2\r
    },\r
    {\r
        "DeviceID":  "Z:",\r
        "DriveType":  4\r
    }\r
]\r
`;
const SINGLE_JSON = `{
    "DeviceID":  "C:",
    "DriveType":  3
}
`;

function runner(output: string) {
  const calls: string[] = [];
  const run = async (command: string) => {
    calls.push(command);
    return output;
  };
  return { run, calls };
}

describe('parseWin32LogicalDisks', () => {
  it('parses the array form (several drives) and the single-object form (one drive)', () => {
    expect(parseWin32LogicalDisks(ARRAY_JSON)).toEqual([
      { deviceId: 'C:', driveType: 3 },
      { deviceId: 'D:', driveType: 5 },
      { deviceId: 'E:', driveType: 2 },
      { deviceId: 'Z:', driveType: 4 },
    ]);
    expect(parseWin32LogicalDisks(SINGLE_JSON)).toEqual([{ deviceId: 'C:', driveType: 3 }]);
    expect(parseWin32LogicalDisks('  \r\n')).toEqual([]);
  });

  it('rejects malformed output instead of guessing', () => {
    expect(() => parseWin32LogicalDisks('Get-CimInstance : アクセスが拒否されました。')).toThrow(/読み取れません/);
    expect(() => parseWin32LogicalDisks('{"DeviceID":"C:"}')).toThrow(/形式/);
    expect(() => parseWin32LogicalDisks('[{"DeviceID":"C:\\\\","DriveType":3}]')).toThrow(/形式/);
    expect(() => parseWin32LogicalDisks('[null]')).toThrow(/形式/);
  });
});

describe('classifyWin32Path', () => {
  it('recognises drive letters, UNC shares and extended-length forms', () => {
    expect(classifyWin32Path('e:/exports/a.csv')).toEqual({ kind: 'drive', drive: 'E:' });
    expect(classifyWin32Path('\\\\?\\E:\\exports\\a.csv')).toEqual({ kind: 'drive', drive: 'E:' });
    expect(classifyWin32Path('\\\\fs01\\共有\\a.csv')).toEqual({ kind: 'unc', share: '\\\\fs01\\共有' });
    expect(classifyWin32Path('\\\\?\\UNC\\fs01\\share\\a.csv')).toEqual({ kind: 'unc', share: '\\\\fs01\\share' });
    expect(classifyWin32Path('\\\\.\\PhysicalDrive1')).toEqual({ kind: 'unknown' });
    expect(classifyWin32Path('\\\\?\\Volume{0b1c7c2e-1111-2222-3333-444455556666}\\a.csv')).toEqual({ kind: 'unknown' });
    expect(classifyWin32Path('\\exports\\a.csv')).toEqual({ kind: 'unknown' });
  });
});

describe('isRemovablePathWin32', () => {
  it('refuses removable (2) and CD-ROM (5) drives, allows local (3) and network (4) drives', async () => {
    const { run, calls } = runner(ARRAY_JSON);
    expect(await isRemovablePathWin32('E:\\exports\\a.csv', run)).toEqual({
      removable: true,
      reason: 'リムーバブルディスク（USBメモリ・SDカード等、E:）上にあります',
      device: 'E:',
      mountPoint: 'E:\\',
    });
    expect(await isRemovablePathWin32('d:\\a.csv', run)).toMatchObject({ removable: true, reason: 'CD/DVDドライブ（D:）上にあります' });
    expect(await isRemovablePathWin32('C:\\Madoguchi\\exports\\a.csv', run)).toMatchObject({ removable: false, device: 'C:' });
    expect(await isRemovablePathWin32('Z:\\a.csv', run)).toMatchObject({ removable: false, reason: 'ネットワークドライブ（Z:）上にあります' });
    expect(calls.every((c) => c === WIN32_LOGICAL_DISK_QUERY)).toBe(true);
  });

  it('treats UNC paths as network shares without asking PowerShell', async () => {
    const { run, calls } = runner(ARRAY_JSON);
    expect(await isRemovablePathWin32('\\\\fs01\\exports\\a.csv', run)).toEqual({
      removable: false,
      reason: 'ネットワーク共有（\\\\fs01\\exports）上にあります',
      device: null,
      mountPoint: '\\\\fs01\\exports',
    });
    expect(calls).toEqual([]);
  });

  it('fails closed for drives missing from the list, unknown drive types and device paths', async () => {
    expect((await isRemovablePathWin32('F:\\a.csv', runner(SINGLE_JSON).run)).removable).toBe(true);
    expect((await isRemovablePathWin32('C:\\a.csv', runner('{"DeviceID":"C:","DriveType":0}').run)).removable).toBe(true);
    expect((await isRemovablePathWin32('\\\\.\\PhysicalDrive1', runner(ARRAY_JSON).run)).removable).toBe(true);
  });

  it('propagates a PowerShell failure (the caller refuses the export)', async () => {
    await expect(isRemovablePathWin32('C:\\a.csv', () => Promise.reject(new Error('powershell.exe not found')))).rejects.toThrow(/powershell/);
  });
});
