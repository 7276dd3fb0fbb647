import type { Db } from './database';

export interface TerminalSettings {
  /** null until IT has provisioned the terminal. */
  terminalId: string;
  provisioned: boolean;
}

export const UNPROVISIONED_TERMINAL = 'UNPROVISIONED';

export function readTerminalSettings(db: Db): TerminalSettings {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_settings WHERE key = ?').get('terminal_id');
  return row ? { terminalId: row.value, provisioned: true } : { terminalId: UNPROVISIONED_TERMINAL, provisioned: false };
}

export function writeTerminalSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO terminal_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
