import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../electron/core/audit/audit-log';
import { uuidv7 } from '../electron/core/db/records';
import { openDatabase, type Db } from '../electron/core/db/database';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { CentralServerClient } from '../electron/core/net/server-client';
import type { Clock } from '../electron/core/platform';
import type { ClientCert } from './server';

/**
 * Terminals of the sync tests against the real server (testing/server.ts): the pinned client each one uses, a
 * freshly provisioned terminal (an empty encrypted database), and closing what a test opened.
 */

/** Where the test's sync server listens and whom it trusts (a SyncServerFixture). */
export interface ServerAt {
  port: number;
  pki: { ca: string; terminals: Record<string, ClientCert> };
}

/** The client terminal `id` talks to the sync server with: its enrolled certificate unless `cert` is given. */
export function serverClient(at: ServerAt, id: string, audit: AuditLog, opts: { cert?: ClientCert; port?: number; timeoutMs?: number } = {}): CentralServerClient {
  const cert = opts.cert ?? at.pki.terminals[id];
  if (!cert) throw new Error(`test setup: no certificate for ${id}`);
  return new CentralServerClient({ baseUrl: `https://localhost:${opts.port ?? at.port}`, ca: at.pki.ca, cert: cert.cert, key: cert.key, audit, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
}

/** What a sync test keeps of a terminal it opened: its server client, its database, its temp directory. */
export interface OpenedTerminal {
  client: { close?(): void };
  db: { close(): void };
  dir: string;
}

export interface TestTerminal extends OpenedTerminal {
  id: string;
  db: Db;
  audit: AuditLog;
  client: CentralServerClient;
}

/** A freshly provisioned terminal: an empty encrypted database in a temp dir of its own, its audit log and client. */
export function openTerminal(at: ServerAt, id: string, clock: Clock): TestTerminal {
  const dir = mkdtempSync(join(tmpdir(), `madoguchi-${id}-`));
  const db = openDatabase({ path: join(dir, 't.db'), keyProvider: new FileKeyProvider(join(dir, 't.key')) });
  const audit = new AuditLog(db, { terminalId: id }, clock);
  return { id, db, audit, client: serverClient(at, id, audit), dir };
}

/** Closes the terminals a test opened and removes their directories (for afterEach, or a finally). */
export function closeTerminals(open: OpenedTerminal[]): void {
  for (const t of open.splice(0)) {
    t.client.close?.();
    t.db.close();
    rmSync(t.dir, { recursive: true, force: true });
  }
}

/**
 * The seeded people as if the central server already held them: an outbox insert for every resident, guardian link
 * and insurance row (the seed writes those without outbox rows, as a terminal that pulled them would hold them), so
 * the first round pushes them and a later snapshot keeps them. Returns the number of rows queued.
 */
export function queueSeedPeople(db: Db): number {
  let n = 0;
  const insert = db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, ?, ?, 'insert', ?, ?, 'TEST')`);
  db.transaction(() => {
    for (const table of ['residents', 'resident_guardians', 'health_insurance'] as const) {
      for (const row of db.prepare(`SELECT * FROM ${table} WHERE deleted = 0`).all() as Record<string, string | number | null>[]) {
        insert.run(uuidv7(), table, row.id, JSON.stringify(row), row.created_at);
        n++;
      }
    }
  })();
  return n;
}
