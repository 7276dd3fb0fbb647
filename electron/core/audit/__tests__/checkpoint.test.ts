import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database';
import { fixedClock } from '../../../../testing/clock';
import { freshDb, rawOpen, tamperAuditLog, type FreshDb } from '../../../../testing/db';
import { MIGRATIONS } from '../../db/schema';
import { AuditLog, type AuditEntry } from '../audit-log';
import {
  AuditTamperError,
  FileTerminalSigningKey,
  auditMerkleHasher,
  auditRootHash,
  auditSigningKeyPath,
  checkpointSignedBytes,
  consistencyProof,
  createCheckpoint,
  inclusionProofFor,
  inclusionProofsFor,
  keyIdFor,
  latestCheckpoint,
  listCheckpoints,
  signCheckpoint,
  verifyCheckpoint,
  verifyCheckpointConsistency,
  verifyCheckpointSignature,
  verifyInclusionProof,
  type TerminalSigningKey,
} from '../checkpoint';
import { MerkleRootBuilder, MerkleTree, fromHex, toHex } from '../../../../shared/audit/merkle';

let f: FreshDb;
let audit: AuditLog;
let signer: FileTerminalSigningKey;
const clock = fixedClock('2027-04-01T00:00:00Z');

beforeEach(() => {
  f = freshDb();
  audit = new AuditLog(f.db, { terminalId: 'T-01' }, fixedClock());
  signer = FileTerminalSigningKey.create(auditSigningKeyPath(f.dir));
});
afterEach(() => f.cleanup());

function append(n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => audit.append({ staffId: `S${i % 3}`, action: 'residents.view', targetAtenaNo: String(100000 + i), reason: '窓口申請', outcome: 'success', detail: { i } }));
}

const hashes = (db: Db): string[] => db.prepare<[], string>('SELECT hash FROM audit_log ORDER BY seq').pluck().all();

const tamper = (fn: (db: Db) => void) => tamperAuditLog(f, fn);

/** Another Ed25519 key that is not the terminal's. */
function otherKey(): TerminalSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: keyIdFor(publicKeyPem), publicKeyPem, sign: (bytes) => nodeSign(null, bytes, privateKey) };
}

describe('terminal signing key (file-backed)', () => {
  it('is created 0600 next to the database key, reloads to the same key, and refuses a second creation', () => {
    const path = auditSigningKeyPath(f.dir);
    expect(path).toBe(join(f.dir, 'madoguchi-audit-signing.key'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = FileTerminalSigningKey.load(path);
    expect(again?.keyId).toBe(signer.keyId);
    expect(again?.publicKeyPem).toBe(signer.publicKeyPem);
    expect(FileTerminalSigningKey.loadOrCreate(path).keyId).toBe(signer.keyId);
    expect(() => FileTerminalSigningKey.create(path)).toThrow();
    expect(FileTerminalSigningKey.load(join(f.dir, 'none.key'))).toBeNull();
    expect(signer.keyId).toMatch(/^ed25519:[0-9a-f]{32}$/);
    expect(signer.keyId).toBe(keyIdFor(signer.publicKeyPem));
  });

  it('never exposes the private key: not in its properties, JSON, or inspection', () => {
    const shown = JSON.stringify(signer) + Object.keys(signer).join(',') + String(Object.values(signer));
    expect(shown).not.toMatch(/PRIVATE KEY/);
    expect(Object.keys(signer).sort()).toEqual(['keyId', 'path', 'publicKeyPem']);
    expect(signer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(signer.describe()).not.toMatch(/PRIVATE/);
  });

  it('refuses a corrupt or non-Ed25519 key file with a Japanese message', () => {
    const bad = join(f.dir, 'bad.key');
    writeFileSync(bad, 'not a key', { mode: 0o600 });
    expect(() => FileTerminalSigningKey.load(bad)).toThrow(/署名鍵の形式が正しくありません/);
    const rsa = join(f.dir, 'rsa.key');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    expect(() => FileTerminalSigningKey.load(rsa)).toThrow(/Ed25519 ではありません/);
  });
});

describe('signed bytes', () => {
  it('are the documented text format', () => {
    const body = { terminalId: 'T-01', treeSize: 3, rootHash: 'ab'.repeat(32), createdAt: '2027-04-01T00:00:01.000Z', keyId: 'ed25519:00' };
    expect(new TextDecoder().decode(checkpointSignedBytes(body))).toBe(
      `madoguchi-audit-checkpoint/v1\nT-01\n3\n${'ab'.repeat(32)}\n2027-04-01T00:00:01.000Z\ned25519:00\n`,
    );
  });

  it('refuse fields that could forge another line', () => {
    const good = { terminalId: 'T-01', treeSize: 3, rootHash: 'ab'.repeat(32), createdAt: 'x', keyId: 'k' };
    expect(() => checkpointSignedBytes({ ...good, terminalId: 'T-01\n4' })).toThrow(/改行/);
    expect(() => checkpointSignedBytes({ ...good, treeSize: -1 })).toThrow(/treeSize/);
    expect(() => checkpointSignedBytes({ ...good, treeSize: 1.5 })).toThrow(/treeSize/);
    expect(() => checkpointSignedBytes({ ...good, rootHash: 'AB'.repeat(32) })).toThrow(/rootHash/);
  });
});

describe('createCheckpoint', () => {
  it('signs the RFC 9162 root over the entry hashes (seq order) and stores it', () => {
    const entries = append(13);
    const cp = createCheckpoint(f.db, signer, clock);
    const want = MerkleTree.fromLeaves(auditMerkleHasher, entries.map((e) => fromHex(e.hash))).root();
    expect(cp).toMatchObject({ treeSize: 13, rootHash: toHex(want), keyId: signer.keyId, publicKeyPem: signer.publicKeyPem, terminalId: 'UNPROVISIONED' });
    expect(cp.createdAt).toMatch(/^2027-04-01T00:00:0\d\.000Z$/);
    expect(cp.rootHash).toBe(auditRootHash(f.db, 13));
    expect(verifyCheckpoint(cp, signer.publicKeyPem, hashes(f.db))).toEqual({ ok: true, message: expect.stringContaining('13 件') });
    expect(latestCheckpoint(f.db)).toEqual(cp);
    expect(listCheckpoints(f.db)).toEqual([cp]);
  });

  it('over an empty log: tree size 0, root = SHA-256 of the empty string', () => {
    const cp = createCheckpoint(f.db, signer, clock, { terminalId: 'T-01' });
    expect(cp).toMatchObject({ treeSize: 0, terminalId: 'T-01', rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    append(2);
    expect(createCheckpoint(f.db, signer, clock).treeSize).toBe(2);
  });

  it('the table is append-only', () => {
    append(2);
    createCheckpoint(f.db, signer, clock);
    expect(() => f.db.prepare('UPDATE audit_checkpoints SET tree_size = 1').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM audit_checkpoints').run()).toThrow(/append-only/);
    expect(listCheckpoints(f.db)).toHaveLength(1);
  });

  it('the table belongs to migration 8: reading or signing checkpoints never creates it', () => {
    const old = freshDb(MIGRATIONS.slice(0, 7));
    try {
      const schema = () => old.db.prepare<[], string>('SELECT name FROM sqlite_master ORDER BY name').pluck().all();
      const before = schema();
      expect(before).not.toContain('audit_checkpoints');
      expect(() => latestCheckpoint(old.db)).toThrow(/no such table: audit_checkpoints/);
      expect(() => listCheckpoints(old.db)).toThrow(/no such table: audit_checkpoints/);
      expect(() => createCheckpoint(old.db, signer, clock, { terminalId: 'T-01' })).toThrow(/no such table: audit_checkpoints/);
      expect(schema()).toEqual(before);
    } finally {
      old.cleanup();
    }
  });

  it('successive checkpoints are consistent (RFC 9162 consistency proof)', () => {
    append(5);
    const c1 = createCheckpoint(f.db, signer, clock);
    append(12);
    const c2 = createCheckpoint(f.db, signer, clock);
    const proof = consistencyProof(f.db, c1.treeSize, c2.treeSize);
    expect(proof.oldSize).toBe(5);
    expect(proof.newSize).toBe(17);
    expect(verifyCheckpointConsistency(c1, c2, proof)).toBe(true);
    // A proof for other sizes, or checkpoints of another terminal, does not hold.
    expect(verifyCheckpointConsistency(c1, c2, consistencyProof(f.db, 4, 17))).toBe(false);
    expect(verifyCheckpointConsistency(c1, { ...c2, terminalId: 'T-99' }, proof)).toBe(false);
    expect(verifyCheckpointConsistency(c1, { ...c2, rootHash: c1.rootHash }, proof)).toBe(false);
    expect(() => consistencyProof(f.db, 18, 17)).toThrow(RangeError);
    expect(() => consistencyProof(f.db, 1, 18)).toThrow(RangeError);
  });

  it('an edit of a covered entry: a full checkpoint refuses, an incremental one does not launder it', () => {
    const entries = append(6);
    const c1 = createCheckpoint(f.db, signer, clock);
    append(2);
    tamper((db) => db.prepare(`UPDATE audit_log SET hash = ? WHERE seq = 2`).run(randomBytes(32).toString('hex')));
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(AuditTamperError);
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(/先頭 6 件が前回のチェックポイント/);
    expect(listCheckpoints(f.db)).toHaveLength(1);
    // Incremental: built on the signed history, so it still covers the original entry 2 ...
    const c2 = createCheckpoint(f.db, signer, clock);
    expect(c2.treeSize).toBe(8);
    expect(c2.rootHash).not.toBe(auditRootHash(f.db, 8));
    const forgedHash = f.db.prepare<[], string>('SELECT hash FROM audit_log WHERE seq = 2').pluck().get()!;
    expect(verifyInclusionProof(forgedHash, inclusionProofFor(f.db, 2, 8), c2.rootHash)).toBe(false);
    expect(verifyInclusionProof(entries[1]!.hash, inclusionProofFor(f.db, 2, 8), c2.rootHash)).toBe(true); // the original is what was signed
    // ... and is consistent with the previous checkpoint, which the tampered database is not.
    expect(verifyCheckpointConsistency(c1, c2, consistencyProof(f.db, 6, 8))).toBe(false);
    expect(verifyInclusionProof(entries[4]!.hash, inclusionProofFor(f.db, 5, 8), c2.rootHash)).toBe(false); // the path crosses seq 2
    expect(verifyInclusionProof(entries[0]!.hash, inclusionProofFor(f.db, 1, 8), c2.rootHash)).toBe(false);
  });

  it('incremental and full checkpoints agree, and each is consistent with the one before', () => {
    const sizes = [3, 1, 8, 16, 5];
    const cps = sizes.map((k, i) => {
      append(k);
      return createCheckpoint(f.db, signer, clock, { full: i % 2 === 1 });
    });
    let total = 0;
    for (const [i, cp] of cps.entries()) {
      total += sizes[i]!;
      expect(cp.treeSize).toBe(total);
      expect(cp.rootHash, `checkpoint ${i}`).toBe(auditRootHash(f.db, total));
      if (i > 0) expect(verifyCheckpointConsistency(cps[i - 1]!, cp, consistencyProof(f.db, cps[i - 1]!.treeSize, cp.treeSize))).toBe(true);
    }
    expect(createCheckpoint(f.db, signer, clock, { full: true }).rootHash).toBe(cps[cps.length - 1]!.rootHash);
  });

  it('ignores a checkpoint row inserted with another key: it cannot become the history a new checkpoint continues', () => {
    append(6);
    const c1 = createCheckpoint(f.db, signer, clock);
    tamper((db) => db.prepare(`UPDATE audit_log SET hash = ? WHERE seq = 2`).run(randomBytes(32).toString('hex')));
    // The attacker signs the tampered log with their own key and stores it as the newest, larger checkpoint.
    append(1);
    const tree = new MerkleRootBuilder(auditMerkleHasher);
    for (const h of hashes(f.db)) tree.addLeaf(fromHex(h));
    const forged = signCheckpoint({ terminalId: c1.terminalId, treeSize: 7, rootHash: toHex(tree.root()), createdAt: c1.createdAt }, otherKey());
    const other = rawOpen(f.path, f.keyPath);
    try {
      other
        .prepare(
          `INSERT INTO audit_checkpoints (terminal_id, tree_size, root_hash, created_at, key_id, public_key_pem, signature, frontier)
           VALUES (@terminalId, @treeSize, @rootHash, @createdAt, @keyId, @publicKeyPem, @signature, @frontier)`,
        )
        .run({ ...forged, frontier: JSON.stringify(tree.frontier().map(toHex)) });
    } finally {
      other.close();
    }
    expect(latestCheckpoint(f.db)?.keyId).not.toBe(signer.keyId);
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(/先頭 6 件が前回のチェックポイント/);
    const c2 = createCheckpoint(f.db, signer, clock);
    expect(c2.rootHash).not.toBe(forged.rootHash);
    expect(c2.treeSize).toBe(7);
  });

  it('refuses a forged frontier (the unsigned state kept for incremental checkpoints)', () => {
    append(5);
    createCheckpoint(f.db, signer, clock);
    append(1);
    const other = rawOpen(f.path, f.keyPath);
    try {
      other.exec('DROP TRIGGER audit_checkpoints_no_update');
      other.prepare('UPDATE audit_checkpoints SET frontier = ?').run(JSON.stringify(['ab'.repeat(32), 'cd'.repeat(32)]));
    } finally {
      other.close();
    }
    expect(() => createCheckpoint(f.db, signer, clock)).toThrow(/途中状態が署名済みのルートと一致しません/);
    expect(createCheckpoint(f.db, signer, clock, { full: true }).treeSize).toBe(6);
  });

  it('a covered entry deleted from the middle: the full mode refuses, the incremental one leaves it to the proofs', () => {
    append(6);
    createCheckpoint(f.db, signer, clock);
    append(3);
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run());
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(/監査ログ 2 番が欠落しています/);
    // Incremental: not looked for, not laundered either — the proofs for an export find the gap.
    const cp = createCheckpoint(f.db, signer, clock);
    expect(cp.treeSize).toBe(9);
    expect(() => inclusionProofFor(f.db, 7, cp.treeSize)).toThrow(/2 番が欠落/);
  });

  it('refuses when the last covered entry was deleted, in both modes', () => {
    append(6);
    createCheckpoint(f.db, signer, clock);
    append(2);
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 6').run());
    expect(() => createCheckpoint(f.db, signer, clock)).toThrow(/最後の記録（監査ログ 6 番）がありません/);
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(/6 番が欠落/);
  });

  it('refuses after the newest entries were removed (truncation, which the chain alone cannot see)', () => {
    append(6);
    createCheckpoint(f.db, signer, clock);
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq > 4').run());
    expect(audit.verify().ok).toBe(true); // the chain is still intact
    expect(() => createCheckpoint(f.db, signer, clock)).toThrow(/6 件から 4 件に減っています/);
    expect(() => createCheckpoint(f.db, signer, clock, { full: true })).toThrow(/6 件から 4 件に減っています/);
  });

  it('refuses a gap in seq', () => {
    append(5);
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 3').run());
    expect(() => createCheckpoint(f.db, signer, clock)).toThrow(/3 番が欠落/);
    expect(() => inclusionProofFor(f.db, 4, 5)).toThrow(/3 番が欠落/);
  });

  it('refuses when the stored previous checkpoint was forged', () => {
    append(3);
    createCheckpoint(f.db, signer, clock);
    const other = rawOpen(f.path, f.keyPath);
    try {
      other
        .prepare(
          `INSERT INTO audit_checkpoints (terminal_id, tree_size, root_hash, created_at, key_id, public_key_pem, signature, frontier)
           SELECT terminal_id, 3, ?, created_at, key_id, public_key_pem, signature, frontier FROM audit_checkpoints`,
        )
        .run('cd'.repeat(32));
    } finally {
      other.close();
    }
    expect(() => createCheckpoint(f.db, signer, clock)).toThrow(/保存済みのチェックポイント.*署名が正しくありません/);
  });
});

describe('verifyCheckpoint', () => {
  it('detects a wrong key, an edited/dropped/reordered/appended list and edited fields', () => {
    append(9);
    const cp = createCheckpoint(f.db, signer, clock);
    const hs = hashes(f.db);
    const other = otherKey();
    expect(verifyCheckpoint(cp, other.publicKeyPem, hs)).toMatchObject({ ok: false, message: expect.stringContaining('鍵ID') });
    // Re-signed with another key but claiming the terminal's keyId.
    const forged = { ...signCheckpoint(cp, other), keyId: signer.keyId };
    expect(verifyCheckpoint(forged, signer.publicKeyPem, hs)).toMatchObject({ ok: false, message: expect.stringContaining('署名が正しくありません') });

    expect(verifyCheckpoint(cp, signer.publicKeyPem, hs.slice(0, -1))).toMatchObject({ ok: false, message: expect.stringContaining('一致しません') });
    expect(verifyCheckpoint(cp, signer.publicKeyPem, [...hs, 'ab'.repeat(32)]).ok).toBe(false);
    const swapped = [...hs];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(verifyCheckpoint(cp, signer.publicKeyPem, swapped)).toMatchObject({ ok: false, message: expect.stringContaining('ルートハッシュ') });
    const edited = hs.map((h, i) => (i === 5 ? 'ff'.repeat(32) : h));
    expect(verifyCheckpoint(cp, signer.publicKeyPem, edited).ok).toBe(false);
    expect(verifyCheckpoint(cp, signer.publicKeyPem, hs.map((h, i) => (i === 0 ? 'zz' : h))).ok).toBe(false);

    for (const change of [{ treeSize: 8 }, { rootHash: 'ab'.repeat(32) }, { terminalId: 'T-02' }, { createdAt: '2030-01-01T00:00:00.000Z' }]) {
      expect(verifyCheckpointSignature({ ...cp, ...change }, signer.publicKeyPem), JSON.stringify(change)).toMatchObject({ ok: false, message: 'チェックポイントの署名が正しくありません' });
    }
    expect(verifyCheckpointSignature({ ...cp, signature: 'not base64!' }, signer.publicKeyPem).ok).toBe(false);
    expect(verifyCheckpointSignature(cp, 'garbage').ok).toBe(false);
    expect(verifyCheckpoint(cp, signer.publicKeyPem, hs).ok).toBe(true);
  });
});

describe('inclusion proofs from the database', () => {
  it('prove each entry against the checkpoint, and only that entry', () => {
    const entries = append(11);
    const cp = createCheckpoint(f.db, signer, clock);
    const proofs = inclusionProofsFor(f.db, entries.map((e) => e.seq), cp.treeSize);
    for (const [i, e] of entries.entries()) {
      const p = proofs[i]!;
      expect(p).toEqual(inclusionProofFor(f.db, e.seq, cp.treeSize));
      expect(verifyInclusionProof(e.hash, p, cp.rootHash), `seq ${e.seq}`).toBe(true);
      expect(verifyInclusionProof(entries[(i + 1) % entries.length]!.hash, p, cp.rootHash)).toBe(false);
      expect(verifyInclusionProof(e.hash, { ...p, seq: p.seq === 1 ? 2 : p.seq - 1 }, cp.rootHash)).toBe(false);
      expect(verifyInclusionProof(e.hash, { ...p, treeSize: cp.treeSize * 2 }, cp.rootHash)).toBe(false);
    }
    // Against an older, smaller tree.
    const old = inclusionProofFor(f.db, 3, 4);
    expect(verifyInclusionProof(entries[2]!.hash, old, auditRootHash(f.db, 4))).toBe(true);
    expect(verifyInclusionProof(entries[2]!.hash, old, cp.rootHash)).toBe(false);
    expect(verifyInclusionProof(entries[2]!.hash, { ...old, path: ['zz'] }, cp.rootHash)).toBe(false);
    expect(() => inclusionProofFor(f.db, 12, 11)).toThrow(RangeError);
    expect(() => inclusionProofFor(f.db, 0, 11)).toThrow(RangeError);
    expect(() => inclusionProofFor(f.db, 1, 12)).toThrow(/11 件しかありません/);
  });
});

describe('performance', () => {
  it('a checkpoint over 100k entries matches the root computed in memory, and the next one is incremental', () => {
    const N = 100_000;
    // Synthetic rows: only the hash column matters to the tree (the chain is covered by audit-log tests).
    const insert = f.db.prepare(
      `INSERT INTO audit_log (seq, at, staff_id, terminal_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash)
       VALUES (?, '2027-04-01T00:00:00.000Z', 'S1', 'T-01', 'bench', NULL, NULL, 'success', '{}', ?, ?)`,
    );
    const leafHex: string[] = [];
    f.db.transaction(() => {
      let prev = '0'.repeat(64);
      for (let seq = 1; seq <= N; seq++) {
        const h = randomBytes(32).toString('hex');
        insert.run(seq, prev, h);
        leafHex.push(h);
        prev = h;
      }
    })();

    let t = performance.now();
    const b = new MerkleRootBuilder(auditMerkleHasher);
    for (const h of leafHex) b.addLeaf(Buffer.from(h, 'hex'));
    const root = toHex(b.root());
    const rootMs = performance.now() - t;

    t = performance.now();
    const cp = createCheckpoint(f.db, signer, clock);
    const checkpointMs = performance.now() - t;

    t = performance.now();
    const proofs = inclusionProofsFor(f.db, [1, 50_000, N], N);
    const proofMs = performance.now() - t;

    append(10);
    t = performance.now();
    const next = createCheckpoint(f.db, signer, clock);
    const incrementalMs = performance.now() - t;
    expect(next.treeSize).toBe(N + 10);

    expect(cp.rootHash).toBe(root);
    expect(proofs.every((p, i) => verifyInclusionProof(leafHex[[0, 49_999, N - 1][i]!]!, p, root))).toBe(true);
    console.log(
      `[checkpoint perf] 100k leaves: root in memory ${rootMs.toFixed(0)} ms; first createCheckpoint (DB read + root + sign + store) ${checkpointMs.toFixed(0)} ms; ` +
        `3 inclusion proofs incl. full tree build ${proofMs.toFixed(0)} ms; next checkpoint after 10 more entries (incremental) ${incrementalMs.toFixed(0)} ms`,
    );
    // Timings are for `npm run bench:audit`; here only that the incremental path did far less work than the first.
    expect(incrementalMs).toBeLessThan(checkpointMs);
  }, 120_000);
});
