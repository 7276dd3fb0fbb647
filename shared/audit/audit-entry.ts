import { canonicalJson } from './canonical-json';

/**
 * The audit entry's hash input, shared by the terminal (which writes the chain) and the central server (which
 * checks that an upload extends what it holds). Pure: each side hashes with its own SHA-256
 * (`sha256(entryHashInput(e))`, hex).
 */

/** prevHash of the first entry of a terminal's chain. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'success' | 'failure' | 'rejected';

/**
 * One audit entry: the one shape, used by the terminal's log, its upload, the export package and the server.
 * `detail` is any JSON object, hashed (and stored centrally) as canonical JSON.
 */
export interface AuditEntry {
  seq: number;
  at: string;
  staffId: string | null;
  terminalId: string;
  action: string;
  targetAtenaNo: string | null;
  reason: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The fields an entry's hash covers (everything but the hash itself). */
export type AuditHashFields = Omit<AuditEntry, 'hash'>;

/** The fields of an entry the hash covers, picked by name (nothing else an object carries slips in). */
function hashedFields(e: AuditHashFields) {
  return { seq: e.seq, at: e.at, staffId: e.staffId, terminalId: e.terminalId, action: e.action, targetAtenaNo: e.targetAtenaNo, reason: e.reason, outcome: e.outcome, detail: e.detail };
}

/** The canonical JSON of an entry's fields (keys sorted), as hashed and as stored centrally. */
export function entryBody(e: AuditHashFields): string {
  return canonicalJson(hashedFields(e));
}

/** What SHA-256 is taken over: the previous hash, a newline, the canonical body. */
export function entryHashInput(e: AuditHashFields): string {
  return `${e.prevHash}\n${entryBody(e)}`;
}

/** The canonical JSON of a whole entry, hash included: one line of an export's entries.jsonl. */
export function entryJson(e: AuditEntry): string {
  return canonicalJson({ ...hashedFields(e), prevHash: e.prevHash, hash: e.hash });
}
