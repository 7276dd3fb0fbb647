/** What sync needs from the network: the pinned mTLS client (CentralServerClient satisfies it). */
export interface SyncTransport {
  request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}
