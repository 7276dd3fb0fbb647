/**
 * The two Electron IPC channel names the bridge uses: every renderer request goes over INVOKE_CHANNEL (with
 * the contract channel as its first argument), every main → renderer event over APP_EVENT_CHANNEL.
 * Imported by the preload: keep this module (like channel-names.ts) free of zod and of any other import, so
 * the preload bundle stays small (electron/build/__tests__/preload-bundle.test.ts checks it).
 */
export const APP_EVENT_CHANNEL = 'madoguchi:event';
export const INVOKE_CHANNEL = 'madoguchi:invoke';
