import { contextBridge, ipcRenderer } from 'electron';

/**
 * The renderer's only door: `window.madoguchi.invoke(channel, payload)`. No other Electron or Node API is
 * exposed. The main process validates the channel, the payload, the sender and the session.
 */
contextBridge.exposeInMainWorld(
  'madoguchi',
  Object.freeze({
    invoke: (channel: string, payload: unknown): Promise<unknown> => ipcRenderer.invoke('madoguchi:invoke', channel, payload),
  }),
);
