import { z } from 'zod';
import { ServerTextSchema, TerminalIdSchema } from './protocol';
import { wireText } from '../text';

/**
 * Wire format of the audit upload (`POST /v1/audit`, docs/sync-protocol.md): a terminal sends the next part of
 * its hash-chained audit log; the server accepts it only if it extends, unchanged, what it already holds.
 * Imported by both sides; nothing but zod; every object is strict.
 */

export const MAX_AUDIT_BATCH = 1000;

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);

// eslint-disable-next-line no-control-regex
const LONE_SURROGATE_OR_NUL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A text field of an audit entry, exactly as the terminal hashed it: at most `max` characters, without U+0000
 * (PostgreSQL TEXT cannot hold it) and without a lone surrogate (stored, it would come back as U+FFFD and no
 * longer hash). Other control characters are taken: an entry written before the audit log made its strings
 * storable (electron/core/audit/audit-log.ts) can hold them, cannot be changed, and stores and hashes fine.
 * The detail needs no such rule: it is stored as canonical JSON text, in which every such character is escaped.
 */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE_OR_NUL.test(s), 'U+0000 or a lone surrogate');

/** One entry of the terminal's audit_log, exactly as hashed (electron/core/audit/audit-log.ts). */
export const AuditEntryWireSchema = z.strictObject({
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  at: text(64).min(1),
  staffId: text(256).nullable(),
  terminalId: TerminalIdSchema,
  action: text(256).min(1),
  targetAtenaNo: text(256).nullable(),
  reason: text(10_000).nullable(),
  outcome: z.enum(['success', 'failure', 'rejected']),
  /** Any JSON object; hashed (and stored centrally) as canonical JSON. */
  detail: z.record(z.string(), z.json()),
  prevHash: HashSchema,
  hash: HashSchema,
});
export type AuditEntryWire = z.infer<typeof AuditEntryWireSchema>;

export const AuditUploadRequestSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  /** Consecutive entries in seq order, 1 … MAX_AUDIT_BATCH. */
  entries: z.array(AuditEntryWireSchema).min(1).max(MAX_AUDIT_BATCH),
});
export type AuditUploadRequest = z.infer<typeof AuditUploadRequestSchema>;

export const AuditUploadResponseSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  /**
   * The highest seq the server holds for this terminal after the request (unchanged on a rejection). The
   * terminal counts its entries as delivered only up to min(this, the last seq it sent).
   */
  acceptedThroughSeq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  status: z.enum(['ok', 'rejected']),
  /** Why the batch was refused (Japanese, for staff and the administrator); only with 'rejected'. */
  reason: ServerTextSchema(2000).optional(),
});
export type AuditUploadResponse = z.infer<typeof AuditUploadResponseSchema>;

/** A signed checkpoint as the terminal uploads it (after the entries it covers). */
export const CheckpointWireSchema = z.strictObject({
  id: z.number().int().positive(),
  terminalId: TerminalIdSchema,
  treeSize: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  rootHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: wireText(40),
  keyId: wireText(100),
  publicKeyPem: wireText(2000, true),
  signature: z.string().regex(/^[A-Za-z0-9+/=_-]{1,200}$/),
});
export type CheckpointWire = z.infer<typeof CheckpointWireSchema>;

export const CheckpointUploadRequestSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  checkpoints: z.array(CheckpointWireSchema).min(1).max(50),
});
export type CheckpointUploadRequest = z.infer<typeof CheckpointUploadRequestSchema>;

export const CheckpointUploadResponseSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  status: z.enum(['ok', 'rejected']),
  /** The highest checkpoint id (the terminal's) the server holds after the request. */
  acceptedThroughId: z.number().int().nonnegative(),
  reason: ServerTextSchema(2000).optional(),
});
export type CheckpointUploadResponse = z.infer<typeof CheckpointUploadResponseSchema>;
