import type { z } from 'zod';
import { channels, fieldErrorsOf, type ChannelName, type RequestOf, type ResponseOf } from '../../../shared/ipc/contract';
import { GENERIC_MESSAGES, type ErrorCode } from '../../../shared/ipc/errors';
import { bridge } from './bridge';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'BRIDGE',
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    /** The request was refused here, by the contract's own schema, and never reached the core. */
    readonly local = false,
  ) {
    super(message);
  }
}

/**
 * The field errors the contract's request schema finds in `payload`, keyed like the core's (dot-joined paths),
 * or null when it passes. The same zod schema the core's router checks with, so what it refuses here the core
 * would refuse too: a typo is shown at its field instead of becoming a 拒否 entry (ipc.invalidPayload) in the
 * audit log, where it would look like a forged request.
 */
export function contractErrors<C extends ChannelName>(channel: C, payload: RequestOf<C>): Record<string, string> | null {
  const parsed = (channels[channel].request as z.ZodType).safeParse(payload);
  return parsed.success ? null : fieldErrorsOf(parsed.error);
}

/**
 * Typed call of one contract channel; resolves with the data or throws an ApiError (Japanese message). A payload
 * the contract refuses is not sent: the ApiError carries the contract's field errors (`local`), exactly as the
 * core would have answered, so every form shows them where it shows the core's.
 */
export async function call<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const refused = contractErrors(channel, payload);
  if (refused) throw new ApiError('VALIDATION', GENERIC_MESSAGES.VALIDATION, refused, true);
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
