import type { ErrorCode } from '../../shared/ipc/errors';

/** An error the core raises on purpose; its message is Japanese and safe to show to staff. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The database could not be opened safely (wrong key, missing key, damaged file). Fails closed. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}
