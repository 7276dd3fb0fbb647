import type { SessionInfo } from '../../shared/ipc/contract';
import type { Right, Role } from '../../shared/domain/rights';
import { DomainError } from './errors';

/** The logged-in member of staff on whose behalf a request runs. Held only in the main process. */
export interface Actor {
  staffId: string;
  name: string;
  role: Role;
  rights: readonly Right[];
  demo: boolean;
  loggedInAt: string;
  /** Locked by idle time or the OS lock screen: only unlock, status and logout are served. */
  locked: boolean;
}

export function requireRight(actor: Actor, right: Right): void {
  if (!actor.rights.includes(right)) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
}

export function toSessionInfo(a: Actor): SessionInfo {
  return { staffId: a.staffId, name: a.name, role: a.role, rights: [...a.rights], demo: a.demo, locked: a.locked };
}
