import { createHash } from 'node:crypto';

/** The part of the OS clipboard the ledger needs (Electron's `clipboard` satisfies it). */
export interface ClipboardLike {
  readText(): string | Promise<string>;
  clear(): void | Promise<void>;
}

/**
 * Remembers the SHA-256 of what the app put on the clipboard (never the text), so that lock and quit
 * clear the clipboard when it still holds the app's text and leave other applications' text alone.
 */
export class ClipboardLedger {
  private readonly hashes = new Set<string>();
  private static readonly MAX = 200;

  record(sha256: string): void {
    if (this.hashes.size >= ClipboardLedger.MAX) this.hashes.delete(this.hashes.values().next().value as string);
    this.hashes.add(sha256);
  }

  /** Clear the clipboard if it holds something the app wrote. Returns whether it cleared. */
  async clearIfOurs(clipboard: ClipboardLike): Promise<boolean> {
    const text = await clipboard.readText();
    if (!text) return false;
    const h = createHash('sha256').update(text, 'utf8').digest('hex');
    if (!this.hashes.has(h)) return false;
    await clipboard.clear();
    this.hashes.clear();
    return true;
  }
}
