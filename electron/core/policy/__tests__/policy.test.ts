import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../policy';
import { loadPolicyFile, loadPolicyRegistry, parseRegQuery } from '../policy-sources';

const valid = {
  terminalId: 'T001',
  profileId: 'sample-osaka',
  centralServer: { url: 'https://central.example.lg.jp', caCertFile: '/etc/madoguchi/ca.pem', clientCertFile: '/etc/madoguchi/t.pem', clientKeyFile: '/etc/madoguchi/t.key' },
};

describe('policy schema', () => {
  it('applies the defaults: 5-minute lock, 30-minute logout, no printers, no export destination', () => {
    expect(parsePolicy(valid, 't')).toMatchObject({ idleLockMinutes: 5, idleLogoutMinutes: 30, allowedPrinters: [], exportDestination: null });
  });

  it('refuses an http server, unknown keys and a logout shorter than the lock, naming the field in Japanese', () => {
    expect(() => parsePolicy({ ...valid, centralServer: { ...valid.centralServer, url: 'http://central.example.lg.jp' } }, 't')).toThrow(/centralServer\.url: 中央サーバには https/);
    expect(() => parsePolicy({ ...valid, debug: true }, 't')).toThrow(PolicyError);
    expect(() => parsePolicy({ ...valid, idleLockMinutes: 10, idleLogoutMinutes: 10 }, 't')).toThrow(/idleLogoutMinutes/);
    expect(() => parsePolicy({ ...valid, terminalId: 't 1' }, 't')).toThrow(/端末ID/);
  });
});

describe('Linux policy file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-'));
    chmodSync(dir, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: string, mode = 0o644) => {
    const f = join(dir, 'policy.json');
    writeFileSync(f, content);
    chmodSync(f, mode);
    return f;
  };

  it('loads a root-owned, not group/other-writable file and says where it came from', () => {
    const f = write(JSON.stringify(valid));
    if (process.getuid?.() !== 0) return; // ownership checks need root to set up
    expect(loadPolicyFile(f)).toMatchObject({ source: `file:${f}`, policy: { terminalId: 'T001' } });
  });

  it('refuses a file others could have written', () => {
    const f = write(JSON.stringify(valid), 0o666);
    expect(() => loadPolicyFile(f)).toThrow(/root 所有で、他のユーザーが書き込めない/);
  });

  it('refuses a file owned by another user, or in a folder others can write', () => {
    const f = write(JSON.stringify(valid));
    if (process.getuid?.() !== 0) return;
    chownSync(f, 65534, 65534);
    expect(() => loadPolicyFile(f)).toThrow(/uid=65534/);
    chownSync(f, 0, 0);
    chmodSync(dir, 0o777);
    expect(() => loadPolicyFile(f)).toThrow(/root 所有/);
  });

  it('explains a missing or unreadable file for IT', () => {
    expect(() => loadPolicyFile(join(dir, 'none.json'))).toThrow(/ありません。IT担当者/);
    const f = write('{ not json');
    expect(() => loadPolicyFile(f, { requireRootOwned: false })).toThrow(/JSON として読めません/);
  });
});

describe('Windows registry policy', () => {
  const output = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Madoguchi',
    '    TerminalId    REG_SZ    T001',
    '    ProfileId    REG_SZ    sample-osaka',
    '    CentralServerUrl    REG_SZ    https://central.example.lg.jp',
    '    CaCertFile    REG_SZ    C:\\ProgramData\\Madoguchi\\ca.pem',
    '    ClientCertFile    REG_SZ    C:\\ProgramData\\Madoguchi\\t.pem',
    '    ClientKeyFile    REG_SZ    C:\\ProgramData\\Madoguchi\\t.key',
    '    IdleLockMinutes    REG_DWORD    0x3',
    '    AllowedPrinters    REG_MULTI_SZ    窓口プリンタ1\\0窓口プリンタ2',
    '',
  ].join('\r\n');

  it('parses REG_SZ, REG_DWORD (hex) and REG_MULTI_SZ values into the policy', async () => {
    const loaded = await loadPolicyRegistry(async () => output);
    expect(loaded.source).toBe('registry:HKLM\\SOFTWARE\\Policies\\Madoguchi');
    expect(loaded.policy).toMatchObject({ terminalId: 'T001', idleLockMinutes: 3, allowedPrinters: ['窓口プリンタ1', '窓口プリンタ2'], centralServer: { caCertFile: 'C:\\ProgramData\\Madoguchi\\ca.pem' } });
  });

  it('refuses an unknown value name (a typo must not pass silently) and a missing key', async () => {
    expect(() => parseRegQuery(output + '    IdleLockMinuts    REG_DWORD    0x3\r\n')).toThrow(/未知の値 IdleLockMinuts/);
    await expect(loadPolicyRegistry(async () => { throw new Error('ERROR: The system was unable to find the specified registry key'); })).rejects.toThrow(/グループポリシーで配布/);
  });
});
