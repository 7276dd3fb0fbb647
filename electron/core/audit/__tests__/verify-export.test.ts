/**
 * The export package and its verifier against a real seeded core: real logins, searches, record views and
 * 個人番号 reveals write the audit entries; a real checkpoint is signed; the package is written by
 * writeExportDir and then tampered with on disk the way someone holding the files could.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { must } from '../../../../testing/db';
import { entryHash, type AuditEntry } from '../audit-log';
import {
  FileTerminalSigningKey,
  auditSigningKeyPath,
  createCheckpoint,
  inclusionProofsFor,
  keyIdFor,
  signCheckpoint,
  type SignedCheckpoint,
  type TerminalSigningKey,
} from '../checkpoint';
import { entryJson } from '../../../../shared/audit/audit-entry';
import { EXPORT_FILES, manifestSignedBytes, sha256Hex, verifyExportDir, writeExportDir, type ExportManifest, type VerifyExportResult } from '../verify-export';

const REPO = resolve(import.meta.dirname, '../../../..');

let s: SeededCore;
let work: string;
let signer: FileTerminalSigningKey;
let checkpoint: SignedCheckpoint;
let entries: AuditEntry[];
/** The package of all entries 1..N. */
let good: string;
let n = 0;

beforeAll(async () => {
  s = await createSeededCore({ clock: clockFrom('2027-04-01T00:30:00Z'), households: 20 });
  work = mkdtempSync(join(tmpdir(), 'madoguchi-export-'));
  const clerk = await loginSeeded(s, 's1', 'D1001');
  const revealer = await loginSeeded(s, 's2', 'D1002');
  const hits = s.core.residents.search(clerk, { kana: 'シケン' }).results;
  const child = must(hits[0], 'a seeded resident');
  s.core.residents.get(clerk, child.id, '窓口申請（こども医療証）');
  for (const kana of ['ヤマ', 'タナカ', 'スズキ', 'サトウ']) s.core.residents.search(clerk, { kana });
  // No central server here: the reveal is refused (terminals hold no 個人番号) and audited as refused — an entry all the same.
  await expect(s.core.residents.revealMyNumber(revealer, child.id, '番号法第9条による事務')).rejects.toMatchObject({ code: 'RULE' });
  s.core.audit.append({ staffId: 'D1001', action: 'session.shiftEnd', outcome: 'success', detail: { note: '業務終了', count: 3 } });
  signer = FileTerminalSigningKey.loadOrCreate(auditSigningKeyPath(s.dataDir));
  checkpoint = createCheckpoint(s.core.db, signer, s.core.clock);
  entries = s.core.audit.list({ limit: 100_000 });
  expect(entries.length).toBe(checkpoint.treeSize);
  expect(entries.length).toBeGreaterThanOrEqual(8);
  good = join(work, 'good');
  await writeExportDir(good, entries, checkpoint, signer, inclusionProofsFor(s.core.db, entries.map((e) => e.seq), checkpoint.treeSize));
}, 60_000);

afterAll(() => {
  s.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** A fresh copy of the good package to tamper with. */
function copyOfGood(): string {
  const dir = join(work, `case-${++n}`);
  cpSync(good, dir, { recursive: true });
  return dir;
}
const readLines = (dir: string): string[] => readFileSync(join(dir, EXPORT_FILES.entries), 'utf8').split('\n').slice(0, -1);
const writeLines = (dir: string, lines: string[]): void => writeFileSync(join(dir, EXPORT_FILES.entries), lines.map((l) => `${l}\n`).join(''));
const readJson = <T>(dir: string, name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
const writeJson = (dir: string, name: string, v: unknown): void => writeFileSync(join(dir, name), `${JSON.stringify(v, null, 2)}\n`);

/** What someone without the terminal key can do: recompute the manifest's hashes (the signature stays). */
function rehashManifest(dir: string, signWith?: TerminalSigningKey): void {
  const m = readJson<ExportManifest>(dir, EXPORT_FILES.manifest);
  for (const name of Object.keys(m.files)) m.files[name] = sha256Hex(readFileSync(join(dir, name)));
  if (signWith) m.signature = Buffer.from(signWith.sign(manifestSignedBytes(m))).toString('base64');
  writeJson(dir, EXPORT_FILES.manifest, m);
}

function anotherKey(): TerminalSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: keyIdFor(publicKeyPem), publicKeyPem, sign: (b) => nodeSign(null, b, privateKey) };
}

/** The result failed and one message has both the Japanese and the English text. */
function expectProblem(r: VerifyExportResult, ja: string, en: string): void {
  expect(r.ok).toBe(false);
  const hit = r.messages.find((m) => m.includes(ja));
  expect(hit, `no message containing「${ja}」in:\n${r.messages.join('\n')}`).toBeDefined();
  expect(hit).toContain(en);
  expect(r.messages[r.messages.length - 1]).toMatch(/^検証に失敗しました：\d+ 件の問題があります \/ Verification FAILED/);
}

describe('a genuine package', () => {
  it('verifies, with a verdict naming the entries, the checkpoint and the key fingerprint', async () => {
    const r = await verifyExportDir(good);
    expect(r.messages).toHaveLength(1);
    expect(r.ok).toBe(true);
    expect(r.messages[0]).toContain(`検証に成功しました：監査記録 ${entries.length} 件（seq 1〜${entries.length}）`);
    expect(r.messages[0]).toContain(`Verification passed: ${entries.length} entries`);
    expect(r.messages[0]).toContain(`端末 DEMO-01`);
    expect(r.messages[0]).toContain(signer.keyId);
    expect(r.messages[0]).toContain('登録済みの鍵であることを確認してください');
  });

  it('verifies against the trusted terminal key', async () => {
    const r = await verifyExportDir(good, { trustedPublicKeyPem: signer.publicKeyPem });
    expect(r.ok).toBe(true);
    expect(r.messages[0]).toContain('登録済みの鍵と一致しました');
  });

  it('has the documented layout: canonical JSON lines with the AuditEntry fields, proofs per entry, manifest of hashes', () => {
    const lines = readLines(good);
    expect(lines).toEqual(entries.map(entryJson));
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['action', 'at', 'detail', 'hash', 'outcome', 'prevHash', 'reason', 'seq', 'staffId', 'targetAtenaNo', 'terminalId']);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['residents.search', 'session.shiftEnd']));
    const m = readJson<ExportManifest>(good, EXPORT_FILES.manifest);
    expect(Object.keys(m.files).sort()).toEqual(['checkpoint.json', 'entries.jsonl', 'proofs.json']);
    expect(m.files['entries.jsonl']).toBe(sha256Hex(readFileSync(join(good, 'entries.jsonl'))));
    const proofs = readJson<{ treeSize: number; proofs: { seq: number; leafIndex: number }[] }>(good, EXPORT_FILES.proofs);
    expect(proofs.treeSize).toBe(checkpoint.treeSize);
    expect(proofs.proofs.map((p) => p.seq)).toEqual(entries.map((e) => e.seq));
    expect(readJson<{ publicKeyPem: string }>(good, EXPORT_FILES.checkpoint).publicKeyPem).toBe(signer.publicKeyPem);
  });

  it('a filtered (non-contiguous) selection with an extra CSV verifies too', async () => {
    const picked = entries.filter((e) => e.action.startsWith('residents.'));
    expect(picked.length).toBeGreaterThan(1);
    expect(picked.length).toBeLessThan(entries.length);
    const dir = join(work, 'filtered');
    await writeExportDir(dir, picked, checkpoint, signer, inclusionProofsFor(s.core.db, picked.map((e) => e.seq), checkpoint.treeSize), {
      extraFiles: { 'entries.csv': '\ufeffseq,action\n' },
    });
    const r = await verifyExportDir(dir);
    expect(r.messages.join('\n')).toContain(`監査記録 ${picked.length} 件`);
    expect(r.ok).toBe(true);
  });

  it('writeExportDir refuses inconsistent input instead of writing a package that would not verify', async () => {
    const proofs = inclusionProofsFor(s.core.db, entries.map((e) => e.seq), checkpoint.treeSize);
    await expect(writeExportDir(join(work, 'x1'), entries, checkpoint, anotherKey(), proofs)).rejects.toThrow(/署名鍵/);
    await expect(writeExportDir(join(work, 'x2'), [...entries].reverse(), checkpoint, signer, proofs)).rejects.toThrow(/昇順/);
    await expect(writeExportDir(join(work, 'x3'), entries, checkpoint, signer, proofs.slice(1))).rejects.toThrow(/1件につき1つ/);
    const edited = entries.map((e, i) => (i === 2 ? { ...e, hash: entries[3]!.hash } : e));
    await expect(writeExportDir(join(work, 'x4'), edited, checkpoint, signer, proofs)).rejects.toThrow(/3 番の包含証明/);
    await expect(writeExportDir(good, entries, checkpoint, signer, proofs)).rejects.toThrow(/EEXIST/);
  });
});

describe('tampering is detected with a message saying what is wrong', () => {
  it('an edited line (hash left as it was)', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    const e = JSON.parse(lines[2]!) as AuditEntry;
    lines[2] = entryJson({ ...e, reason: '職権処理' });
    writeLines(dir, lines);
    const r = await verifyExportDir(dir);
    expectProblem(r, '3行目の監査記録が改ざんされています（ハッシュ不一致）', 'line 3: entry hash mismatch (seq 3)');
    expectProblem(r, 'entries.jsonl の SHA-256 がマニフェストと一致しません（ファイルの改ざん）', 'entries.jsonl: SHA-256 does not match the manifest');
  });

  it('an edited line with its hash recomputed and the manifest re-hashed: the proof, the chain and the manifest signature fail', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    const e = JSON.parse(lines[2]!) as AuditEntry;
    const { hash: _old, ...rest } = { ...e, staffId: 'D9999' };
    lines[2] = entryJson({ ...rest, hash: entryHash(rest) });
    writeLines(dir, lines);
    rehashManifest(dir);
    const r = await verifyExportDir(dir);
    expect(r.messages.some((m) => m.includes('ハッシュ不一致'))).toBe(false);
    expectProblem(r, '3行目（seq 3）の包含証明がチェックポイントのルートハッシュと一致しません', "line 3 (seq 3): the inclusion proof does not lead to the checkpoint's root hash");
    expectProblem(r, '4行目（seq 4）の前ハッシュが seq 3（3行目）のハッシュと一致しません（連鎖の断絶）', 'hash chain broken');
    expectProblem(r, 'マニフェストの署名が正しくありません', 'manifest.json: the signature does not verify');
  });

  it('a dropped line', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    lines.splice(2, 1);
    writeLines(dir, lines);
    const r = await verifyExportDir(dir);
    expectProblem(r, 'proofs.json にある seq 3 の監査記録が entries.jsonl にありません（行の削除）', 'seq 3 has an inclusion proof but no line in entries.jsonl (line removed)');
    expectProblem(r, 'entries.jsonl の SHA-256 がマニフェストと一致しません', 'entries.jsonl: SHA-256 does not match');
  });

  it('a dropped last line (truncation) together with its proof: only the signed manifest can tell, and does', async () => {
    const dir = copyOfGood();
    writeLines(dir, readLines(dir).slice(0, -1));
    const p = readJson<{ proofs: unknown[] }>(dir, EXPORT_FILES.proofs);
    p.proofs.pop();
    writeJson(dir, EXPORT_FILES.proofs, p);
    rehashManifest(dir);
    const r = await verifyExportDir(dir);
    expectProblem(r, 'マニフェストの署名が正しくありません（マニフェストの改ざんまたは署名鍵の差し替え）', 'manifest.json: the signature does not verify (manifest altered or key swapped)');
  });

  it('two lines reordered', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    writeLines(dir, lines);
    const r = await verifyExportDir(dir);
    expectProblem(r, '4行目（seq 3）が前の行（seq 4）より後ろにあります（順序の入れ替えまたは重複）', 'line 4: seq 3 comes after seq 4 (lines reordered or duplicated)');
    // The content of each line is intact: no hash or proof message.
    expect(r.messages.some((m) => m.includes('ハッシュ不一致') || m.includes('包含証明'))).toBe(false);
  });

  it('a duplicated line', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    lines.splice(3, 0, lines[2]!);
    writeLines(dir, lines);
    expectProblem(await verifyExportDir(dir), '4行目（seq 3）が前の行（seq 3）より後ろにあります', 'line 4: seq 3 comes after seq 3');
  });

  it('key swap: checkpoint and manifest re-signed with another key, the terminal’s public key left in place', async () => {
    const dir = copyOfGood();
    const other = anotherKey();
    const cp = readJson<SignedCheckpoint & { format: string }>(dir, EXPORT_FILES.checkpoint);
    const forged = signCheckpoint({ ...cp, treeSize: cp.treeSize }, other);
    writeJson(dir, EXPORT_FILES.checkpoint, { ...cp, signature: forged.signature });
    rehashManifest(dir, other);
    const r = await verifyExportDir(dir);
    expectProblem(r, 'チェックポイントの署名が正しくありません（内容の改ざんまたは署名鍵の差し替え）', 'checkpoint.json: the signature does not verify with the enclosed public key');
    expectProblem(r, 'マニフェストの署名が正しくありません', 'manifest.json: the signature does not verify');
  });

  it('key swap, the other way: the terminal’s signatures kept, another public key (and its keyId) put in', async () => {
    const dir = copyOfGood();
    const other = anotherKey();
    const cp = readJson<SignedCheckpoint & { format: string }>(dir, EXPORT_FILES.checkpoint);
    writeJson(dir, EXPORT_FILES.checkpoint, { ...cp, publicKeyPem: other.publicKeyPem, keyId: other.keyId });
    const r = await verifyExportDir(dir);
    expectProblem(r, 'チェックポイントの署名が正しくありません', 'checkpoint.json: the signature does not verify');
    expectProblem(r, `マニフェストの鍵ID（${signer.keyId}）がチェックポイントの鍵ID（${other.keyId}）と異なります`, 'manifest.json: keyId');
    expectProblem(r, 'checkpoint.json の SHA-256 がマニフェストと一致しません', 'checkpoint.json: SHA-256 does not match');
  });

  it('key swap: another public key under the terminal’s keyId', async () => {
    const dir = copyOfGood();
    const cp = readJson<SignedCheckpoint & { format: string }>(dir, EXPORT_FILES.checkpoint);
    writeJson(dir, EXPORT_FILES.checkpoint, { ...cp, publicKeyPem: anotherKey().publicKeyPem });
    expectProblem(await verifyExportDir(dir), `checkpoint.json の鍵ID（${signer.keyId}）が同梱の公開鍵`, 'does not match the enclosed public key');
  });

  it('a package re-signed end to end with another key is self-consistent, so it is refused against the registered key', async () => {
    const other = anotherKey();
    const dir = join(work, 'resigned');
    const cp = signCheckpoint(checkpoint, other);
    await writeExportDir(dir, entries, cp, other, inclusionProofsFor(s.core.db, entries.map((e) => e.seq), checkpoint.treeSize));
    const alone = await verifyExportDir(dir);
    expect(alone.ok).toBe(true);
    expect(alone.messages[0]).toContain(other.keyId); // the fingerprint to compare is shown
    expectProblem(
      await verifyExportDir(dir, { trustedPublicKeyPem: signer.publicKeyPem }),
      `このパッケージの署名鍵（${other.keyId}）は端末の登録済みの鍵（${signer.keyId}）ではありません`,
      "the package is signed with key",
    );
  });

  it('the manifest: a changed file hash, an added field, a removed file entry, a missing manifest', async () => {
    let dir = copyOfGood();
    let m = readJson<ExportManifest>(dir, EXPORT_FILES.manifest);
    m.files['proofs.json'] = '0'.repeat(64);
    writeJson(dir, EXPORT_FILES.manifest, m);
    let r = await verifyExportDir(dir);
    expectProblem(r, 'マニフェストの署名が正しくありません（マニフェストの改ざんまたは署名鍵の差し替え）', 'manifest.json: the signature does not verify');
    expectProblem(r, 'proofs.json の SHA-256 がマニフェストと一致しません', 'proofs.json: SHA-256 does not match the manifest');

    dir = copyOfGood();
    writeJson(dir, EXPORT_FILES.manifest, { ...readJson<ExportManifest>(dir, EXPORT_FILES.manifest), approvedBy: 'D8001' });
    expectProblem(await verifyExportDir(dir), 'manifest.json の形式が正しくありません', 'manifest.json has an invalid format');

    dir = copyOfGood();
    m = readJson<ExportManifest>(dir, EXPORT_FILES.manifest);
    delete m.files['entries.jsonl'];
    writeJson(dir, EXPORT_FILES.manifest, m);
    r = await verifyExportDir(dir);
    expectProblem(r, 'マニフェストに entries.jsonl が記載されていません', 'manifest.json does not list entries.jsonl');
    expectProblem(r, 'マニフェストの署名が正しくありません', 'manifest.json: the signature does not verify');

    dir = copyOfGood();
    unlinkSync(join(dir, EXPORT_FILES.manifest));
    expectProblem(await verifyExportDir(dir), 'manifest.json がありません', 'manifest.json is missing');
  });

  it('a file not in the manifest is pointed out but does not fail an intact package', async () => {
    const dir = copyOfGood();
    writeFileSync(join(dir, 'readme.txt'), 'added later');
    const r = await verifyExportDir(dir);
    expect(r.ok).toBe(true);
    expect(r.messages).toContainEqual(expect.stringContaining('注意：readme.txt はマニフェストに記載されていないため検証していません'));
  });

  it('the checkpoint: a changed root or tree size breaks its signature', async () => {
    const dir = copyOfGood();
    const cp = readJson<SignedCheckpoint & { format: string }>(dir, EXPORT_FILES.checkpoint);
    writeJson(dir, EXPORT_FILES.checkpoint, { ...cp, treeSize: cp.treeSize + 5 });
    rehashManifest(dir);
    const r = await verifyExportDir(dir);
    expectProblem(r, 'チェックポイントの署名が正しくありません', 'checkpoint.json: the signature does not verify');
    expectProblem(r, `proofs.json の木の大きさ（${cp.treeSize}）がチェックポイント（${cp.treeSize + 5}）と異なります`, 'proofs.json: tree size');
  });

  it('a proof: one altered node hash', async () => {
    const dir = copyOfGood();
    const p = readJson<{ proofs: { path: string[] }[] }>(dir, EXPORT_FILES.proofs);
    const path = p.proofs[4]!.path;
    path[0] = `${path[0]![0] === 'a' ? 'b' : 'a'}${path[0]!.slice(1)}`;
    writeJson(dir, EXPORT_FILES.proofs, p);
    const r = await verifyExportDir(dir);
    expectProblem(r, '5行目（seq 5）の包含証明がチェックポイントのルートハッシュと一致しません（記録の差し替えの疑い）', 'line 5 (seq 5)');
    expectProblem(r, 'proofs.json の SHA-256 がマニフェストと一致しません', 'proofs.json: SHA-256');
  });

  it('a malformed or truncated line', async () => {
    const dir = copyOfGood();
    const text = readFileSync(join(dir, EXPORT_FILES.entries), 'utf8');
    writeFileSync(join(dir, EXPORT_FILES.entries), text.slice(0, -20));
    const r = await verifyExportDir(dir);
    expectProblem(r, 'entries.jsonl の最終行が改行で終わっていません（途中で切れている疑い）', 'entries.jsonl: the last line does not end with a newline');
    expectProblem(r, `${entries.length}行目が JSON として読み取れません`, `line ${entries.length} is not valid JSON`);
  });

  it('a line that is not canonical JSON', async () => {
    const dir = copyOfGood();
    const lines = readLines(dir);
    lines[1] = JSON.stringify(JSON.parse(lines[1]!), null, 0).replace('{', '{ ');
    writeLines(dir, lines);
    expectProblem(await verifyExportDir(dir), '2行目が正規化された JSON ではありません', 'line 2 (seq 2) is not in canonical JSON form');
  });

  it('not a directory', async () => {
    expectProblem(await verifyExportDir(join(work, 'nowhere')), 'はフォルダとして読み取れません', 'cannot be read as a directory');
  });
});

describe('the CLI (scripts/verify-audit.ts)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'scripts/verify-audit.ts'), ...args], { encoding: 'utf8', cwd: REPO });

  it('prints the verdict: exit 0 for a genuine package, 1 for a tampered one or bad usage', () => {
    const ok = run(good);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('検証に成功しました');

    const dir = copyOfGood();
    const lines = readLines(dir);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    writeLines(dir, lines);
    const bad = run(dir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('3行目（seq 2）が前の行（seq 3）より後ろにあります');
    expect(bad.stdout).toContain('Verification FAILED');

    const keyFile = join(work, 'terminal.pub.pem');
    writeFileSync(keyFile, signer.publicKeyPem);
    expect(run(good, '--trusted-key', keyFile).status).toBe(0);
    expect(run(good, '--trusted-key', join(work, 'missing.pem')).status).toBe(1);
    expect(run().status).toBe(1);
  }, 60_000);
});
