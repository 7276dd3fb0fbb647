import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleProfileSchema, type RuleProfile } from '../../../shared/domain/profile';
import { loadRuleTables, type RuleTables } from '../../../shared/domain/claims/rule-tables';

/** Load and validate a municipal rule profile. An invalid profile stops the start with a clear message. */
export function loadRuleProfile(path: string): RuleProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`ルールプロファイル ${path} を読み込めません: ${(e as Error).message}`, { cause: e });
  }
  const parsed = ruleProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(全体)'}: ${i.message}`);
    throw new Error(`ルールプロファイル ${path} が正しくありません:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function profilePath(resourcesDir: string, profileId: string): string {
  if (!/^[a-z0-9-]+$/.test(profileId)) throw new Error(`プロファイルIDが正しくありません: ${profileId}`);
  return join(resourcesDir, 'profiles', `${profileId}.json`);
}

/** Load and validate the dated rule tables (resources/rules/*.json); a bad table stops the start. */
export function loadRuleTablesFromDir(resourcesDir: string): RuleTables {
  const dir = join(resourcesDir, 'rules');
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const docs = names.map((n) => {
    try {
      return JSON.parse(readFileSync(join(dir, n), 'utf8')) as unknown;
    } catch (e) {
      throw new Error(`ルール表 ${join(dir, n)} を読み込めません: ${(e as Error).message}`, { cause: e });
    }
  });
  return loadRuleTables(docs, names);
}
