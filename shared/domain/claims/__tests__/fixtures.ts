import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ruleProfileSchema, type RuleProfile } from '../../profile';
import { loadRuleTables, type RuleTables } from '../rule-tables';

export const RESOURCES = resolve(import.meta.dirname, '../../../../resources');

export function readJson(rel: string): unknown {
  return JSON.parse(readFileSync(resolve(RESOURCES, rel), 'utf8'));
}

export const RULE_FILES = ['rules/kokuho-kogaku.json', 'rules/kokuho-shussan.json'] as const;

/** The shipped rule tables, so the tests exercise the data that ships. */
export function shippedTables(): RuleTables {
  return loadRuleTables(RULE_FILES.map(readJson), RULE_FILES);
}

export function shippedProfile(id: 'sample-osaka' | 'sample-kumamoto'): RuleProfile {
  return ruleProfileSchema.parse(readJson(`profiles/${id}.json`));
}
