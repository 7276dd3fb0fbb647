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
 *   IMPORT_INBOX        the watched folder for interface files (住民記録, 国保 資格; docs/interfaces/), default
 *                       $MADOGUCHI_SERVER_DATA/inbox; "off" disables it. Files go to done/ or error/ with a result file.
 *   IMPORT_POLL_SECONDS how often the inbox is scanned (default 5)
 *   EXPORT_OUTBOX       the policy's outbox: the only folder the server writes interface files to (the オンライン資格確認
 *                       file ONSHI for the 統合専用端末; server/export/, docs/interfaces/online-shikaku.md), default
 *                       $MADOGUCHI_SERVER_DATA/outbox; "off" disables every export. Files appear whole (temp + fsync + rename).
 *   ONSHI_EXPORT_HOUR   the daily オンライン資格確認 export (server/export/onshi.ts) runs once a day from this hour, Japan
 *                       time (0–23, default 7; "off" disables it — run it with `npm run server:job -- onshi-export` instead)
 *   IDO_JOB_HOUR        the daily 異動 job (server/jobs/ido-work.ts) runs once a day from this hour, Japan time
 *                       (0–23, default 6; "off" disables it — run it with `npm run server:job -- ido` instead)
 *   RECORD_PURGE        "on": the server's retention purge of records past their 保存年限 (server/jobs/retention-purge.ts)
 *                       runs once a day; off by default (the server is the system of record and keeps everything)
 *   RECORD_PURGE_HOUR   the hour, Japan time, from which that daily purge runs (0–23, default 3)
 *
 * SIGHUP reloads certificate, CA and CRL (after `enroll --revoke`) without dropping connections.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exists, startEmbedded } from './embedded';
import { buildApp } from './app';
import { createPool, migrate } from './db';
import { scheduleTombstonePruning, tombstoneRetentionDays } from './sync';
import { issueServer, loadServerTls, pkiPaths } from './pki';
import { publishProfilesFromDir } from './profiles';
import { refreshDuePopulations, schedulePopulationRefresh } from './population';
import { openInbox } from './import/inbox';
import { scheduleIdoWork } from './jobs/ido-work';
import { recordPurgeEnabled, scheduleRetentionPurge } from './jobs/retention-purge';
import { exportOutboxDir } from './export/outbox';
import { scheduleOnshiExport } from './export/onshi';

/** An hour of the day (0–23) from the environment, or the default when unset; anything else stops the start. */
function hourOf(name: string, fallback: number, alternatives = ''): number {
  const raw = process.env[name];
  const hour = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) throw new Error(`${name} must be an hour 0–23${alternatives} (got "${raw}")`);
  return hour;
}

async function main(): Promise<void> {
  const retentionDays = tombstoneRetentionDays(process.env.TOMBSTONE_RETENTION_DAYS);
  const idoHour = process.env.IDO_JOB_HOUR === 'off' ? null : hourOf('IDO_JOB_HOUR', 6, ' or "off"');
  const purgeHour = recordPurgeEnabled(process.env.RECORD_PURGE) ? hourOf('RECORD_PURGE_HOUR', 3) : null;
  const onshiHour = process.env.ONSHI_EXPORT_HOUR === 'off' ? null : hourOf('ONSHI_EXPORT_HOUR', 7, ' or "off"');
  const dataRoot = resolve(process.env.MADOGUCHI_SERVER_DATA ?? 'server-data');
  const outboxDir = exportOutboxDir(process.env.EXPORT_OUTBOX, dataRoot);
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
  // Who each 事務's terminals hold (issue 16 §1): brought up to date now (new day, new profile), then checked every 10 minutes.
  for (const r of await refreshDuePopulations(pool, new Date())) console.log(`[server] population of ${r.municipality}: ${r.members} members (${r.entered} entered, ${r.left} left)`);
  const stopPopulation = schedulePopulationRefresh(pool, { clock: { now: () => new Date() } });
  const stopPruning = scheduleTombstonePruning(pool, retentionDays);
  console.log(`[server] tombstones older than ${retentionDays} days are pruned hourly`);
  const inboxDir = process.env.IMPORT_INBOX === 'off' ? null : resolve(process.env.IMPORT_INBOX ?? join(dataRoot, 'inbox'));
  const pollSeconds = Number(process.env.IMPORT_POLL_SECONDS ?? 5);
  if (!Number.isFinite(pollSeconds) || pollSeconds <= 0) throw new Error(`IMPORT_POLL_SECONDS must be a positive number of seconds (got "${process.env.IMPORT_POLL_SECONDS}")`);
  const inbox = inboxDir ? (await openInbox(pool, inboxDir, { clock: { now: () => new Date() }, intervalMs: pollSeconds * 1000 })).start() : null;
  if (inboxDir) console.log(`[server] interface files are imported from ${inboxDir} (scanned every ${pollSeconds} s)`);
  const stopIdoWork = idoHour === null ? null : scheduleIdoWork(pool, {
    clock: { now: () => new Date() },
    hour: idoHour,
    onResult: (r) => console.log(`[server] ido-work job ${r.jobId}: ${r.message}`),
  });
  if (idoHour !== null) console.log(`[server] the daily 異動 job runs once a day from ${idoHour}:00 (Japan time)`);
  // The オンライン資格確認 file into the policy's outbox, once a day (issue 17), unless the outbox or the job is off.
  const stopOnshi = outboxDir === null || onshiHour === null ? null : scheduleOnshiExport(pool, {
    clock: { now: () => new Date() },
    hour: onshiHour,
    outbox: outboxDir,
    onResult: (r) => console.log(`[server] onshi-export job ${r.jobId}: ${r.message}`),
  });
  console.log(outboxDir === null
    ? '[server] interface exports are off (EXPORT_OUTBOX=off)'
    : `[server] interface files are exported to ${outboxDir}${onshiHour === null ? ' (the daily オンライン資格確認 export is off)' : `; the オンライン資格確認 file once a day from ${onshiHour}:00 (Japan time)`}`);
  // The server's retention purge only when its policy says so (RECORD_PURGE=on; issue 16 §3).
  const stopPurge = purgeHour === null ? null : scheduleRetentionPurge(pool, {
    clock: { now: () => new Date() },
    hour: purgeHour,
    onResult: (r) => console.log(`[server] retention-purge job ${r.jobId}: ${r.message}`),
  });
  console.log(purgeHour === null
    ? '[server] records past their retention are kept on the server (RECORD_PURGE is off)'
    : `[server] records past their retention are purged once a day from ${purgeHour}:00 (Japan time)`);

  process.on('SIGHUP', () => {
    publishProfilesFromDir(pool, profilesDir)
      .then(() => refreshDuePopulations(pool, new Date()))
      .catch((err: unknown) => console.error('[server] publishing rule profiles failed:', err));
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
    stopPopulation();
    inbox?.stop();
    stopIdoWork?.();
    stopPurge?.();
    stopOnshi?.();
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
