import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Encoding from 'encoding-japanese';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { auditOf } from '../../../../testing/db';
import type { Actor } from '../../actor';
import { createCore } from '../../app-core';
import { FileKeyProvider } from '../../db/file-key-provider';
import { keyFilePath } from '../../app-core';
import { verifyExportDir } from '../verify-export';
import { auditCsv } from '../audit-export';

/** Audit export under the two-person rule, written to the policy's destination, verified by the verifier. */
let s: SeededCore;
let dest: string;
let sup: Actor;
let approver: Actor;

beforeEach(async () => {
  dest = mkdtempSync(join(tmpdir(), 'madoguchi-export-'));
  // 2026-11-24 10:00 JST, one millisecond per reading: the entries stay within 10:00:00 however slow the machine.
  const seeded = await createSeededCore({ clock: fixedClock('2026-11-24T01:00:00Z', 1), households: 2 });
  // Reopen the same data with an export destination configured (as the shell does from policy).
  seeded.core.close();
  const core = createCore({ ...coreOpts(seeded), exportDestination: { exportDestination: dest } });
  s = { ...seeded, core };
  sup = await loginSeeded(s, 'sup', 'D8001');
  approver = await loginSeeded(s, 'apr', 'D7001');
  await loginSeeded(s, 'clk', 'D1001');
});
afterEach(() => {
  s.cleanup();
  rmSync(dest, { recursive: true, force: true });
});

function coreOpts(seeded: SeededCore) {
  const o = seeded.core as unknown as { profile: unknown; clock: unknown };
  return { dataDir: seeded.dataDir, keyProvider: new FileKeyProvider(keyFilePath(seeded.dataDir)), clock: o.clock, profile: o.profile } as Parameters<typeof createCore>[0];
}

describe('audit export', () => {
  it('the requester cannot approve; a second person approves; the package verifies and carries the CSV in 和暦 and ISO', async () => {
    const req = s.core.exports.request(sup, { filter: { staffId: 'D1001' }, reason: '四半期の照合', csvEncoding: 'utf8bom' });
    await expect(s.core.exports.decide(sup, { exportId: req.id, approve: true, reason: '自己承認' })).rejects.toThrow(/自分が申請した出力は承認できません/);
    expect(() => s.core.db.prepare(`UPDATE audit_exports SET decided_by = requested_by WHERE id = ?`).run(req.id)).toThrow(/CHECK/);
    const done = await s.core.exports.decide(approver, { exportId: req.id, approve: true, reason: '照合のため承認' });
    expect(done).toMatchObject({ status: 'written', decidedBy: 'D7001' });
    const dir = done.destination!;
    expect(dir.startsWith(dest)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['audit-utf8.csv', 'checkpoint.json', 'entries.jsonl', 'manifest.json', 'proofs.json']);
    const lines = readFileSync(join(dir, 'entries.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(done.entries);
    expect(lines.every((l) => (JSON.parse(l) as { staffId: string }).staffId === 'D1001')).toBe(true);
    const csv = readFileSync(join(dir, 'audit-utf8.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text).toContain('令和8年11月24日');
    expect(text).toContain('2026-11-24T10:00:00+09:00');
    // Japanese names of the action and the outcome come from the one vocabulary (shared/audit/actions.ts).
    // The staff member's name comes from the local staff table through the review's own lookup.
    expect(text.split('\r\n')[0]).toBe('\ufeff連番,日時（和暦）,日時（ISO 8601）,職員ID,職員氏名,端末,操作,操作名,対象宛名番号,処理事由,結果,結果名');
    expect(text).toMatch(/,D1001,デモ窓口\u3000一郎,DEMO-01,auth\.login,ログイン,/);
    expect(text).toMatch(/,success,成功\r\n/);
    expect(await verifyExportDir(dir)).toMatchObject({ ok: true });
    const actions = auditOf(s.core.db, 'audit.export.request').concat(auditOf(s.core.db, 'audit.export.decide'), auditOf(s.core.db, 'audit.export.write'));
    expect(actions.map((a) => `${a.action}:${a.staffId}:${a.outcome}`)).toEqual(['audit.export.request:D8001:success', 'audit.export.decide:D8001:rejected', 'audit.export.decide:D7001:success', 'audit.export.write:D7001:success']);
    // The verifier shipped as a bin, run as a plain Node process.
    const out = await promisify(execFile)(process.execPath, ['bin/madoguchi-verify-audit.mjs', dir], { cwd: process.cwd() });
    expect(out.stdout).toMatch(/OK|検証/);
  });

  it('CP932 for older Excel; a rejected request writes nothing', async () => {
    const a = s.core.exports.request(sup, { filter: {}, reason: '監査', csvEncoding: 'cp932' });
    const written = await s.core.exports.decide(approver, { exportId: a.id, approve: true, reason: '承認' });
    const bytes = readFileSync(join(written.destination!, 'audit-cp932.csv'));
    expect(Encoding.detect(bytes)).toBe('SJIS');
    expect(Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' })).toContain('令和');
    const b = s.core.exports.request(sup, { filter: {}, reason: '監査', csvEncoding: 'utf8bom' });
    expect(await s.core.exports.decide(approver, { exportId: b.id, approve: false, reason: '目的が不明確' })).toMatchObject({ status: 'rejected', destination: null });
    expect(readdirSync(dest)).toHaveLength(1);
  });

  it('names retired actions and unknown staff in the CSV: a retired code gets its label, an ID not in the staff table an empty name', () => {
    const at = '2026-11-24T01:00:00.000Z';
    const entry = (seq: number, action: string, staffId: string | null) => ({ seq, at, staffId, terminalId: 'DEMO-01', action, targetAtenaNo: null, reason: null, outcome: 'success' as const, detail: {}, prevHash: '', hash: '' });
    const csv = new TextDecoder().decode(
      auditCsv([entry(1, 'certificates.issueKodomo', 'D1001'), entry(2, 'auth.login', 'X9999'), entry(3, 'certificates.print', null)], 'utf8bom', new Map([['D1001', 'デモ窓口　一郎']])),
    );
    const rows = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(rows[1]).toMatch(/,D1001,デモ窓口\u3000一郎,DEMO-01,certificates\.issueKodomo,こども医療証の交付（旧）,/);
    expect(rows[2]).toMatch(/,X9999,,DEMO-01,auth\.login,ログイン,/);
    expect(rows[3]).toMatch(/^3,[^,]+,[^,]+,,,DEMO-01,certificates\.print,証の印刷,/);
  });

  it('writes no spreadsheet formula: cells starting with = + - @, a tab or a CR stay text', async () => {
    const hostile = ['=HYPERLINK("http://evil.example","開く")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '  =1'];
    for (const reason of hostile) s.core.audit.append({ staffId: 'D1001', action: 'residents.view', reason, outcome: 'success' });
    const req = s.core.exports.request(sup, { filter: { staffId: 'D1001', action: 'residents.view' }, reason: '照合', csvEncoding: 'utf8bom' });
    const done = await s.core.exports.decide(approver, { exportId: req.id, approve: true, reason: '承認' });
    const text = readFileSync(join(done.destination!, 'audit-utf8.csv'), 'utf8');
    // The 処理事由 column of each row (10th), unquoted.
    const reasons = text.split('\r\n').slice(1, -1).map((line) => {
      const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replaceAll('""', '"'));
      return cells[9]!;
    });
    for (const h of hostile) expect(reasons).toContain(`'${h}`);
    for (const r of reasons) expect(r).not.toMatch(/^[=+\-@\t\r]/);
  });
});
