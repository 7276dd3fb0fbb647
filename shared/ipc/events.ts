import { z } from 'zod';

/**
 * Events the main process pushes to the renderer (the only main → renderer messages). The IPC channel they
 * travel on is in transport.ts, which the preload imports instead of this module (it would pull in zod).
 */
export const appEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('locked'), reason: z.enum(['idle', 'os_lock', 'suspend', 'manual']) }),
  z.object({ type: z.literal('ended'), reason: z.enum(['logout', 'window_closed', 'replaced', 'idle_timeout']) }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
