import { channels, type ChannelName, type SessionInfo } from '../../../shared/ipc/contract';
import { allows } from '../../../shared/ipc/access';
import { useApp } from './store';

/**
 * Whether this session may call `channel`, decided exactly as the router decides it (the contract's access and
 * shared/ipc/access.ts). Menus and buttons show only what this allows; the core checks again on every request.
 */
export function can(session: SessionInfo | null, channel: ChannelName): boolean {
  return allows(channels[channel].access, session);
}

/** `can` for the current session, in a component. */
export function useCan(channel: ChannelName): boolean {
  const session = useApp((s) => s.session);
  return can(session, channel);
}
