/**
 * Retiring a terminal (issue 16 §4): `madoguchi --retire` in the shell and `npm run retire` for key-file data
 * directories both call `retireTerminal`. In order:
 *  1. with a central server: one sync round sends what is unsent (outbox, audit log), then the server is told the
 *     terminal is retired and records it (`POST /v1/terminals/retire`); unreachable, or anything left unsent, and
 *     retirement is refused with nothing changed. Without a server only by an explicit override (`withoutServer`),
 *     and only for a terminal that never synced.
 *  2. the keys (database key, audit signing key; key files or safeStorage-wrapped) are overwritten and unlinked;
 *  3. the database and its side files (-wal, -shm, -journal) are overwritten and unlinked;
 *  4. a short receipt is left (no personal data): openDatabase refuses the directory from then on.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../audit/audit-log';
import { auditAckedSeq, auditPending } from '../audit/acknowledged';
import { AUDIT_SEED_FILE, AUDIT_SIGNING_KEY_FILE } from '../audit/checkpoint';
import { DATABASE_FILE, KEY_FILE, WRAPPED_AUDIT_KEY_FILE, WRAPPED_KEY_FILE, databasePath } from '../app-core';
import { openDatabase, type Db } from '../db/database';
import { writeSecretFile } from '../db/file-key-provider';
import { RETIRED_RECEIPT_FILE, isRetired, RETIRED_MESSAGE } from '../db/retired';
import { readTerminalSettings } from '../db/terminal-settings';
import type { Clock, KeyProvider } from '../platform';
import { shredFile } from '../provision/shred';
import { SyncEngine, type SyncTransport } from '../sync/sync-engine';
import { SyncRunner } from '../sync/sync-runner';
import { uploadAuditOnce } from '../sync/audit-upload';
import { RETIRE_PATH, RetireResponseSchema, type RetireRequest, type RetireResponse } from '../../../shared/sync/retire-protocol';

/** The pinned client to the central server (CentralServerClient), made once the audit log is open. */
export type RetireTransport = SyncTransport & { close?(): void };

export interface RetireOptions {
  dataDir: string;
  /** The database key (a key file, or the shell's safeStorage-wrapped key). */
  keyProvider: KeyProvider;
  clock: Clock;
  /** The terminal's central server from its configuration; null when none is configured. */
  server: ((audit: AuditLog) => RetireTransport) | null;
  /** The documented override for a terminal that never had a central server: retire it locally. */
  withoutServer?: boolean;
}

export interface RetireReceipt {
  receipt: 'madoguchi-retirement';
  terminalId: string;
  /** The injected clock's time when the files were destroyed. */
  retiredAt: string;
  /** What was overwritten and removed (file names in the data directory) and its size before. */
  removed: { file: string; bytes: number }[];
  /** The central server's acknowledgement, or why there is none. */
  server: ({ acknowledged: true } & Omit<RetireResponse, 'retired' | 'terminalId'>) | { acknowledged: false; reason: 'no_server' };
}

/** Retirement refused; nothing was destroyed. The message is for IT, in Japanese. */
export class RetireRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetireRefusedError';
  }
}

const NOTHING_CHANGED = 'データは何も変更していません。';

/** Key files first (crypto-erase), then the database and its side files, then any other file of the app. */
function filesToDestroy(dataDir: string): string[] {
  const keys = [KEY_FILE, WRAPPED_KEY_FILE, AUDIT_SEED_FILE, WRAPPED_AUDIT_KEY_FILE, AUDIT_SIGNING_KEY_FILE];
  const database = ['', '-wal', '-shm', '-journal'].map((s) => DATABASE_FILE + s);
  // Anything else the app wrote beside them (a super-journal, a temp file): every madoguchi* file but the receipt.
  const others = readdirSync(dataDir).filter((f) => f.startsWith('madoguchi') && f !== RETIRED_RECEIPT_FILE && !keys.includes(f) && !database.includes(f));
  return [...keys, ...database, ...others].filter((f) => existsSync(join(dataDir, f)) && statSync(join(dataDir, f)).isFile());
}

function neverSynced(db: Db): boolean {
  const synced = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM sync_state WHERE key = 'last_success_at'`).get()?.n ?? 0;
  const sent = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NOT NULL').get()?.n ?? 0;
  return synced === 0 && sent === 0 && auditAckedSeq(db) === 0;
}

/** Highest mutation ID this terminal sent: the outbox (pruned after a while) or what the server confirmed. */
function lastMutationId(db: Db): number {
  const outbox = db.prepare<[], { m: number | null }>('SELECT max(mutation_id) AS m FROM outbox').get()?.m ?? 0;
  const confirmed = Number(db.prepare<[], { value: string }>(`SELECT value FROM sync_state WHERE key = 'push_confirmed_id'`).get()?.value ?? 0);
  return Math.max(outbox, confirmed);
}

/** Send what is unsent, then have the server record the retirement. Throws RetireRefusedError. */
async function reportToServer(db: Db, audit: AuditLog, clock: Clock, terminalId: string, transport: RetireTransport): Promise<RetireResponse> {
  // The existing sync round (push, audit log, pull); no new number blocks are leased for a terminal that is going.
  const runner = new SyncRunner(new SyncEngine(db, audit, clock, terminalId), transport, [], { db, terminalId });
  await runner.runOnce();
  // The round itself writes audit entries (what it pulled, refused …) after its upload: those go too.
  try {
    for (let i = 0; i < 5 && runner.status().online && auditPending(db) > 0; i++) {
      const r = await uploadAuditOnce(db, transport, terminalId);
      if (r.status !== 'ok' || r.sent === 0) break;
    }
  } catch {
    // Unreachable now: what is left unsent refuses the retirement below.
  }
  const s = runner.status();
  if (!s.online) {
    throw new RetireRefusedError(`中央サーバに接続できないため、端末を廃止できません（未送信の記録 ${s.pending} 件、未送信の監査ログ ${s.auditPending} 件）。ネットワークを確認してもう一度実行してください。${NOTHING_CHANGED}`);
  }
  if (s.pending > 0 || s.auditPending > 0) {
    throw new RetireRefusedError(`中央サーバへ送信できていない記録が残っているため、端末を廃止できません（未送信の記録 ${s.pending} 件、未送信の監査ログ ${s.auditPending} 件${s.lastError ? `。${s.lastError}` : ''}）。${NOTHING_CHANGED}`);
  }
  const body: RetireRequest = { terminalId, lastMutationId: lastMutationId(db), auditSeq: auditAckedSeq(db) };
  let r: { status: number; json: unknown };
  try {
    r = await transport.request('POST', RETIRE_PATH, body);
  } catch {
    throw new RetireRefusedError(`中央サーバに廃止を届けられませんでした（接続できません）。もう一度実行してください。${NOTHING_CHANGED}`);
  }
  const parsed = RetireResponseSchema.safeParse(r.json);
  if (r.status !== 200 || !parsed.success || parsed.data.terminalId !== terminalId) {
    const why = r.status === 409 ? '中央サーバがこの端末の記録をすべて受け取っていません' : `中央サーバが廃止を受け付けませんでした（HTTP ${r.status}）`;
    throw new RetireRefusedError(`${why}。もう一度実行し、続く場合はIT担当者に連絡してください。${NOTHING_CHANGED}`);
  }
  return parsed.data;
}

/**
 * Retire the terminal whose data directory is `dataDir` (see the module comment). Returns the receipt it left.
 * Refusals (RetireRefusedError) leave every file as it was.
 */
export async function retireTerminal(opts: RetireOptions): Promise<RetireReceipt> {
  const { dataDir, clock } = opts;
  if (isRetired(dataDir)) throw new RetireRefusedError(RETIRED_MESSAGE);
  if (!existsSync(databasePath(dataDir))) throw new RetireRefusedError(`${dataDir} に端末のデータベースがありません。${NOTHING_CHANGED}`);
  if (opts.server && opts.withoutServer) throw new RetireRefusedError(`中央サーバが設定されている端末は、サーバなしでは廃止できません。${NOTHING_CHANGED}`);
  if (!opts.server && !opts.withoutServer) {
    throw new RetireRefusedError(`中央サーバが設定されていないため、廃止を届けられません。中央サーバを一度も使っていない端末に限り、サーバなしの廃止を明示して実行してください（README「端末の廃止」）。${NOTHING_CHANGED}`);
  }
  const db = openDatabase({ path: databasePath(dataDir), keyProvider: opts.keyProvider });
  let terminalId: string;
  let server: RetireReceipt['server'];
  let transport: RetireTransport | null = null;
  try {
    terminalId = readTerminalSettings(db).terminalId;
    const audit = new AuditLog(db, { terminalId }, clock);
    if (opts.server) {
      transport = opts.server(audit);
      const ack = await reportToServer(db, audit, clock, terminalId, transport);
      server = { acknowledged: true, retiredAt: ack.retiredAt, lastMutationId: ack.lastMutationId, auditSeq: ack.auditSeq };
    } else {
      if (!neverSynced(db)) throw new RetireRefusedError(`この端末は中央サーバと同期した記録があるため、サーバなしでは廃止できません。中央サーバに接続して廃止してください。${NOTHING_CHANGED}`);
      server = { acknowledged: false, reason: 'no_server' };
    }
  } finally {
    transport?.close?.();
    db.close();
  }
  // From here nothing can be refused: the keys go first, so whatever is left of the rest can never be read.
  const removed = filesToDestroy(dataDir).map((file) => {
    const path = join(dataDir, file);
    const bytes = statSync(path).size;
    shredFile(path);
    return { file, bytes };
  });
  const receipt: RetireReceipt = { receipt: 'madoguchi-retirement', terminalId, retiredAt: clock.now().toISOString(), removed, server };
  writeSecretFile(join(dataDir, RETIRED_RECEIPT_FILE), JSON.stringify(receipt, null, 2) + '\n');
  return receipt;
}
