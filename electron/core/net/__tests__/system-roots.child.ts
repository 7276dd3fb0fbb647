/**
 * Run by system-roots.test.ts in a child process started with NODE_EXTRA_CA_CERTS = the unrelated CA, i.e.
 * with that CA in the process's default (system) trust store. Prints one JSON line with what happened.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { CentralServerClient, ServerConnectionError } from '../server-client';

const [dir = '', port = ''] = process.argv.slice(2);
const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');

/** A plain request relying on the default trust store (bundled roots + NODE_EXTRA_CA_CERTS). */
function defaultTrust(): Promise<number | string> {
  return new Promise((resolve) => {
    const req = https.request(`https://127.0.0.1:${port}/`, { cert: pem('client.crt'), key: pem('client.key') }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    req.end();
  });
}

async function pinned(): Promise<string> {
  const client = new CentralServerClient({
    baseUrl: `https://127.0.0.1:${port}`,
    ca: pem('ca.crt'),
    cert: pem('client.crt'),
    key: pem('client.key'),
    audit: { append: () => undefined },
  });
  try {
    const r = await client.request('GET', '/');
    return `status ${r.status}`;
  } catch (e) {
    return e instanceof ServerConnectionError ? e.code : String(e);
  } finally {
    client.close();
  }
}

const result = { defaultTrust: await defaultTrust(), pinned: await pinned() };
process.stdout.write(`${JSON.stringify(result)}\n`);
