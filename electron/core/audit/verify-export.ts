/**
 * The audit export package and its verifier (issue 8 §3, §4). Plain Node (fs, crypto, zod): no Electron, no
 * database, so `scripts/verify-audit.ts` runs it anywhere the package is copied to.
 *
 * Package layout — one directory:
 *
 *   entries.jsonl    the exported audit entries, one per line, in ascending seq order. Each line is the
 *                    canonical JSON (keys sorted, no whitespace; shared/audit/canonical-json.ts) of an object
 *                    with exactly the AuditEntry fields of audit-log.ts: seq, at, staffId, terminalId, action,
 *                    targetAtenaNo, reason, outcome, detail, prevHash, hash. Every line ends with "\n". The
 *                    selection need not be contiguous (an export is filtered); where two consecutive seqs are
 *                    both present, the later one's prevHash must be the earlier one's hash.
 *   checkpoint.json  the signed checkpoint (checkpoint.ts): { format: "madoguchi-audit-checkpoint/v1",
 *                    terminalId, treeSize, rootHash, createdAt, keyId, publicKeyPem, signature (base64) }.
 *   proofs.json      { format: "madoguchi-audit-proofs/v1", treeSize, proofs: [{ seq, leafIndex, path: [hex] }] }:
 *                    one RFC 9162 inclusion proof per exported entry (leafIndex = seq − 1), against the
 *                    checkpoint's tree size and root. It is also the index of what was exported: an entry
 *                    with a proof but no line was removed from entries.jsonl.
 *   manifest.json    { format: "madoguchi-audit-export/v1", terminalId, keyId, files: { name: sha256 hex },
 *                    signature }: SHA-256 of every other file of the package (at least the three above; the
 *                    people's CSV of §3 goes here too), signed (Ed25519, base64) by the same terminal key as the
 *                    checkpoint over the canonical JSON of the manifest without `signature` (UTF-8).
 *
 * The verifier checks: the manifest's signature and key; each listed file's SHA-256; the checkpoint's key and
 * signature (and, when given, that the key is the terminal's registered key); each line's JSON shape,
 * canonical form and recomputed entry hash; the seq order; the hash chain between consecutive seqs; each
 * line's inclusion proof against the checkpoint root; no proof without its line. Every problem is reported
 * (not only the first) in Japanese and English.
 *
 * Trust: the public key travels in the package, so a package re-signed end to end with another key verifies
 * on its own. The verdict therefore prints the key's fingerprint to compare with the terminal's registered key,
 * or the caller passes that key (`trustedPublicKeyPem`, the CLI's --trusted-key) and a different key fails.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../../../shared/audit/canonical-json';
import { GENESIS_HASH, entryJson } from '../../../shared/audit/audit-entry';
import { entryHash, type AuditEntry } from './audit-log';
import {
  CHECKPOINT_FORMAT,
  checkpointSignedBytes,
  keyIdFor,
  verifyCheckpointSignature,
  verifyEd25519,
  verifyInclusionProof,
  type InclusionProof,
  type SignedCheckpoint,
  type TerminalSigningKey,
} from './checkpoint';

export const EXPORT_FILES = {
  entries: 'entries.jsonl',
  checkpoint: 'checkpoint.json',
  proofs: 'proofs.json',
  manifest: 'manifest.json',
} as const;

export const MANIFEST_FORMAT = 'madoguchi-audit-export/v1';
export const PROOFS_FORMAT = 'madoguchi-audit-proofs/v1';

const HEX64 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REQUIRED_FILES = [EXPORT_FILES.entries, EXPORT_FILES.checkpoint, EXPORT_FILES.proofs] as const;

export interface ExportManifest {
  format: typeof MANIFEST_FORMAT;
  terminalId: string;
  keyId: string;
  /** File name → SHA-256 (lowercase hex) of its bytes. */
  files: Record<string, string>;
  signature: string;
}

export interface VerifyExportOptions {
  /** The terminal's registered public key (SPKI PEM). When given, a package signed with any other key fails. */
  trustedPublicKeyPem?: string;
}

export interface VerifyExportResult {
  ok: boolean;
  /** Every problem found ("日本語 / English"), then notes, then the verdict as the last line. */
  messages: string[];
}

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  terminalId: z.string().min(1),
  keyId: z.string().min(1),
  files: z.record(z.string(), z.string()),
  signature: z.string(),
});

const checkpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  terminalId: z.string().min(1),
  treeSize: z.number().int().nonnegative(),
  rootHash: z.string().regex(HEX64),
  createdAt: z.string().min(1),
  keyId: z.string().min(1),
  publicKeyPem: z.string(),
  signature: z.string(),
});

const proofsSchema = z.strictObject({
  format: z.literal(PROOFS_FORMAT),
  treeSize: z.number().int().nonnegative(),
  proofs: z.array(
    z.strictObject({
      seq: z.number().int().positive(),
      leafIndex: z.number().int().nonnegative(),
      path: z.array(z.string().regex(HEX64)),
    }),
  ),
});

const entrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: z.string(),
  staffId: z.string().nullable(),
  terminalId: z.string(),
  action: z.string(),
  targetAtenaNo: z.string().nullable(),
  reason: z.string().nullable(),
  outcome: z.enum(['success', 'failure', 'rejected']),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string().regex(HEX64),
  hash: z.string().regex(HEX64),
});

/** The bytes the manifest signature covers: canonical JSON of the manifest without `signature`, UTF-8. */
export function manifestSignedBytes(m: Omit<ExportManifest, 'signature'>): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ format: m.format, terminalId: m.terminalId, keyId: m.keyId, files: m.files }));
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Write an export package into `dir` (created if missing; existing package files are never overwritten).
 * Refuses inconsistent input rather than writing a package that would not verify: the signer must be the
 * checkpoint's key, entries ascending by seq, exactly one valid proof per entry against the checkpoint.
 * `extraFiles` (e.g. the people's CSV) are written and listed in the manifest too.
 */
export async function writeExportDir(
  dir: string,
  entries: readonly AuditEntry[],
  checkpoint: SignedCheckpoint,
  signer: TerminalSigningKey,
  proofs: readonly InclusionProof[],
  opts: { extraFiles?: Record<string, string | Uint8Array> } = {},
): Promise<ExportManifest> {
  if (signer.keyId !== checkpoint.keyId || keyIdFor(checkpoint.publicKeyPem) !== signer.keyId) {
    throw new Error('出力に使う署名鍵がチェックポイントの鍵と一致しません');
  }
  const sig = verifyCheckpointSignature(checkpoint, signer.publicKeyPem);
  if (!sig.ok) throw new Error(sig.message);
  const bySeq = new Map(proofs.map((p) => [p.seq, p]));
  if (bySeq.size !== proofs.length || proofs.length !== entries.length) throw new Error('包含証明は出力する監査記録1件につき1つ必要です');
  let prevSeq = 0;
  for (const e of entries) {
    if (e.seq <= prevSeq) throw new Error('監査記録は seq の昇順で渡してください');
    prevSeq = e.seq;
    const p = bySeq.get(e.seq);
    if (!p || p.treeSize !== checkpoint.treeSize || !verifyInclusionProof(e.hash, p, checkpoint.rootHash)) {
      throw new Error(`監査ログ ${e.seq} 番の包含証明がチェックポイントと一致しません`);
    }
  }
  const extra = opts.extraFiles ?? {};
  for (const name of Object.keys(extra)) {
    if (!FILE_NAME.test(name) || (Object.values(EXPORT_FILES) as string[]).includes(name)) throw new Error(`追加ファイル名 ${name} は使えません`);
  }

  const files: Record<string, Uint8Array> = {
    [EXPORT_FILES.entries]: Buffer.from(entries.map((e) => `${entryJson(e)}\n`).join(''), 'utf8'),
    [EXPORT_FILES.checkpoint]: Buffer.from(
      json({
        format: CHECKPOINT_FORMAT,
        terminalId: checkpoint.terminalId,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        createdAt: checkpoint.createdAt,
        keyId: checkpoint.keyId,
        publicKeyPem: checkpoint.publicKeyPem,
        signature: checkpoint.signature,
      }),
    ),
    [EXPORT_FILES.proofs]: Buffer.from(
      json({
        format: PROOFS_FORMAT,
        treeSize: checkpoint.treeSize,
        proofs: entries.map((e) => ({ seq: e.seq, leafIndex: e.seq - 1, path: bySeq.get(e.seq)!.path })),
      }),
    ),
  };
  for (const [name, content] of Object.entries(extra)) files[name] = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;

  const unsigned: Omit<ExportManifest, 'signature'> = {
    format: MANIFEST_FORMAT,
    terminalId: checkpoint.terminalId,
    keyId: signer.keyId,
    files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256Hex(bytes)])),
  };
  const manifest: ExportManifest = { ...unsigned, signature: Buffer.from(signer.sign(manifestSignedBytes(unsigned))).toString('base64') };

  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes, { flag: 'wx' });
  // The manifest last: a package without one is visibly incomplete.
  await writeFile(join(dir, EXPORT_FILES.manifest), json(manifest), { flag: 'wx' });
  return manifest;
}

// ---------------------------------------------------------------------------------------------------------
// Verifier

interface ParsedEntry {
  line: number;
  entry: AuditEntry;
}

/** Verify an export package directory. Never throws for a bad package: every problem becomes a message. */
export async function verifyExportDir(dir: string, opts: VerifyExportOptions = {}): Promise<VerifyExportResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  let summary = '';
  const fail = (ja: string, en: string): void => {
    problems.push(`${ja} / ${en}`);
  };
  const verdict = (): VerifyExportResult => {
    if (problems.length > 0) {
      return { ok: false, messages: [...problems, ...notes, `検証に失敗しました：${problems.length} 件の問題があります / Verification FAILED: ${problems.length} problem(s)`] };
    }
    return { ok: true, messages: [...notes, summary] };
  };

  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    names = await readdir(dir);
  } catch {
    fail(`${dir} はフォルダとして読み取れません`, `${dir} cannot be read as a directory`);
    return verdict();
  }

  const cache = new Map<string, Buffer | null>();
  const read = async (name: string): Promise<Buffer | null> => {
    if (!cache.has(name)) {
      try {
        cache.set(name, await readFile(join(dir, name)));
      } catch {
        cache.set(name, null);
      }
    }
    return cache.get(name) ?? null;
  };

  async function load<T>(name: string, schema: z.ZodType<T>): Promise<T | null> {
    const bytes = await read(name);
    if (bytes === null) {
      fail(`${name} がありません`, `${name} is missing`);
      return null;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      fail(`${name} が JSON として読み取れません`, `${name} is not valid JSON`);
      return null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      fail(`${name} の形式が正しくありません（${where}）`, `${name} has an invalid format (${where})`);
      return null;
    }
    return parsed.data;
  }

  const manifest = await load(EXPORT_FILES.manifest, manifestSchema);
  const checkpoint = await load(EXPORT_FILES.checkpoint, checkpointSchema);
  const proofs = await load(EXPORT_FILES.proofs, proofsSchema);

  // --- the checkpoint: its key and signature, and (optionally) that the key is the trusted one
  let checkpointKeyOk = false;
  if (checkpoint) {
    let keyId: string | null = null;
    try {
      keyId = keyIdFor(checkpoint.publicKeyPem);
    } catch {
      fail('checkpoint.json の公開鍵が Ed25519 の公開鍵として読み取れません', 'checkpoint.json: publicKeyPem is not an Ed25519 public key');
    }
    if (keyId !== null && keyId !== checkpoint.keyId) {
      fail(
        `checkpoint.json の鍵ID（${checkpoint.keyId}）が同梱の公開鍵（${keyId}）と一致しません（署名鍵の差し替えの疑い）`,
        `checkpoint.json: keyId ${checkpoint.keyId} does not match the enclosed public key (${keyId}); key swapped?`,
      );
    } else if (keyId !== null) {
      checkpointKeyOk = true;
      let signedOk: boolean;
      try {
        signedOk = verifyEd25519(checkpoint.publicKeyPem, checkpointSignedBytes(checkpoint), checkpoint.signature);
      } catch {
        // checkpointSignedBytes refuses a field with a newline: such a checkpoint cannot have been signed.
        signedOk = false;
      }
      if (!signedOk) {
        fail(
          'チェックポイントの署名が正しくありません（内容の改ざんまたは署名鍵の差し替え）',
          'checkpoint.json: the signature does not verify with the enclosed public key (contents altered or key swapped)',
        );
      }
    }
    if (opts.trustedPublicKeyPem !== undefined) {
      let trustedId: string | null = null;
      try {
        trustedId = keyIdFor(opts.trustedPublicKeyPem);
      } catch {
        fail('信頼する公開鍵が Ed25519 の公開鍵として読み取れません', 'the trusted public key is not an Ed25519 public key');
      }
      if (trustedId !== null && trustedId !== checkpoint.keyId) {
        fail(
          `このパッケージの署名鍵（${checkpoint.keyId}）は端末の登録済みの鍵（${trustedId}）ではありません`,
          `the package is signed with key ${checkpoint.keyId}, not the terminal's registered key ${trustedId}`,
        );
      }
    }
  }

  // --- the manifest: same key as the checkpoint, its signature, then every listed file's SHA-256
  if (manifest) {
    if (checkpoint) {
      if (manifest.keyId !== checkpoint.keyId) {
        fail(
          `マニフェストの鍵ID（${manifest.keyId}）がチェックポイントの鍵ID（${checkpoint.keyId}）と異なります`,
          `manifest.json: keyId ${manifest.keyId} differs from the checkpoint's ${checkpoint.keyId}`,
        );
      } else if (checkpointKeyOk && !verifyEd25519(checkpoint.publicKeyPem, manifestSignedBytes(manifest), manifest.signature)) {
        fail('マニフェストの署名が正しくありません（マニフェストの改ざんまたは署名鍵の差し替え）', 'manifest.json: the signature does not verify (manifest altered or key swapped)');
      }
      if (manifest.terminalId !== checkpoint.terminalId) {
        fail(
          `マニフェストの端末（${manifest.terminalId}）がチェックポイントの端末（${checkpoint.terminalId}）と異なります`,
          `manifest.json: terminal ${manifest.terminalId} differs from the checkpoint's ${checkpoint.terminalId}`,
        );
      }
    }
    for (const required of REQUIRED_FILES) {
      if (!(required in manifest.files)) fail(`マニフェストに ${required} が記載されていません`, `manifest.json does not list ${required}`);
    }
    for (const [name, expected] of Object.entries(manifest.files)) {
      if (!FILE_NAME.test(name) || name === EXPORT_FILES.manifest) {
        fail(`マニフェストのファイル名 ${JSON.stringify(name)} は使えません`, `manifest.json lists an invalid file name ${JSON.stringify(name)}`);
        continue;
      }
      const bytes = await read(name);
      if (bytes === null) {
        if (!(REQUIRED_FILES as readonly string[]).includes(name)) fail(`マニフェストに記載の ${name} がありません`, `${name} is listed in the manifest but missing`);
        continue;
      }
      if (sha256Hex(bytes) !== expected) {
        fail(`${name} の SHA-256 がマニフェストと一致しません（ファイルの改ざん）`, `${name}: SHA-256 does not match the manifest (file altered)`);
      }
    }
    for (const name of names.sort()) {
      if (name !== EXPORT_FILES.manifest && !(name in manifest.files)) {
        notes.push(`注意：${name} はマニフェストに記載されていないため検証していません / Note: ${name} is not listed in the manifest and was not verified`);
      }
    }
  }

  // --- the proofs: one per seq, against the checkpoint's tree
  const proofBySeq = new Map<number, { leafIndex: number; path: string[] }>();
  if (proofs) {
    if (checkpoint && proofs.treeSize !== checkpoint.treeSize) {
      fail(
        `proofs.json の木の大きさ（${proofs.treeSize}）がチェックポイント（${checkpoint.treeSize}）と異なります`,
        `proofs.json: tree size ${proofs.treeSize} differs from the checkpoint's ${checkpoint.treeSize}`,
      );
    }
    for (const p of proofs.proofs) {
      if (proofBySeq.has(p.seq)) fail(`proofs.json に seq ${p.seq} の証明が重複しています`, `proofs.json: duplicate proof for seq ${p.seq}`);
      else if (p.leafIndex !== p.seq - 1) fail(`proofs.json の seq ${p.seq} の leafIndex（${p.leafIndex}）が正しくありません`, `proofs.json: seq ${p.seq} has leafIndex ${p.leafIndex}, expected ${p.seq - 1}`);
      proofBySeq.set(p.seq, p);
    }
  }

  // --- the entries, line by line
  const seen = new Map<number, ParsedEntry>();
  const entriesBytes = await read(EXPORT_FILES.entries);
  if (entriesBytes === null) {
    fail(`${EXPORT_FILES.entries} がありません`, `${EXPORT_FILES.entries} is missing`);
  } else {
    let text: string | null = null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(entriesBytes);
    } catch {
      fail('entries.jsonl が UTF-8 として読み取れません', 'entries.jsonl is not valid UTF-8');
    }
    if (text !== null) {
      if (text.length > 0 && !text.endsWith('\n')) {
        fail('entries.jsonl の最終行が改行で終わっていません（途中で切れている疑い）', 'entries.jsonl: the last line does not end with a newline (truncated?)');
      }
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      let prevSeq: number | null = null;
      lines.forEach((line, i) => {
        const n = i + 1;
        if (line.trim() === '') {
          fail(`${n}行目が空です`, `line ${n} is empty`);
          return;
        }
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          fail(`${n}行目が JSON として読み取れません`, `line ${n} is not valid JSON`);
          return;
        }
        const parsed = entrySchema.safeParse(raw);
        if (!parsed.success) {
          const where = parsed.error.issues.map((x) => x.path.join('.') || '(root)').join(', ');
          fail(`${n}行目の監査記録の形式が正しくありません（${where}）`, `line ${n}: not an audit entry (${where})`);
          return;
        }
        const entry = parsed.data as AuditEntry;
        const { seq } = entry;
        if (canonicalJson(raw) !== line) fail(`${n}行目が正規化された JSON ではありません`, `line ${n} (seq ${seq}) is not in canonical JSON form`);
        const { hash, ...rest } = entry;
        if (entryHash(rest) !== hash) {
          fail(`${n}行目の監査記録が改ざんされています（ハッシュ不一致）`, `line ${n}: entry hash mismatch (seq ${seq})`);
        }
        if (checkpoint && entry.terminalId !== checkpoint.terminalId) {
          fail(`${n}行目（seq ${seq}）の端末（${entry.terminalId}）がチェックポイントの端末と異なります`, `line ${n} (seq ${seq}): terminal ${entry.terminalId} is not the checkpoint's terminal`);
        }
        if (prevSeq !== null && seq <= prevSeq) {
          fail(
            `${n}行目（seq ${seq}）が前の行（seq ${prevSeq}）より後ろにあります（順序の入れ替えまたは重複）`,
            `line ${n}: seq ${seq} comes after seq ${prevSeq} (lines reordered or duplicated)`,
          );
        }
        prevSeq = seq;
        if (!seen.has(seq)) seen.set(seq, { line: n, entry });
        if (seq === 1 && entry.prevHash !== GENESIS_HASH) {
          fail(`${n}行目（seq 1）の前ハッシュが先頭の値ではありません`, `line ${n}: seq 1 does not start from the genesis hash`);
        }
        if (checkpoint && proofs) {
          const p = proofBySeq.get(seq);
          if (seq > checkpoint.treeSize) {
            fail(
              `${n}行目（seq ${seq}）はチェックポイント（記録数 ${checkpoint.treeSize}）の範囲外です`,
              `line ${n}: seq ${seq} is beyond the checkpoint's tree size ${checkpoint.treeSize}`,
            );
          } else if (!p) {
            fail(`${n}行目（seq ${seq}）の包含証明が proofs.json にありません`, `line ${n}: no inclusion proof for seq ${seq} in proofs.json`);
          } else if (!verifyInclusionProof(hash, { seq, treeSize: checkpoint.treeSize, path: p.path }, checkpoint.rootHash)) {
            fail(
              `${n}行目（seq ${seq}）の包含証明がチェックポイントのルートハッシュと一致しません（記録の差し替えの疑い）`,
              `line ${n} (seq ${seq}): the inclusion proof does not lead to the checkpoint's root hash`,
            );
          }
        }
      });

      // The hash chain between consecutive seqs, wherever both are in the package (independent of line order).
      for (const [seq, { line, entry }] of [...seen.entries()].sort((a, b) => a[0] - b[0])) {
        const before = seen.get(seq - 1);
        if (before && entry.prevHash !== before.entry.hash) {
          fail(
            `${line}行目（seq ${seq}）の前ハッシュが seq ${seq - 1}（${before.line}行目）のハッシュと一致しません（連鎖の断絶）`,
            `line ${line} (seq ${seq}): prevHash does not match the hash of seq ${seq - 1} (line ${before.line}); hash chain broken`,
          );
        }
      }
      for (const seq of [...proofBySeq.keys()].sort((a, b) => a - b)) {
        if (!seen.has(seq)) {
          fail(`proofs.json にある seq ${seq} の監査記録が entries.jsonl にありません（行の削除）`, `seq ${seq} has an inclusion proof but no line in entries.jsonl (line removed)`);
        }
      }
    }
  }

  if (checkpoint) {
    const seqs = [...seen.keys()].sort((a, b) => a - b);
    const range = seqs.length > 0 ? `seq ${seqs[0]}〜${seqs[seqs.length - 1]}` : '0 件';
    const rangeEn = seqs.length > 0 ? `seq ${seqs[0]}–${seqs[seqs.length - 1]}` : 'none';
    const trust =
      opts.trustedPublicKeyPem !== undefined
        ? `署名鍵 ${checkpoint.keyId} は端末の登録済みの鍵と一致しました / signed with the terminal's registered key ${checkpoint.keyId}`
        : `署名鍵の指紋 ${checkpoint.keyId} が端末 ${checkpoint.terminalId} の登録済みの鍵であることを確認してください / confirm that key fingerprint ${checkpoint.keyId} is the registered key of terminal ${checkpoint.terminalId}`;
    summary =
      `検証に成功しました：監査記録 ${seen.size} 件（${range}）は改ざんされていません。チェックポイント：端末 ${checkpoint.terminalId}、記録数 ${checkpoint.treeSize}、作成 ${checkpoint.createdAt}。${trust.split(' / ')[0]}` +
      ` / Verification passed: ${seen.size} entries (${rangeEn}) are intact; checkpoint of terminal ${checkpoint.terminalId}, tree size ${checkpoint.treeSize}, created ${checkpoint.createdAt}; ${trust.split(' / ')[1]}`;
  }
  return verdict();
}
