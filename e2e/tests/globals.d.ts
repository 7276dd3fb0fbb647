// What the page sees (the preload's / harness bridge's surface), for page.evaluate callbacks.
interface Window {
  madoguchi?: { invoke(channel: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string; fieldErrors?: Record<string, string> } }> };
}
