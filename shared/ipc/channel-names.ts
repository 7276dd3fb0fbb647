/**
 * Every channel the renderer may call: the preload's allow-list (kept free of zod so the preload stays
 * small). The contract in contract.ts must define exactly these channels — the type system checks it.
 */
export const CHANNEL_NAMES = [
  'auth.status',
  'auth.login',
  'auth.secondFactor',
  'auth.enrollFactor',
  'auth.changePassword',
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
  'sync.status',
  'sync.rejections',
  'sync.conflicts',
  'admin.staff.list',
  'admin.grants.grant',
  'admin.grants.revoke',
  'admin.authenticators.begin',
  'admin.authenticators.finish',
  'admin.authenticators.revoke',
  'admin.staff.setInitialPassword',
  'admin.roster.preview',
  'admin.roster.apply',
  'admin.rightsReview',
] as const;

export type ChannelNameList = (typeof CHANNEL_NAMES)[number];
