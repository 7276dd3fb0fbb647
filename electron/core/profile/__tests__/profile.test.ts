import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleProfile, profilePath } from '../load-profile';

const RESOURCES = resolve(import.meta.dirname, '../../../../resources');

function writeProfile(mutate: (p: Record<string, unknown> & { kodomo: Record<string, unknown> }) => void): string {
  const p = JSON.parse(readFileSync(profilePath(RESOURCES, 'sample-osaka'), 'utf8'));
  mutate(p);
  const file = join(mkdtempSync(join(tmpdir(), 'profile-')), 'p.json');
  writeFileSync(file, JSON.stringify(p));
  return file;
}

describe('municipal rule profiles', () => {
  it('every shipped profile is valid', () => {
    const ids = readdirSync(join(RESOURCES, 'profiles')).map((f) => f.replace(/\.json$/, ''));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(loadRuleProfile(profilePath(RESOURCES, id)).id).toBe(id);
  });

  it('refuses a 公費負担者番号 with a wrong check digit, naming the field', () => {
    const file = writeProfile((p) => (p.kodomo.publicPayerNo = '88270104'));
    expect(() => loadRuleProfile(file)).toThrow(/kodomo\.publicPayerNo: 公費負担者番号/);
  });

  it('refuses unknown keys and impossible renewal dates', () => {
    expect(() => loadRuleProfile(writeProfile((p) => (p.extra = 1)))).toThrow(/ルールプロファイル/);
    expect(() => loadRuleProfile(writeProfile((p) => (p.kodomo.renewal = { month: 13, day: 1 })))).toThrow(/kodomo\.renewal\.month/);
  });

  it('refuses unreadable JSON and path tricks in the profile ID', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'profile-')), 'bad.json');
    writeFileSync(file, '{');
    expect(() => loadRuleProfile(file)).toThrow(/読み込めません/);
    expect(() => profilePath(RESOURCES, '../secrets')).toThrow(/プロファイルID/);
  });
});
