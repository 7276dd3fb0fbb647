/** What sync needs from the network (defined with the client, below sync: the 個人番号 requests use it too). */
export type { ServerTransport as SyncTransport } from '../net/transport';

/** The server answered with something this step cannot take (a status, a malformed body): staff read the message. */
export class SyncError extends Error {
  constructor(
    message: string,
    /** What IT needs (the HTTP status …), for the audit detail and logs; never shown to staff. */
    readonly technical: string | null = null,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** The server answered this step with a status it cannot take: staff read what failed; the status goes to IT. */
export function refusedByServer(message: string, status: number): SyncError {
  return new SyncError(message, `HTTP ${status}`);
}
