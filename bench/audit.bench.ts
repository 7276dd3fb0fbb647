/**
 * Audit trail benchmark (issue 8), on a real SQLCipher database with WAL and synchronous=FULL:
 *   1. append throughput: entries/s when each append is part of a domain transaction (a record update +
 *      its outbox row + the hash-chained audit entry, committed one by one — what the counter pays);
 *   2. full-chain verification time at BENCH_AUDIT_ENTRIES (default 1,000,000) entries;
 *   3. review-screen query time for one filtered page (100 rows, newest first) at that size;
 *   4. how long migration 21 (audit-log-lean: audit_log rebuilt, every entry copied) takes on a log of that size:
 *      the log is filled under migration 20's schema, then the database is opened again by the application's own
 *      openDatabase, which migrates it; the other figures are measured on the migrated log.
 *
 *   npm run bench:audit
 *   BENCH_AUDIT_ENTRIES=200000 npm run bench:audit
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AuditAction } from '../shared/audit/actions';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditLog } from '../electron/core/audit/audit-log';
import { AuditReview } from '../electron/core/audit/audit-review';
import type { Actor } from '../electron/core/actor';
import { openDatabase } from '../electron/core/db/database';
import { auditLogLean } from '../electron/core/db/migrations/0021-audit-log-lean';
import { MIGRATIONS } from '../electron/core/db/schema';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { insertRecord, updateRecord } from '../electron/core/db/records';
import { FileTerminalSigningKey, createCheckpoint } from '../electron/core/audit/checkpoint';

const N = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const APPENDS = Number(process.env.BENCH_AUDIT_APPENDS ?? 2_000);
const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (s: string) => process.stderr.write(`[bench:audit] ${s}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-audit-'));
  try {
    let t = Date.parse('2026-04-01T00:00:00Z');
    const clock = { now: () => new Date((t += 1500)) };
    const path = join(dir, 'madoguchi.db');
    const keyProvider = new FileKeyProvider(join(dir, 'db.key'));
    // The log is filled under the schema before migration 21, so that the migration's time on it can be measured.
    const before = openDatabase({ path, keyProvider, migrations: MIGRATIONS.filter((m) => m.version < auditLogLean.version) });
    const stamp = () => ({ by: 'B0001', at: clock.now().toISOString() });
    const resident = insertRecord(before, 'residents', { atena_no: '1', name_kanji: '計測 太郎', name_kana: 'ケイソク タロウ', name_kana_key: 'ケイソクタロウ', birth_date: '1990-01-01', sex: '1', postal_code: '', address: '大阪市北区', household_no: '1', dv_support: 0, non_disclosure: 0, view_suspended: 0 }, stamp());

    // Bulk fill to N entries (10,000 per transaction; every entry still goes through AuditLog.append).
    const fillAudit = new AuditLog(before, { terminalId: 'BENCH-01' }, clock);
    const actions: AuditAction[] = ['residents.view', 'residents.search', 'claims.receive', 'certificates.print', 'auth.login', 'residents.revealMyNumber'];
    const fillStart = performance.now();
    let filled = APPENDS + 1;
    while (filled < N) {
      const n = Math.min(10_000, N - filled);
      before.transaction(() => {
        for (let i = 0; i < n; i++) {
          const k = filled + i;
          fillAudit.append({ staffId: `S${k % 200}`, action: actions[k % actions.length]!, targetAtenaNo: String(100_000 + (k % 50_000)), reason: k % 7 === 0 ? '審査' : '窓口申請', outcome: k % 97 === 0 ? 'failure' : 'success', detail: { k } });
        }
      })();
      filled += n;
      if (filled % 100_000 < 10_000) log(`  ${filled.toLocaleString()} entries …`);
    }
    const fillSec = (performance.now() - fillStart) / 1000;
    before.pragma('wal_checkpoint(TRUNCATE)');
    const filledEntries = (before.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    before.close();

    // 4. Migration 21 on that log, as the application runs it when it opens the database.
    const m0 = performance.now();
    const db = openDatabase({ path, keyProvider });
    const migrateSec = (performance.now() - m0) / 1000;
    log(`migration 21 on ${filledEntries.toLocaleString()} entries: ${fmt(migrateSec)} s`);
    const audit = new AuditLog(db, { terminalId: 'BENCH-01' }, clock);

    // 1. Append with the domain transaction, one commit each.
    const times: number[] = [];
    let version = 1;
    const t0 = performance.now();
    for (let i = 0; i < APPENDS; i++) {
      const s0 = performance.now();
      db.transaction(() => {
        updateRecord(db, 'residents', resident, version, { address: `大阪市北区${i}` }, stamp());
        version++;
        audit.append({ staffId: `S${i % 50}`, action: 'residents.view', targetAtenaNo: '1', reason: '窓口申請', outcome: 'success', detail: { i } });
      })();
      times.push(performance.now() - s0);
    }
    const appendSec = (performance.now() - t0) / 1000;
    log(`appended ${APPENDS} with domain transactions in ${fmt(appendSec)} s`);

    db.pragma('wal_checkpoint(TRUNCATE)');
    const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

    // 2. Full-chain verification.
    const v0 = performance.now();
    const result = audit.verify();
    const verifySec = (performance.now() - v0) / 1000;
    if (!result.ok) throw new Error(`chain did not verify: ${result.message}`);

    // Signed checkpoints: the first over everything, then an incremental one after 1,000 more entries.
    const signer = FileTerminalSigningKey.loadOrCreate(join(dir, 'signing.key'));
    const c0 = performance.now();
    createCheckpoint(db, signer, clock);
    const firstCpSec = (performance.now() - c0) / 1000;
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) audit.append({ staffId: 'S1', action: 'residents.view', targetAtenaNo: '1', outcome: 'success' });
    })();
    const c1 = performance.now();
    createCheckpoint(db, signer, clock);
    const nextCpMs = performance.now() - c1;

    // 3. Review pages: a few typical filters, first page and a deep page.
    const review = new AuditReview(db, audit);
    const sup = { staffId: 'SUP01', name: 'bench', role: 'supervisor', rights: ['audit.review'], demo: false, loggedInAt: '', locked: false } as unknown as Actor;
    const filters: [string, Parameters<AuditReview['page']>[1]][] = [
      ['no filter', {}],
      ['staff', { staffId: 'S17' }],
      ['resident (宛名番号)', { atenaNo: '123456' }],
      ['action prefix + outcome', { action: 'auth.', outcome: 'failure' }],
      ['date range (one day) + staff', { from: '2026-06-01', to: '2026-06-01', staffId: 'S3' }],
      ['reason contains', { reason: '審査' }],
      ['searches only', { action: 'residents.search' }],
      ['terminal (this one)', { terminalId: 'BENCH-01' }],
      ['terminal (an ID the log does not hold: the whole log is read)', { terminalId: 'OTHER-99' }],
    ];
    const rows: string[] = [];
    for (const [label, f] of filters) {
      const ms: number[] = [];
      let next: number | null = null;
      for (let i = 0; i < 5; i++) {
        const q0 = performance.now();
        const p = review.page(sup, f, null, 100);
        ms.push(performance.now() - q0);
        next = p.next;
      }
      const d0 = performance.now();
      if (next !== null) review.page(sup, f, Math.floor(next / 2), 100);
      const deep = performance.now() - d0;
      rows.push(`| ${label} | ${fmt(pct(ms, 50))} | ${fmt(Math.max(...ms))} | ${next === null ? '—' : fmt(deep)} |`);
    }
    db.close();

    const cpu = cpus();
    const out = [
      '',
      'Madoguchi audit trail benchmark',
      `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; Node ${process.version}`,
      'database: SQLCipher 4 (openDatabase), WAL, synchronous=FULL; entries hashed (SHA-256 over canonical JSON) and chained',
      '',
      `append with the domain transaction (update + outbox + audit entry, one commit each, ${APPENDS} runs): ${fmt(APPENDS / appendSec, 0)} entries/s; p50 ${fmt(pct(times, 50))} ms, p99 ${fmt(pct(times, 99))} ms`,
      `bulk append (10,000 per transaction, schema before migration 21) to ${filledEntries.toLocaleString()} entries: ${fmt(fillSec, 1)} s (${fmt((filledEntries - 1) / fillSec, 0)} entries/s)`,
      `migration 21 (audit_log rebuilt without AUTOINCREMENT and UNIQUE(hash); every entry copied) when the application opens that database: ${fmt(migrateSec)} s`,
      `full-chain verification of ${total.toLocaleString()} entries: ${fmt(verifySec)} s (${fmt(total / verifySec, 0)} entries/s)`,
      `signed checkpoint (RFC 9162 root, Ed25519): first over ${total.toLocaleString()} entries ${fmt(firstCpSec)} s; next after 1,000 more (incremental) ${fmt(nextCpMs)} ms`,
      '',
      `review page (100 rows, newest first, with highlights) at ${total.toLocaleString()} entries — ms:`,
      '| filter | first page p50 | first page max | page from the middle |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ];
    process.stdout.write(out.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
