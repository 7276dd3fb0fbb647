import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { freshDb, type FreshDb } from '../../../../testing/db';
import type { Actor } from '../../actor';
import type { Db } from '../../db/database';
import { AuditLog } from '../audit-log';
import { AuditReview, type ReviewFilter } from '../audit-review';

/**
 * The audit review's queries keep an index (migration 18 made two of migration 7's indexes partial, so that an
 * ordinary entry writes fewer pages): the plan SQLite chooses for every selective filter, read with EXPLAIN QUERY
 * PLAN on the real encrypted database, never scans audit_log from end to end. The statements are the ones
 * AuditReview itself prepares, captured as it runs.
 */
let f: FreshDb;
beforeEach(() => {
  f = freshDb();
  const log = new AuditLog(f.db, { terminalId: 'T001' }, clockFrom('2026-11-24T01:00:00Z'));
  log.append({ staffId: 'D1001', action: 'residents.search', outcome: 'success', detail: { resultCount: 3 } });
  log.append({ staffId: 'D1001', action: 'residents.view', targetAtenaNo: '100001', reason: '窓口申請', outcome: 'success' });
  log.append({ staffId: 'D1002', action: 'auth.login', outcome: 'failure' });
});
afterEach(() => f.cleanup());

const sup: Actor = { staffId: 'SUP01', name: '監督者', role: 'supervisor', rights: ['audit.review'], demo: false, loggedInAt: '2026-11-24T01:00:00Z', locked: false };

/** Every statement `run` prepares on the database, with the values it was run with. */
function captured(db: Db, run: (db: Db) => void): { sql: string; params: unknown[] }[] {
  const seen: { sql: string; params: unknown[] }[] = [];
  const proxy = new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === 'prepare') {
        return (sql: string) => {
          const stmt = target.prepare(sql);
          return new Proxy(stmt, {
            get(s, p) {
              const v: unknown = Reflect.get(s, p, s);
              if (p === 'all' || p === 'get' || p === 'iterate') {
                return (...params: unknown[]) => {
                  seen.push({ sql, params });
                  return (v as (...a: unknown[]) => unknown).apply(s, params);
                };
              }
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
            },
          });
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  run(proxy);
  return seen;
}

const planOf = (db: Db, sql: string, params: unknown[]): string[] =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);

/** The plans of the review page's own statements on audit_log for a filter (the first page and a next page). */
function reviewPlans(filter: ReviewFilter): string[][] {
  const statements = captured(f.db, (db) => {
    const review = new AuditReview(db, new AuditLog(db, { terminalId: 'T001' }, clockFrom('2026-11-24T02:00:00Z')));
    review.page(sup, filter, null);
    review.page(sup, filter, 2);
  }).filter((s) => /\bFROM audit_log\b/.test(s.sql) && !s.sql.includes('ORDER BY seq DESC LIMIT 1'));
  expect(statements.length).toBeGreaterThanOrEqual(2);
  return statements.map((s) => planOf(f.db, s.sql, s.params));
}

const fullScan = (plan: string[]) => plan.some((line) => /^SCAN audit_log\b/.test(line));

describe('audit review query plans', () => {
  const selective: [string, ReviewFilter][] = [
    ['staff', { staffId: 'D1001' }],
    ['resident (宛名番号)', { atenaNo: '100001' }],
    ['action', { action: 'residents.view' }],
    ['action prefix', { action: 'auth.' }],
    ['outcome failure', { outcome: 'failure' }],
    ['outcome rejected', { outcome: 'rejected' }],
    ['action prefix + outcome failure', { action: 'auth.', outcome: 'failure' }],
    ['date range', { from: '2026-11-24', to: '2026-11-24' }],
    ['date range + staff', { from: '2026-11-24', to: '2026-11-24', staffId: 'D1001' }],
    ['date range + resident', { from: '2026-11-24', to: '2026-11-24', atenaNo: '100001' }],
  ];
  it.each(selective)('a review filtered by %s reads audit_log through an index, never a full scan', (_label, filter) => {
    for (const plan of reviewPlans(filter)) {
      expect(fullScan(plan), plan.join(' | ')).toBe(false);
      expect(plan.join(' | ')).toMatch(/USING (COVERING )?INDEX audit_log_|USING INTEGER PRIMARY KEY/);
    }
  });

  it('the failure and rejected filters use the partial outcome index (it holds only entries that did not succeed)', () => {
    for (const outcome of ['failure', 'rejected'] as const) {
      for (const plan of reviewPlans({ outcome })) expect(plan.join(' | ')).toMatch(/INDEX audit_log_outcome \(outcome=\?/);
    }
  });

  it('an action filter that cannot match a search reads the partial action index (searches are left out of it)', () => {
    for (const action of ['residents.view', 'auth.', 'claims.']) {
      const statements = captured(f.db, (db) => {
        new AuditReview(db, new AuditLog(db, { terminalId: 'T001' }, clockFrom('2026-11-24T02:00:00Z'))).page(sup, { action }, null);
      }).filter((s) => /\bFROM audit_log\b/.test(s.sql) && s.sql.includes('ORDER BY seq DESC LIMIT ?'));
      expect(statements.length).toBe(1);
      const s = statements[0] as { sql: string; params: unknown[] };
      expect(planOf(f.db, s.sql, s.params).join(' | ')).toMatch(/INDEX audit_log_action \(action/);
    }
  });

  it('a filter on searches (the densest entry) or on a terminal (a terminal logs only itself) walks the log newest first by seq and stops at the page size (no sort)', () => {
    for (const filter of [{ action: 'residents.search' }, { action: 'residents.' }, { terminalId: 'T001' }, { terminalId: 'T009' }] as ReviewFilter[]) {
      const statements = captured(f.db, (db) => {
        new AuditReview(db, new AuditLog(db, { terminalId: 'T001' }, clockFrom('2026-11-24T02:00:00Z'))).page(sup, filter, null);
      }).filter((s) => /\bFROM audit_log\b/.test(s.sql) && s.sql.includes('ORDER BY seq DESC LIMIT ?'));
      expect(statements.length).toBe(1);
      const plan = planOf(f.db, (statements[0] as { sql: string }).sql, (statements[0] as { params: unknown[] }).params).join(' | ');
      expect(plan).toMatch(/^SCAN audit_log$/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('the "many residents within an hour" highlight counts from the partial staff/time index alone (covering)', () => {
    const statements = captured(f.db, (db) => {
      new AuditReview(db, new AuditLog(db, { terminalId: 'T001' }, clockFrom('2026-11-24T02:00:00Z'))).page(sup, { staffId: 'D1001' }, null);
    }).filter((s) => s.sql.includes('count(DISTINCT target_atena_no)'));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(planOf(f.db, s.sql, s.params).join(' | ')).toMatch(/USING COVERING INDEX audit_log_staff_at \(staff_id=\? AND at>\? AND at<\?\)/);
  });
});
