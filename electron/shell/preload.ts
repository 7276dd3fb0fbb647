import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names';
import { APP_EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/events';

/**
 * The renderer's only door: `window.madoguchi.invoke(channel, payload)` for the contract's channels, and
 * `onEvent` for session lock/end events. No other Electron or Node API is exposed. The main process
 * checks the sender frame, the channel, the payload and the session again.
 */
const allowed = new Set<string>(CHANNEL_NAMES);

contextBridge.exposeInMainWorld(
  'madoguchi',
  Object.freeze({
    invoke: (channel: string, payload: unknown): Promise<unknown> => {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '許可されていない要求です。' } });
      }
      return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload);
    },
    onEvent: (listener: (event: unknown) => void): (() => void) => {
      const wrapped = (_e: unknown, event: unknown) => listener(event);
      ipcRenderer.on(APP_EVENT_CHANNEL, wrapped);
      return () => ipcRenderer.removeListener(APP_EVENT_CHANNEL, wrapped);
    },
  }),
);
