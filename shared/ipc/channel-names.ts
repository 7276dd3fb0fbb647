/**
 * Every channel the renderer may call: the preload's allow-list (kept free of zod so the preload stays
 * small). The contract in contract.ts must define exactly these channels — the type system checks it.
 */
export const CHANNEL_NAMES = [
  'auth.status',
  'auth.login',
  'auth.logout',
  'auth.unlock',
  'clipboard.recordCopy',
  'residents.search',
  'residents.get',
  'residents.revealMyNumber',
  'certificates.prepareKodomo',
  'certificates.issueKodomo',
  'certificates.history',
  'certificates.printView',
  'printers.list',
  'certificates.print',
  'audit.verify',
] as const;

export type ChannelNameList = (typeof CHANNEL_NAMES)[number];
