import type { ChannelName, Channels, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Actor } from '../core/actor';
import type { Core } from '../core/app-core';

/** Where a request came from. In Electron: the webContents id of a verified main frame. */
export interface IpcContext {
  senderId: string;
}

/**
 * The caller as the channel's access guarantees it: a public channel may have no session; every other channel
 * reaches its handler only with one (the router has checked it), so its handler's actor is never null.
 */
export type ActorOf<C extends ChannelName> = Channels[C]['access'] extends { kind: 'public' } ? Actor | null : Actor;

export type Handler<C extends ChannelName> = (
  core: Core,
  ctx: IpcContext,
  actor: ActorOf<C>,
  payload: RequestOf<C>,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** The handlers of one feature's channels (one file each, mirroring shared/ipc/*-contract.ts). */
export type Handlers<K extends ChannelName> = { [C in K]: Handler<C> };

export type HandlerTable = Handlers<ChannelName>;
