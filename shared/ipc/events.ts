import { z } from 'zod';

/** Events the main process pushes to the renderer (the only main → renderer messages). */
export const appEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('locked'), reason: z.enum(['idle', 'os_lock', 'suspend', 'manual']) }),
  z.object({ type: z.literal('ended'), reason: z.enum(['logout', 'window_closed', 'replaced', 'idle_timeout']) }),
]);
export type AppEvent = z.infer<typeof appEventSchema>;
export const APP_EVENT_CHANNEL = 'madoguchi:event';
export const INVOKE_CHANNEL = 'madoguchi:invoke';
