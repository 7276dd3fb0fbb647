import type { Right } from '../domain/rights';

/**
 * Who may call a channel. public: no session needed; session: any session, even a locked one; unlocked: a
 * session that is not locked; right: an unlocked session holding the right; anyRight: any one of the rights
 * (e.g. claim entry in any 事務 — the service then checks the right for the record's 事務).
 * Zod-free: the router, the services and the renderer all decide with `accessRefusal`/`allows`.
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'session' }
  | { readonly kind: 'unlocked' }
  | { readonly kind: 'right'; readonly right: Right }
  | { readonly kind: 'anyRight'; readonly rights: readonly Right[] };

export const PUBLIC = { kind: 'public' } as const satisfies Access;
export const SESSION = { kind: 'session' } as const satisfies Access;
export const UNLOCKED = { kind: 'unlocked' } as const satisfies Access;
export function needs<R extends Right>(right: R): { readonly kind: 'right'; readonly right: R } {
  return { kind: 'right', right };
}
export function needsAny(rights: readonly Right[]): { readonly kind: 'anyRight'; readonly rights: readonly Right[] } {
  return { kind: 'anyRight', rights };
}

/** The part of a session access depends on. */
export interface RightsHolder {
  readonly rights: readonly Right[];
  readonly locked: boolean;
}

export type AccessRefusal = 'no_session' | 'locked' | 'forbidden';

/** Why `holder` may not use something guarded by `access`, or null when it may. */
export function accessRefusal(access: Access, holder: RightsHolder | null): AccessRefusal | null {
  if (access.kind === 'public') return null;
  if (!holder) return 'no_session';
  if (access.kind === 'session') return null;
  if (holder.locked) return 'locked';
  if (access.kind === 'right') return holder.rights.includes(access.right) ? null : 'forbidden';
  if (access.kind === 'anyRight') return access.rights.some((r) => holder.rights.includes(r)) ? null : 'forbidden';
  return null;
}

export function allows(access: Access, holder: RightsHolder | null): boolean {
  return accessRefusal(access, holder) === null;
}

/** Whether a channel of access kind K always has a session behind it (so its handler's actor is non-null). */
export type NeedsSession<A extends Access> = A extends { kind: 'public' } ? false : true;
