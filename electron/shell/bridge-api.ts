import type { IpcRenderer } from 'electron';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names';
import { APP_EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';

/**
 * What the preload exposes as `window.madoguchi`: `invoke` for the contract's channels only, and `onEvent`
 * for session lock/end events. Nothing else of Electron or Node. Built from an injected ipcRenderer so the
 * allow-list is tested without the Electron runtime; the main process checks everything again.
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>) {
  const allowed = new Set<string>(CHANNEL_NAMES);
  return Object.freeze({
    invoke: (channel: string, payload: unknown): Promise<unknown> => {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '許可されていない要求です。' } });
      }
      return ipc.invoke(INVOKE_CHANNEL, channel, payload);
    },
    onEvent: (listener: (event: unknown) => void): (() => void) => {
      const wrapped = (_e: unknown, event: unknown) => listener(event);
      ipc.on(APP_EVENT_CHANNEL, wrapped);
      return () => {
        ipc.removeListener(APP_EVENT_CHANNEL, wrapped);
      };
    },
  });
}
