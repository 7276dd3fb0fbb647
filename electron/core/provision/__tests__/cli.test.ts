import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, keyFilePath } from '../../app-core';
import { FileKeyProvider } from '../../db/file-key-provider';
import { loadRuleProfile, profilePath } from '../../profile/load-profile';
import { systemClock } from '../../platform';

const ROOT = resolve(import.meta.dirname, '../../../..');

function runCli(dataDir: string, file: string): { code: number; out: string } {
  try {
    const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['electron/core/provision/cli.ts', '--data-dir', dataDir, '--file', file], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
}

describe('provisioning CLI', () => {
  it('creates the first administrator from a one-time file, deletes the file, and refuses a second run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'prov-'));
    const file = join(dataDir, 'provision.json');
    const provisioning = { terminalId: 'T001', admin: { staffId: 'A0001', name: '管理　太郎', password: 'correct-horse-battery' }, numberBlock: { first: 1, last: 500 } };
    writeFileSync(file, JSON.stringify(provisioning));

    const first = runCli(dataDir, file);
    expect(first.code, first.out).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect((readFileSync(keyFilePath(dataDir), 'utf8').trim())).toMatch(/^[0-9a-f]{64}$/);

    const core = createCore({ dataDir, keyProvider: new FileKeyProvider(keyFilePath(dataDir)), clock: systemClock, profile: loadRuleProfile(profilePath(join(ROOT, 'resources'), 'sample-osaka')) });
    try {
      expect(core.settings).toEqual({ terminalId: 'T001', provisioned: true });
      // The password alone is not a login: the first administrator must register their own authenticator.
      const first = await core.auth.login('s1', 'A0001', 'correct-horse-battery');
      expect(first.stage).toBe('enroll_factor');
      expect(core.auth.sessionFor('s1')).toBeNull();
      expect(core.audit.list().map((e) => e.action)).toEqual(['terminal.provision']);
      const grants = core.db.prepare('SELECT right_name, approved_by FROM staff_grants WHERE staff_id = ? ORDER BY right_name').all('A0001');
      expect(grants).toEqual([{ right_name: 'admin.staff', approved_by: 'PROVISIONING' }, { right_name: 'audit.verify', approved_by: 'PROVISIONING' }]);
    } finally {
      core.close();
    }

    writeFileSync(file, JSON.stringify({ ...provisioning, terminalId: 'T002' }));
    const second = runCli(dataDir, file);
    expect(second.code).toBe(1);
    expect(second.out).toContain('すでに初期設定済み');
    expect(existsSync(file)).toBe(true); // a refused file is left for IT to inspect
  });

  it('refuses a weak administrator password with a clear message', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'prov-'));
    const file = join(dataDir, 'provision.json');
    writeFileSync(file, JSON.stringify({ terminalId: 'T001', admin: { staffId: 'A0001', name: '管理', password: 'short' }, numberBlock: { first: 1, last: 10 } }));
    const r = runCli(dataDir, file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('12文字以上');
  });
});
