/**
 * 個人番号 live on the central server only (issue 16 §2). For tests whose terminal reveals or searches by one: a
 * real sync server that holds the seeded people with their 個人番号 (as its 住基 import would write them), and the
 * seeded core attached to it over mutual TLS.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Pool } from '../server/db';
import type { CentralServerClient } from '../electron/core/net/server-client';
import type { Clock } from '../electron/core/platform';
import type { SeededCore } from './core';
import { makeMyNumber } from './seed';
import { useSyncServer, type SyncServerFixture } from './server';
import { queueSeedPeople, serverClient } from './terminals';
import { importKokuhoMembers } from './interface-files';

/**
 * Writes a 個人番号 into the server's record of every person the terminal flags as having one (has_my_number): the
 * seed's number for the edge cases, a derived valid one for the others. Returns the numbers written.
 */
export async function giveServerMyNumbers(pool: Pool, s: SeededCore): Promise<string[]> {
  const edgeNumbers = new Map(s.edges.residents.map((r) => [r.id, r.myNumber]));
  const held = s.core.db.prepare('SELECT id, atena_no FROM residents WHERE has_my_number = 1').all() as { id: string; atena_no: string }[];
  const numbers: string[] = [];
  for (const r of held) {
    const n = edgeNumbers.get(r.id) ?? makeMyNumber(Number(r.atena_no) * 7919);
    numbers.push(n);
    await pool.query(`UPDATE entities SET payload = payload || jsonb_build_object('my_number', $2::text) WHERE entity = 'residents' AND entity_id = $1`, [r.id, n]);
  }
  return numbers;
}

/** Pushes the seeded people and staff of `s` to the server (one sync round), then gives the server their 個人番号. */
export async function attachMyNumberServer(fixture: SyncServerFixture, s: SeededCore, terminalId = 'DEMO-01'): Promise<{ client: CentralServerClient; numbers: string[] }> {
  queueSeedPeople(s.core.db); // the people are the server's too
  const client = serverClient(fixture, terminalId, s.core.audit);
  // The people first, then the seed's 国保 資格 as the server's import would hold them: a terminal keeps only the
  // population of its 事務 (issue 16 §1), and the seed's adults are in it by their 国保 世帯.
  await s.core.sync.engine.pushOnce(client);
  const insured = s.core.db.prepare('SELECT DISTINCT atena_no FROM kokuho_shikaku WHERE deleted = 0 ORDER BY atena_no').pluck().all() as string[];
  if (insured.length > 0) await importKokuhoMembers(fixture.pg.pool, insured, s.core.clock);
  s.core.sync.attach(client);
  await s.core.sync.runOnce();
  const failed = s.core.sync.status().failed;
  if (failed) throw new Error(`test setup: ${failed} mutation(s) refused by the server`);
  return { client, numbers: await giveServerMyNumbers(fixture.pg.pool, s) };
}

/**
 * For a test file with a counter (useCounter): a sync server started before its tests, and the counter's core
 * attached to it once the counter is up (`seeded` is read then). `numbers()`: every 個人番号 the server holds.
 */
export function useMyNumberServer(clock: Clock, seeded: () => SeededCore): { numbers(): string[]; fixture(): SyncServerFixture } {
  let fixture: SyncServerFixture | undefined;
  let client: CentralServerClient | undefined;
  let numbers: string[] = [];
  useSyncServer(['DEMO-01'], { clock }, (f) => (fixture = f));
  beforeAll(async () => {
    ({ client, numbers } = await attachMyNumberServer(fixture!, seeded()));
  }, 120_000);
  afterAll(() => client?.close());
  return { numbers: () => numbers, fixture: () => fixture! };
}
