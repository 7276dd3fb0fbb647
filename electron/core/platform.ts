/**
 * What the core needs from the platform. The Electron shell implements these with Electron APIs
 * (safeStorage, the OS clock); tests and the harness implement them honestly (a real key file in a real
 * data directory, a fixed or real clock) — never with fakes that make tests pass.
 */

/** Supplies the 256-bit database key. The key never leaves the main process. */
export interface KeyProvider {
  /** The stored key, or null when none has been created yet. Throws if a stored key cannot be read. */
  loadKey(): Buffer | null;
  /** Creates, stores and returns a new random 32-byte key. Refuses if one already exists. */
  createKey(): Buffer;
  /** Human-readable description for error messages (never the key itself). */
  describe(): string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface TerminalIdentity {
  terminalId: string;
}
