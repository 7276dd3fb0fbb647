import { rmSync } from 'node:fs';

/** What a sync test keeps of a terminal it opened: its server client, its database, its temp directory. */
export interface OpenedTerminal {
  client: { close?(): void };
  db: { close(): void };
  dir: string;
}

/** Closes the terminals a test opened and removes their directories (for afterEach). */
export function closeTerminals(open: OpenedTerminal[]): void {
  for (const t of open.splice(0)) {
    t.client.close?.();
    t.db.close();
    rmSync(t.dir, { recursive: true, force: true });
  }
}
