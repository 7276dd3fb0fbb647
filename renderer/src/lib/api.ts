import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { ErrorCode } from '../../../shared/ipc/errors';
import { bridge } from './bridge';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'BRIDGE',
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Typed call of one contract channel; resolves with the data or throws an ApiError (Japanese message). */
export async function call<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  let env;
  try {
    env = await bridge().invoke(channel, payload);
  } catch {
    throw new ApiError('BRIDGE', '端末の処理部と通信できません。アプリを再起動してください。');
  }
  if (!env.ok) throw new ApiError(env.error.code, env.error.message, env.error.fieldErrors ?? {});
  return env.data as ResponseOf<C>;
}

export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : '予期しないエラーが発生しました。';
}
