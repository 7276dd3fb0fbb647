/**
 * Helpers for bench/sync.bench.ts: a simulated terminal (its own client certificate on its own keep-alive
 * node:https Agent, its own outbox numbering) and realistic `certificates` inserts.
 */
import { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import {
  SYNC_ENTITY_FIELDS,
  type Mutation,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../shared/sync/protocol';
import { requestJson, type ClientCert } from '../testing/server';

export interface HttpResult<T> {
  status: number;
  body: T | string;
  ms: number;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** A simulated counter terminal: one keep-alive TLS connection presenting its own certificate. */
export class Terminal {
  readonly agent: Agent;
  private nextMutationId = 1;
  cursor = 0;

  constructor(
    readonly id: string,
    private readonly ca: string,
    cert: ClientCert,
    public port: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, ca, cert: cert.cert, key: cert.key, servername: 'localhost' });
  }

  /** Next mutations of this terminal's outbox: `certificates` inserts, mutationIds strictly increasing by 1. */
  makeMutations(n: number): Mutation[] {
    const out: Mutation[] = [];
    for (let i = 0; i < n; i++) out.push(certificateInsert(this.nextMutationId++, this.id));
    return out;
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpResult<T>> {
    const t0 = performance.now();
    const r = await requestJson<T>({ port: this.port, method, path, agent: this.agent, ca: this.ca }, body, REQUEST_TIMEOUT_MS);
    return { ...r, ms: performance.now() - t0 };
  }

  health(): Promise<HttpResult<{ ok: boolean; terminalId: string }>> {
    return this.send('GET', '/v1/health');
  }

  push(mutations: Mutation[]): Promise<HttpResult<PushResponse>> {
    const body: PushRequest = { terminalId: this.id, mutations };
    return this.send('POST', '/v1/push', body);
  }

  /** One pull page from this terminal's cursor; advances the cursor on success. */
  async pull(limit: number): Promise<HttpResult<PullResponse>> {
    const r = await this.send<PullResponse>('GET', `/v1/pull?cursor=${this.cursor}&limit=${limit}`);
    if (r.status === 200 && typeof r.body === 'object') this.cursor = r.body.cursor;
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}

const CERT_TYPES = ['kodomo', 'kokuho_oshirase', 'kokuho_shikaku', 'kokuho_gendogaku'] as const;
const PAYER_NOS = ['88131015', '88131023', '81137015', '82137012'] as const;
const STAFF = ['S0001', 'S0002', 'S0003', 'S0004', 'S0005'] as const;

function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

let certNo = 0;

/** The payload `insertRecord` would put in the outbox for a new certificate (full row, version 1). */
export function certificatePayload(entityId: string): Record<string, string | number | null> {
  const now = new Date().toISOString();
  const issue = now.slice(0, 10);
  const year = Number(issue.slice(0, 4));
  const staff = pick(STAFF);
  const reissue = Math.random() < 0.1;
  const payload: Record<string, string | number | null> = {
    id: entityId,
    version: 1,
    created_at: now,
    created_by: staff,
    updated_at: now,
    updated_by: staff,
    deleted: 0,
    resident_id: uuidv7(),
    cert_type: pick(CERT_TYPES),
    certificate_no: String(++certNo + 1_000_000).padStart(10, '0'),
    public_payer_no: pick(PAYER_NOS),
    issue_kind: reissue ? 'reissue' : 'new',
    reissue_reason: reissue ? '紛失' : null,
    issue_date: issue,
    valid_from: issue,
    valid_to: `${year + 1}-07-31`,
    guardian_id: Math.random() < 0.7 ? uuidv7() : null,
    status: 'valid',
    superseded_by: null,
  };
  const allowed = SYNC_ENTITY_FIELDS.certificates;
  for (const k of Object.keys(payload)) if (!allowed.includes(k)) throw new Error(`bench payload field ${k} is not a certificates column`);
  return payload;
}

export function certificateInsert(mutationId: number, _terminalId: string): Mutation {
  const entityId = uuidv7();
  return { mutationId, clientUuid: uuidv7(), entity: 'certificates', entityId, op: 'insert', payload: certificatePayload(entityId) };
}

/** Percentile (nearest rank) of an ascending-sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
