/**
 * The sync server as its own process for bench/sync.bench.ts (so the simulated terminals do not share its
 * event loop): the real buildApp + loadServerTls + createPool (pool size as in server/main.ts), listening on
 * 127.0.0.1 only. Started with the IPC channel; reports { port } once listening; on 'close' it closes the
 * app (like an outage / restart) and the pool, then exits.
 *
 * Environment: BENCH_DATABASE_URL, BENCH_PKI_DIR, BENCH_PORT (0 = any free port).
 */
import { buildApp } from '../server/app';
import { createPool } from '../server/db';
import { loadServerTls } from '../server/pki';

async function run(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  const pkiDir = process.env.BENCH_PKI_DIR;
  const port = Number(process.env.BENCH_PORT ?? '0');
  if (!url || !pkiDir || !Number.isInteger(port) || !process.send) throw new Error('sync-server: needs BENCH_DATABASE_URL, BENCH_PKI_DIR, BENCH_PORT and an IPC channel');
  const pool = createPool(url, { onIdleError: () => undefined });
  const { app } = await buildApp({ pool, tls: await loadServerTls(pkiDir) });
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address();
  const bound = addr && typeof addr === 'object' ? addr.port : 0;
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'close') void close();
  });
  process.on('disconnect', () => void close()); // the bench died: do not linger
  process.send({ port: bound });
}

run().catch((err: unknown) => {
  process.stderr.write(`[sync-server] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
