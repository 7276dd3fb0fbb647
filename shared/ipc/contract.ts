import type { z } from 'zod';
import type { Access } from './access';
import { CHANNEL_NAMES, type ChannelNameList } from './channel-names';
import { sessionChannels } from './session-contract';
import { residentsChannels } from './residents-contract';
import { syncChannels } from './sync-contract';
import { adminChannels } from './admin-contract';
import { claimsChannels } from './claims-contract';
import { certificatesChannels } from './certificates-contract';
import { auditChannels } from './audit-contract';
import { approvalsChannels } from './approvals-contract';
import { seikatsuChannels } from './seikatsu-contract';

export type { Access } from './access';
export type { SessionInfo, LoginResult } from './session-contract';
export type { ResidentSummary, ResidentDetail, SearchRequest } from './residents-contract';

/**
 * The IPC contract: every request the renderer can make is one channel, with a zod schema for the request and
 * the response, declared in the contract file of its feature (session, residents, sync, admin, claims,
 * certificates, audit, approvals, seikatsu) and gathered here. The main process validates both directions. Request schemas are
 * strict: an unexpected field is an invalid payload. Handlers mirror these files (electron/ipc/handlers/).
 */
export const channels = {
  ...sessionChannels,
  ...residentsChannels,
  ...syncChannels,
  ...adminChannels,
  ...claimsChannels,
  ...certificatesChannels,
  ...auditChannels,
  ...approvalsChannels,
  ...seikatsuChannels,
} as const satisfies Record<ChannelNameList, { access: Access; request: z.ZodType; response: z.ZodType }>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export { CHANNEL_NAMES };
export function isChannelName(x: unknown): x is ChannelName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(channels, x);
}

/** Turn zod issues into {field path → first Japanese message}. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
