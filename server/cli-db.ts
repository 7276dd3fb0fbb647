/**
 * The database of a server CLI (server:import, server:job): DATABASE_URL, or else the server's embedded PostgreSQL in
 * $MADOGUCHI_SERVER_DATA (default ./server-data) — the running server's when it is up (PG_PORT, default 54329),
 * otherwise started for the command.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createPool, type Pool } from './db';
import { exists, startEmbedded } from './embedded';

export async function connectCli(): Promise<{ pool: Pool; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const pool = createPool(process.env.DATABASE_URL, { max: 2 });
    return { pool, stop: () => pool.end() };
  }
  const dataRoot = resolve(process.env.MADOGUCHI_SERVER_DATA ?? 'server-data');
  const passwordFile = join(dataRoot, 'pg', 'password');
  if (await exists(passwordFile)) {
    const password = (await readFile(passwordFile, 'utf8')).trim();
    const url = `postgres://madoguchi:${encodeURIComponent(password)}@127.0.0.1:${Number(process.env.PG_PORT ?? 54329)}/madoguchi`;
    const pool = createPool(url, { max: 2, onIdleError: () => undefined });
    try {
      await pool.query('SELECT 1');
      return { pool, stop: () => pool.end() };
    } catch {
      await pool.end().catch(() => undefined);
    }
  }
  const embedded = await startEmbedded(dataRoot);
  const pool = createPool(embedded.url, { max: 2, onIdleError: () => undefined });
  return {
    pool,
    async stop() {
      await pool.end().catch(() => undefined);
      await embedded.stop();
    },
  };
}
