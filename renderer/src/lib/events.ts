import { appEventSchema, type AppEvent } from '../../../shared/ipc/events';
import { bridge } from './bridge';

/** Subscribe to validated main-process events; anything malformed is ignored. */
export function onAppEvent(listener: (e: AppEvent) => void): () => void {
  return bridge().onEvent((raw) => {
    const parsed = appEventSchema.safeParse(raw);
    if (parsed.success) listener(parsed.data);
  });
}
