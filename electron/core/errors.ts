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

  /** Set by AuditLog.refuse once the refusal is in the audit log; the router audits every other one. */
  audited = false;

  /**
   * Not a refusal but a failure outside the request (a printer, the server, the disk): audited as `failure`
   * rather than `rejected`. Made with DomainError.failure.
   */
  failed = false;

  /** What IT needs (an HTTP status, a server's code), for the audit detail and logs; never in the message staff read. */
  technical: string | null = null;

  static failure(code: ErrorCode, message: string): DomainError {
    const e = new DomainError(code, message);
    e.failed = true;
    return e;
  }
}

/** The database could not be opened safely (wrong key, missing key, damaged file). Fails closed. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}
