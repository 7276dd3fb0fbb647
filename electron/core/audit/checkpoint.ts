import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database';
import { CHECKPOINT_FORMAT, checkpointSignedText } from '../../../shared/audit/checkpoint-format';
import { writeSecretFile } from '../db/file-key-provider';
import type { Clock, KeyProvider } from '../platform';
import { readTerminalSettings } from '../db/terminal-settings';
import {
  MerkleHasher,
  MerkleRootBuilder,
  MerkleTree,
  fromHex,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type Sha256,
} from '../../../shared/audit/merkle';

/**
 * Signed checkpoints over the audit log (issue 8 §1): tamper evidence beyond the hash chain, including
 * truncation of the newest entries, which the chain alone cannot show.
 *
 * The tree. Leaf i (0-based) is the audit entry with seq i + 1; its leaf data is that entry's `hash`
 * (hex-decoded, 32 bytes), so the leaf hash is SHA-256(0x00 || entryHash) as in RFC 9162 §2.1. A checkpoint
 * of size N covers entries 1..N; seq numbers are contiguous (AUTOINCREMENT, append-only), and a gap is
 * reported as tampering.
 *
 * Signed bytes (UTF-8, each line ends with "\n", no trailing spaces; Ed25519 over exactly these bytes):
 *
 *   madoguchi-audit-checkpoint/v1
 *   <terminalId>
 *   <treeSize, decimal, no leading zeros>
 *   <rootHash, 64 lowercase hex>
 *   <createdAt, ISO 8601 as written by Date.toISOString()>
 *   <keyId>
 *
 * keyId = "ed25519:" + the first 32 hex digits of SHA-256 over the public key's DER SubjectPublicKeyInfo,
 * so a checkpoint names the key it was signed with and the verifier checks that the PEM it was given is that
 * key. No field may contain a newline.
 *
 * Storage: table `audit_checkpoints` (append-only, like audit_log), created by migration 8
 * (db/migrations/0008-audit-checkpoints.ts).
 */

export { CHECKPOINT_FORMAT };

/** SHA-256 with node:crypto, as the Merkle code wants it (a new buffer per call). */
export const nodeSha256: Sha256 = (data) => hash('sha256', data, 'buffer');
export const auditMerkleHasher = new MerkleHasher(nodeSha256);

export interface CheckpointBody {
  terminalId: string;
  /** Entries 1..treeSize (by seq) are covered. */
  treeSize: number;
  /** RFC 9162 MTH over the entries' hashes, lowercase hex. */
  rootHash: string;
  createdAt: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Ed25519 signature over `checkpointSignedBytes(body)`, base64. */
  signature: string;
  /** The signing key's public key (SPKI PEM), carried along for verifiers; trust it only after comparing keyId. */
  publicKeyPem: string;
}

export interface StoredCheckpoint extends SignedCheckpoint {
  id: number;
}

/** An inclusion proof of the entry with `seq` (leaf index seq − 1) in the tree of the first `treeSize` entries. */
export interface InclusionProof {
  seq: number;
  treeSize: number;
  /** The RFC 9162 audit path, bottom-up, lowercase hex. */
  path: string[];
}

export interface ConsistencyProof {
  oldSize: number;
  newSize: number;
  path: string[];
}

export interface CheckResult {
  ok: boolean;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------
// Keys

/** The terminal's checkpoint signing key. Implementations keep the private key inside: there is no export. */
export interface TerminalSigningKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  /** Ed25519 signature over `bytes`. */
  sign(bytes: Uint8Array): Uint8Array;
}

export const AUDIT_SIGNING_KEY_FILE = 'madoguchi-audit-signing.key';
/** The seed file of the signing key for key-file data directories (the shell keeps it wrapped by safeStorage). */
export const AUDIT_SEED_FILE = 'madoguchi-audit.key';

/** PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The terminal's audit signing key. Its seed is kept by `keys` (safeStorage on a terminal, like the database key);
 * a PEM file of an earlier version in the data directory is still used. Fails closed: once this terminal has
 * signed checkpoints, a missing key is an error, never a fresh key (a new key would sign a history it never saw).
 */
export function openTerminalSigningKey(db: Db, dataDir: string, keys: KeyProvider): TerminalSigningKey {
  const legacy = FileTerminalSigningKey.load(auditSigningKeyPath(dataDir));
  if (legacy) return legacy;
  const seed = keys.loadKey();
  if (seed) {
    try {
      return FileTerminalSigningKey.fromSeed(seed, keys.describe());
    } finally {
      seed.fill(0);
    }
  }
  const signed = (db.prepare('SELECT count(*) AS n FROM audit_checkpoints').get() as { n: number }).n;
  if (signed > 0) {
    throw new Error(`監査ログの署名鍵（${keys.describe()}）が見つかりません。この端末は署名済みのチェックポイントを ${signed} 件持つため、新しい鍵は作りません。システム管理者に連絡してください。`);
  }
  const created = keys.createKey();
  try {
    return FileTerminalSigningKey.fromSeed(created, keys.describe());
  } finally {
    created.fill(0);
  }
}

/** Where the key-file implementation keeps the private key: in the data directory, next to the database key. */
export function auditSigningKeyPath(dataDir: string): string {
  return join(dataDir, AUDIT_SIGNING_KEY_FILE);
}

/** "ed25519:" + first 128 bits (hex) of SHA-256 over the DER SubjectPublicKeyInfo. Throws if the PEM is not an Ed25519 public key. */
export function keyIdFor(publicKeyPem: string): string {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('署名鍵が Ed25519 ではありません');
  const der = key.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

/**
 * Key provider for tests, the harness and key-file data directories: the Ed25519 private key as PKCS#8 PEM in
 * a 0600 file (created with O_EXCL and fsync'd, as the database key file). The key object lives in a private
 * field; nothing returns or serialises it. A packaged terminal would wrap it with safeStorage instead.
 */
export class FileTerminalSigningKey implements TerminalSigningKey {
  readonly #privateKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPem: string;

  private constructor(
    privateKey: KeyObject,
    private readonly path: string,
  ) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path} の署名鍵が Ed25519 ではありません`);
    this.#privateKey = privateKey;
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = keyIdFor(this.publicKeyPem);
  }

  /** The stored key, or null when none has been created yet. Throws if the file cannot be read as an Ed25519 key. */
  static load(path: string): FileTerminalSigningKey | null {
    if (!existsSync(path)) return null;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: readFileSync(path, 'utf8'), format: 'pem' });
    } catch {
      throw new Error(`${path} の署名鍵の形式が正しくありません`);
    }
    return new FileTerminalSigningKey(key, path);
  }

  /** Generate and store a new key. Refuses if the file exists. */
  static create(path: string): FileTerminalSigningKey {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeSecretFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    return new FileTerminalSigningKey(privateKey, path);
  }

  static loadOrCreate(path: string): FileTerminalSigningKey {
    return FileTerminalSigningKey.load(path) ?? FileTerminalSigningKey.create(path);
  }

  /** The key whose 32-byte Ed25519 seed a KeyProvider keeps (a safeStorage-wrapped file on a terminal). */
  static fromSeed(seed: Buffer, where: string): FileTerminalSigningKey {
    if (seed.length !== 32) throw new Error(`${where} の署名鍵の形式が正しくありません`);
    const der = Buffer.concat([ED25519_PKCS8_SEED_PREFIX, seed]);
    try {
      return new FileTerminalSigningKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), where);
    } finally {
      der.fill(0);
    }
  }

  sign(bytes: Uint8Array): Uint8Array {
    return sign(null, bytes, this.#privateKey);
  }

  describe(): string {
    return `署名鍵ファイル ${this.path}（${this.keyId}）`;
  }

  toJSON(): { keyId: string; publicKeyPem: string } {
    return { keyId: this.keyId, publicKeyPem: this.publicKeyPem };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Signed bytes, signing, verification

const HEX64 = /^[0-9a-f]{64}$/;

function bodyProblem(b: CheckpointBody): string | null {
  for (const [name, v] of [
    ['terminalId', b.terminalId],
    ['createdAt', b.createdAt],
    ['keyId', b.keyId],
  ] as const) {
    if (typeof v !== 'string' || v.length === 0 || /[\r\n]/.test(v)) return `${name} が空か改行を含んでいます`;
  }
  if (!Number.isSafeInteger(b.treeSize) || b.treeSize < 0) return 'treeSize が 0 以上の整数ではありません';
  if (typeof b.rootHash !== 'string' || !HEX64.test(b.rootHash)) return 'rootHash が 64 桁の小文字16進数ではありません';
  return null;
}

/** The exact bytes a checkpoint signature covers (see the file header). Throws on a malformed body. */
export function checkpointSignedBytes(b: CheckpointBody): Uint8Array {
  const problem = bodyProblem(b);
  if (problem) throw new Error(`チェックポイントの内容が正しくありません: ${problem}`);
  return new TextEncoder().encode(checkpointSignedText(b));
}

export function signCheckpoint(body: Omit<CheckpointBody, 'keyId'>, signer: TerminalSigningKey): SignedCheckpoint {
  const full: CheckpointBody = { terminalId: body.terminalId, treeSize: body.treeSize, rootHash: body.rootHash, createdAt: body.createdAt, keyId: signer.keyId };
  const signature = Buffer.from(signer.sign(checkpointSignedBytes(full))).toString('base64');
  return { ...full, signature, publicKeyPem: signer.publicKeyPem };
}

/** Ed25519 signature check of raw bytes; false (never a throw) on a malformed key or signature. */
export function verifyEd25519(publicKeyPem: string, bytes: Uint8Array, signatureBase64: string): boolean {
  try {
    if (typeof signatureBase64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, bytes, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The signature and key binding only: `publicKeyPem` is the key the caller trusts (not necessarily the one
 * carried in the checkpoint); its keyId must be the checkpoint's keyId, and the signature must verify.
 */
export function verifyCheckpointSignature(cp: CheckpointBody & { signature: string }, publicKeyPem: string): CheckResult {
  let keyId: string;
  try {
    keyId = keyIdFor(publicKeyPem);
  } catch {
    return { ok: false, message: '公開鍵が Ed25519 の PEM として読み取れません' };
  }
  if (keyId !== cp.keyId) return { ok: false, message: `チェックポイントの鍵ID（${cp.keyId}）が公開鍵（${keyId}）と一致しません` };
  const problem = bodyProblem(cp);
  if (problem) return { ok: false, message: `チェックポイントの内容が正しくありません: ${problem}` };
  if (!verifyEd25519(publicKeyPem, checkpointSignedBytes(cp), cp.signature)) return { ok: false, message: 'チェックポイントの署名が正しくありません' };
  return { ok: true, message: 'チェックポイントの署名を確認しました' };
}

/**
 * A checkpoint against the full list of entry hashes (hex, seq order): signature and key, tree size, root.
 */
export function verifyCheckpoint(cp: CheckpointBody & { signature: string }, publicKeyPem: string, entryHashes: readonly string[]): CheckResult {
  const sig = verifyCheckpointSignature(cp, publicKeyPem);
  if (!sig.ok) return sig;
  if (entryHashes.length !== cp.treeSize) return { ok: false, message: `チェックポイントの記録数（${cp.treeSize}）と監査記録の数（${entryHashes.length}）が一致しません` };
  const b = new MerkleRootBuilder(auditMerkleHasher);
  for (const [i, h] of entryHashes.entries()) {
    if (!HEX64.test(h)) return { ok: false, message: `監査ログ ${i + 1} 番のハッシュの形式が正しくありません` };
    b.addLeaf(Buffer.from(h, 'hex'));
  }
  if (toHex(b.root()) !== cp.rootHash) return { ok: false, message: 'チェックポイントのルートハッシュが監査記録と一致しません（改ざん・削除・順序入替の疑い）' };
  return { ok: true, message: `監査記録 ${cp.treeSize} 件がチェックポイントと一致しました` };
}

/** Does `proof` show that the entry whose hash is `entryHashHex` is entry `proof.seq` of the tree with root `rootHashHex`? */
export function verifyInclusionProof(entryHashHex: string, proof: InclusionProof, rootHashHex: string): boolean {
  if (!HEX64.test(entryHashHex) || !HEX64.test(rootHashHex) || !Array.isArray(proof.path) || !proof.path.every((p) => typeof p === 'string' && HEX64.test(p))) return false;
  const leafHash = auditMerkleHasher.hashLeaf(fromHex(entryHashHex));
  return verifyInclusion(auditMerkleHasher, proof.seq - 1, proof.treeSize, leafHash, proof.path.map(fromHex), fromHex(rootHashHex));
}

/** Does `proof` show that checkpoint `older` is a prefix of checkpoint `newer` (same terminal)? Signatures are checked separately. */
export function verifyCheckpointConsistency(older: CheckpointBody, newer: CheckpointBody, proof: ConsistencyProof): boolean {
  if (older.terminalId !== newer.terminalId || proof.oldSize !== older.treeSize || proof.newSize !== newer.treeSize) return false;
  if (!HEX64.test(older.rootHash) || !HEX64.test(newer.rootHash) || !proof.path.every((p) => typeof p === 'string' && HEX64.test(p))) return false;
  return verifyConsistency(auditMerkleHasher, older.treeSize, newer.treeSize, proof.path.map(fromHex), fromHex(older.rootHash), fromHex(newer.rootHash));
}

// ---------------------------------------------------------------------------------------------------------
// Storage

interface CheckpointRow {
  id: number;
  terminal_id: string;
  tree_size: number;
  root_hash: string;
  created_at: string;
  key_id: string;
  public_key_pem: string;
  signature: string;
  frontier: string;
}

function fromRow(r: CheckpointRow): StoredCheckpoint {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    treeSize: r.tree_size,
    rootHash: r.root_hash,
    createdAt: r.created_at,
    keyId: r.key_id,
    signature: r.signature,
    publicKeyPem: r.public_key_pem,
  };
}

/** The newest checkpoint (largest tree, then newest), or null. */
export function latestCheckpoint(db: Db): StoredCheckpoint | null {
  const row = db.prepare<[], CheckpointRow>('SELECT * FROM audit_checkpoints ORDER BY tree_size DESC, id DESC LIMIT 1').get();
  return row ? fromRow(row) : null;
}

export function listCheckpoints(db: Db): StoredCheckpoint[] {
  return db.prepare<[], CheckpointRow>('SELECT * FROM audit_checkpoints ORDER BY id').all().map(fromRow);
}

/** Thrown when the log no longer extends the last signed checkpoint: a new checkpoint would launder the tampering. */
export class AuditTamperError extends Error {
  override readonly name = 'AuditTamperError';
}

function truncated(db: Db, treeSize: number): AuditTamperError {
  const total = db.prepare<[], number>('SELECT count(*) FROM audit_leaves').pluck().get() ?? 0;
  return new AuditTamperError(`監査ログが ${treeSize} 件から ${total} 件に減っています（削除の疑い）。チェックポイントを作成できません。`);
}

/** Decode an entry hash into `into` (32 bytes, reused between rows: no allocation per entry). */
function decodeEntryHash(seq: number, hashHex: string, into: Buffer): Buffer {
  if (!HEX64.test(hashHex)) throw new AuditTamperError(`監査ログ ${seq} 番のハッシュの形式が正しくありません（改ざんの疑い）`);
  into.write(hashHex, 'hex');
  return into;
}

function previousFrontier(db: Db, previous: StoredCheckpoint): MerkleRootBuilder {
  const text = db.prepare<[number], string>('SELECT frontier FROM audit_checkpoints WHERE id = ?').pluck().get(previous.id);
  let builder: MerkleRootBuilder;
  try {
    const hashes = JSON.parse(text ?? 'null') as unknown;
    if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string' && HEX64.test(h))) throw new Error('not a list of hashes');
    builder = MerkleRootBuilder.fromFrontier(auditMerkleHasher, previous.treeSize, hashes.map((h: string) => fromHex(h)));
  } catch {
    throw new AuditTamperError(`保存済みのチェックポイント（${previous.id}）の途中状態が読み取れません（改ざんの疑い）`);
  }
  if (toHex(builder.root()) !== previous.rootHash) {
    throw new AuditTamperError(`保存済みのチェックポイント（${previous.id}）の途中状態が署名済みのルートと一致しません（改ざんの疑い）`);
  }
  return builder;
}

export interface CreateCheckpointOptions {
  /** Defaults to the provisioned terminal ID (terminal_settings). */
  terminalId?: string;
  /**
   * Re-read and re-hash every entry and require the first `previous.treeSize` to give the previous signed root
   * (O(n): about 2 µs per SHA-256 call, two calls per entry). Without it (the default) only the entries added
   * since the newest checkpoint are read and hashed, continuing from its stored frontier (checked against its
   * signed root) — O(new entries + log n). Truncation below the previous size is still refused, but an edit or
   * removal of an already covered entry is not looked for: it cannot be laundered either, since the new root
   * continues the signed history, and it shows as a failing inclusion proof or a gap when exporting, and as a
   * broken chain in AuditLog.verify. Run with `full` where a complete check is wanted (e.g. shift end).
   */
  full?: boolean;
}

/**
 * Sign a checkpoint over the whole current log and store it. The log must still extend the newest checkpoint
 * stored with the same key (no entries removed; with `full`, also the same root at that size), otherwise
 * AuditTamperError: a new checkpoint never launders tampering. After a key change there is no such anchor and
 * the first checkpoint with the new key starts afresh (full). Runs in one transaction, so the tree and the
 * stored row see the same entries.
 */
export function createCheckpoint(db: Db, signer: TerminalSigningKey, clock: Clock, opts: CreateCheckpointOptions = {}): StoredCheckpoint {
  return db.transaction(() => {
    // Anchor only on this terminal key's own checkpoints, checked with that key: a row inserted with any other
    // key (whose public key would sit in the same row) must not become the history we continue from.
    const row = db
      .prepare<[string], CheckpointRow>('SELECT * FROM audit_checkpoints WHERE key_id = ? ORDER BY tree_size DESC, id DESC LIMIT 1')
      .get(signer.keyId);
    const previous = row ? fromRow(row) : null;
    if (previous) {
      const sig = verifyCheckpointSignature(previous, signer.publicKeyPem);
      if (!sig.ok) throw new AuditTamperError(`保存済みのチェックポイント（${previous.id}）が正しくありません: ${sig.message}`);
      if (!opts.full) {
        // Cheap boundary checks (O(log n)); the full mode below walks every entry instead.
        // Each table's own max (indexed); max() over the UNION ALL view would scan every row.
        const last = db.prepare<[], number>('SELECT max(coalesce((SELECT max(seq) FROM audit_purged_hashes), 0), coalesce((SELECT max(seq) FROM audit_log), 0))').pluck().get() ?? 0;
        const boundary = previous.treeSize === 0 || db.prepare<[number], number>('SELECT 1 FROM audit_leaves WHERE seq = ?').pluck().get(previous.treeSize) !== undefined;
        if (last < previous.treeSize) throw truncated(db, previous.treeSize);
        if (!boundary) throw new AuditTamperError(`前回のチェックポイントの最後の記録（監査ログ ${previous.treeSize} 番）がありません（削除の疑い）。チェックポイントを作成できません。`);
      }
    }
    const incremental = previous !== null && !opts.full;
    const builder = incremental ? previousFrontier(db, previous) : new MerkleRootBuilder(auditMerkleHasher);
    let previousRoot: string | null = previous && previous.treeSize === 0 ? toHex(auditMerkleHasher.emptyRoot()) : null;
    const scratch = Buffer.alloc(32);
    const rows = db.prepare<[number], { seq: number; hash: string }>('SELECT seq, hash FROM audit_leaves WHERE seq > ? ORDER BY seq').iterate(builder.size);
    for (const row of rows) {
      const expected = builder.size + 1;
      if (row.seq !== expected) throw new AuditTamperError(`監査ログ ${expected} 番が欠落しています（削除の疑い）。チェックポイントを作成できません。`);
      builder.addLeaf(decodeEntryHash(row.seq, row.hash, scratch));
      if (previous && !incremental && builder.size === previous.treeSize) previousRoot = toHex(builder.root());
    }
    if (previous && !incremental && builder.size < previous.treeSize) throw truncated(db, previous.treeSize);
    if (previous && !incremental && previousRoot !== previous.rootHash) {
      throw new AuditTamperError(`監査ログの先頭 ${previous.treeSize} 件が前回のチェックポイント（${previous.createdAt}）と一致しません（改ざんの疑い）。チェックポイントを作成できません。`);
    }
    const signed = signCheckpoint(
      {
        terminalId: opts.terminalId ?? readTerminalSettings(db).terminalId,
        treeSize: builder.size,
        rootHash: toHex(builder.root()),
        createdAt: clock.now().toISOString(),
      },
      signer,
    );
    const info = db
      .prepare(
        `INSERT INTO audit_checkpoints (terminal_id, tree_size, root_hash, created_at, key_id, public_key_pem, signature, frontier)
         VALUES (@terminalId, @treeSize, @rootHash, @createdAt, @keyId, @publicKeyPem, @signature, @frontier)`,
      )
      .run({ ...signed, frontier: JSON.stringify(builder.frontier().map(toHex)) });
    return { ...signed, id: Number(info.lastInsertRowid) };
  })();
}

/** The tree over entries 1..treeSize as stored now. Throws when fewer entries exist or seq has a gap. */
export function loadAuditTree(db: Db, treeSize: number): MerkleTree {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new RangeError(`木の大きさ ${treeSize} が正しくありません`);
  const level = new Uint8Array(treeSize * 32);
  const scratch = Buffer.alloc(32);
  let n = 0;
  const rows = db.prepare<[number], { seq: number; hash: string }>('SELECT seq, hash FROM audit_leaves WHERE seq <= ? ORDER BY seq').iterate(treeSize);
  for (const row of rows) {
    if (row.seq !== n + 1) throw new AuditTamperError(`監査ログ ${n + 1} 番が欠落しています（削除の疑い）`);
    level.set(auditMerkleHasher.hashLeaf(decodeEntryHash(row.seq, row.hash, scratch)), n * 32);
    n += 1;
  }
  if (n !== treeSize) throw new RangeError(`監査ログは ${n} 件しかありません（${treeSize} 件の木は作れません）`);
  return MerkleTree.fromLeafHashLevel(auditMerkleHasher, level);
}

/** Inclusion proof of entry `seq` in the tree of the first `treeSize` entries. */
export function inclusionProofFor(db: Db, seq: number, treeSize: number): InclusionProof {
  const [p] = inclusionProofsFor(db, [seq], treeSize);
  return p as InclusionProof;
}

/** Inclusion proofs of several entries against one tree size, building the tree once (for an export). */
export function inclusionProofsFor(db: Db, seqs: readonly number[], treeSize: number): InclusionProof[] {
  for (const seq of seqs) {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > treeSize) throw new RangeError(`監査ログ ${seq} 番は大きさ ${treeSize} の木に含まれません`);
  }
  const tree = loadAuditTree(db, treeSize);
  return seqs.map((seq) => ({ seq, treeSize, path: tree.inclusionProof(seq - 1).map(toHex) }));
}

/** Consistency proof that the first `oldSize` entries are a prefix of the first `newSize`. */
export function consistencyProof(db: Db, oldSize: number, newSize: number): ConsistencyProof {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new RangeError(`大きさ ${oldSize} から ${newSize} への整合性証明は作れません`);
  const tree = loadAuditTree(db, newSize);
  return { oldSize, newSize, path: tree.consistencyProof(oldSize).map(toHex) };
}

/** The root over the first `treeSize` entries as stored now (hex). */
export function auditRootHash(db: Db, treeSize: number): string {
  return toHex(loadAuditTree(db, treeSize).root());
}
