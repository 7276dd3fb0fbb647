import type { ChannelName, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Actor } from '../core/auth/auth-service';
import type { Core } from '../core/app-core';

/** Where a request came from. In Electron: the webContents id of a verified main frame. */
export interface IpcContext {
  senderId: string;
}

export type Handler<C extends ChannelName> = (
  core: Core,
  ctx: IpcContext,
  actor: Actor | null,
  payload: RequestOf<C>,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type HandlerTable = { [C in ChannelName]: Handler<C> };
