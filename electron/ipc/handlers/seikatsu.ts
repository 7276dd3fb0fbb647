import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { seikatsuChannels } from '../../../shared/ipc/seikatsu-contract';
import type { Handlers } from '../types';

export const seikatsuHandlers: Handlers<keyof typeof seikatsuChannels> = {
  'fujo.start': (core, _ctx, actor, p) => core.fujo.start(actor, p),
  'fujo.stepBegin': (core, _ctx, actor, p) => core.fujo.stepBegin(actor, p),
  'fujo.step': (core, _ctx, actor, p) => core.fujo.step(actor, { ...p, assertion: (p.assertion ?? null) as unknown as AuthenticationResponseJSON | null }),
  'fujo.get': (core, _ctx, actor, p) => core.fujo.get(actor, p.flowId),
  'fujo.byResident': (core, _ctx, actor, p) => ({ flows: core.fujo.byResident(actor, p.residentId), jukyu: core.fujo.jukyuViews(p.residentId) }),
  'fujo.queue': (core, _ctx, actor, p) => ({ flows: core.fujo.queue(actor, p.queue) }),
};
