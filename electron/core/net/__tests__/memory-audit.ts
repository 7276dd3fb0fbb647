import type { NetAuditSink } from '../server-client';

export type NetAuditEntry = Parameters<NetAuditSink['append']>[0];

/** In-memory stand-in for the audit log: records what the client appends. */
export class MemoryAudit implements NetAuditSink {
  readonly entries: NetAuditEntry[] = [];
  append(input: NetAuditEntry): void {
    this.entries.push(input);
  }
}
