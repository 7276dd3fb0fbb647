import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, databasePath, keyFilePath, type Core } from '../../electron/core/app-core';
import { openDatabase } from '../../electron/core/db/database';
import { FileKeyProvider } from '../../electron/core/db/file-key-provider';
import { loadRuleProfile, loadRuleTablesFromDir, profilePath } from '../../electron/core/profile/load-profile';
import type { Clock } from '../../electron/core/platform';
import type { ExportDestinationOptions } from '../../electron/core/media/removable';
import { seedDemo, type DemoSeed } from './seed';
import { harnessPrinting, type RecordingPrinterPort } from './printer';

export const RESOURCES_DIR = resolve(import.meta.dirname, '../../resources');

/** A clock that starts at a fixed instant and then runs in real time (timestamps keep increasing). */
export function clockFrom(startIso: string): Clock {
  const start = Date.parse(startIso);
  const t0 = Date.now();
  return { now: () => new Date(start + (Date.now() - t0)) };
}

export interface SeededCore {
  core: Core;
  printer: RecordingPrinterPort;
  dataDir: string;
  edges: DemoSeed;
  cleanup(): void;
}

/** Create a data directory, seed it as a demo terminal, and open the real core on it. */
export async function createSeededCore(opts: {
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
}): Promise<SeededCore> {
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
  const core = createCore({ dataDir, keyProvider, clock: opts.clock, profile, ruleTables: loadRuleTablesFromDir(RESOURCES_DIR), demo: opts.demo ?? false, printing, webauthn: { rpID: 'localhost', rpName: '窓口端末（テスト）', origins: [] }, exportDestination: opts.exportDestination });
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
