import type { syncChannels } from '../../../shared/ipc/sync-contract';
import type { Handlers } from '../types';

export const syncHandlers: Handlers<keyof typeof syncChannels> = {
  'sync.status': (core) => ({ configured: core.sync.configured, ...core.sync.status() }),
  'sync.now': async (core, _ctx, actor) => {
    await core.sync.runNow(actor.staffId);
    return { configured: core.sync.configured, ...core.sync.status() };
  },
  'sync.rejections': (core) => ({ rejections: core.sync.engine.rejections() }),
  'sync.conflicts': (core, _ctx, actor) => core.conflicts.list(actor),
  'sync.resolveConflict': (core, _ctx, actor, p) => core.conflicts.resolve(actor, p),
};
