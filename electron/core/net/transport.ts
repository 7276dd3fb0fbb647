/**
 * What the core needs from the network: one request to the central server over the pinned mutual-TLS client
 * (CentralServerClient satisfies it). Sync uses it, and so do the 個人番号 requests of the resident service.
 */
export interface ServerTransport {
  request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}
