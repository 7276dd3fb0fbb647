/**
 * The real core on a seeded data directory, as unit tests, the e2e harness and the demo open it: a key file, the
 * shipped rule profile, the recording printer, demo staff with software WebAuthn credentials.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, databasePath, keyFilePath, type Core } from '../electron/core/app-core';
import { openDatabase } from '../electron/core/db/database';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { loadRuleProfile, loadRuleTablesFromDir, profilePath } from '../electron/core/profile/load-profile';
import type { Clock } from '../electron/core/platform';
import type { ExportDestinationOptions } from '../electron/core/media/removable';
import type { Actor } from '../electron/core/actor';
import { demoLogin, seedDemo, type DemoSeed } from './seed';
import { loginWithFactors, signAssertion } from './webauthn';
import { harnessPrinting, type RecordingPrinterPort } from './printer';

export const RESOURCES_DIR = resolve(import.meta.dirname, '../resources');

export interface SeededCore {
  core: Core;
  printer: RecordingPrinterPort;
  dataDir: string;
  edges: DemoSeed;
  cleanup(): void;
}

export interface SeededCoreOptions {
  clock: Clock;
  households?: number;
  dataDir?: string;
  profileId?: string;
  demo?: boolean;
  terminalId?: string;
  /** Reopen a data dir seeded before (a restart): no seeding; the earlier seed's credentials are reused. */
  reopen?: DemoSeed;
  /** The policy's export destination for approved audit exports (off without it, as in the core). */
  exportDestination?: ExportDestinationOptions;
  /** How often the core checks for a new day to purge records past retention (the core's default otherwise). */
  retentionCheckMs?: number;
}

/** Create a data directory, seed it as a demo terminal, and open the real core on it. */
export async function createSeededCore(opts: SeededCoreOptions): Promise<SeededCore> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'madoguchi-'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyProvider = new FileKeyProvider(keyFilePath(dataDir));
  const db = openDatabase({ path: databasePath(dataDir), keyProvider });
  let edges;
  try {
    edges = opts.reopen ?? await seedDemo(db, { terminalId: opts.terminalId ?? 'DEMO-01', households: opts.households ?? 120, at: opts.clock.now().toISOString() });
  } finally {
    db.close();
  }
  const profile = loadRuleProfile(profilePath(RESOURCES_DIR, opts.profileId ?? 'sample-osaka'));
  const printing = harnessPrinting();
  // WebAuthn RP 'localhost': startHarness adds its origin (http://localhost:<port>) once it listens.
  const core = createCore({ dataDir, keyProvider, clock: opts.clock, profile, ruleTables: loadRuleTablesFromDir(RESOURCES_DIR), demo: opts.demo ?? false, printing, webauthn: { rpID: 'localhost', rpName: '窓口端末（テスト）', origins: [] }, exportDestination: opts.exportDestination, retentionCheckMs: opts.retentionCheckMs });
  return {
    core,
    printer: printing.port,
    dataDir,
    edges,
    cleanup: () => {
      try {
        core.close();
      } catch {
        /* already closed */
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Log a seeded demo member of staff in through both factors (password + a signed WebAuthn assertion). */
export async function loginSeeded(s: SeededCore, senderId: string, staffId: string, password?: string): Promise<Actor> {
  const cred = s.edges.credentials[staffId];
  if (!cred) throw new Error(`test setup: no credential for ${staffId}`);
  return loginWithFactors(s.core, senderId, staffId, password ?? demoLogin(staffId).password, cred);
}

let approvalSignCount = 5_000;

/**
 * The 所属長 `approver` (logged in) confirms a pending request at this terminal as the UI does: the core's options
 * (challenge = the record's hash), an assertion from the approver's soft credential, then the confirmation.
 * `overHash` signs another hash instead (a test of the refusal).
 */
export async function approveAs(s: SeededCore, approver: Actor, kind: 'grant' | 'authenticator' | 'role', id: string, overHash?: string): Promise<void> {
  const cred = s.edges.credentials[approver.staffId];
  if (!cred) throw new Error(`test setup: no credential for ${approver.staffId}`);
  const { options, hash } = await s.core.approvals.begin(approver, kind, id);
  const cfg = s.core.auth.options.webauthn;
  const challenge = overHash ?? (options as { challenge: string }).challenge;
  const response = signAssertion(cred, { challenge }, cfg.origins[0] ?? 'http://localhost', cfg.rpID, approvalSignCount++);
  await s.core.approvals.confirm(approver, kind, id, hash, response as never);
}
