import type { residentsChannels } from '../../../shared/ipc/residents-contract';
import type { Handlers } from '../types';

export const residentsHandlers: Handlers<keyof typeof residentsChannels> = {
  'residents.search': (core, _ctx, actor, p) => core.residents.search(actor, p),
  'residents.get': (core, _ctx, actor, p) => core.residents.get(actor, p.residentId, p.reason),
  'residents.revealMyNumber': (core, _ctx, actor, p) => core.residents.revealMyNumber(actor, p.residentId, p.reason),
  'residents.searchByMyNumber': (core, _ctx, actor, p) => core.residents.searchByMyNumber(actor, p.myNumber, p.reason),
};
