import { channels, fieldErrorsOf, isChannelName, type ChannelName, type RequestOf } from '../../shared/ipc/contract';
import { accessRefusal, type Access, type AccessRefusal } from '../../shared/ipc/access';
import type { AuditAction } from '../../shared/audit/actions';
import { GENERIC_MESSAGES, type Envelope, type IpcError } from '../../shared/ipc/errors';
import type { Actor } from '../core/actor';
import type { Core } from '../core/app-core';
import { DomainError } from '../core/errors';
import { handlers } from './handlers';
import type { Handler, HandlerTable, IpcContext } from './types';

export type { IpcContext, Handler, HandlerTable } from './types';

export interface Logger {
  error(message: string, err?: unknown): void;
}

const MAX_CHANNEL_IN_AUDIT = 64;
/** At most this many invalid fields, each name at most this long, reach the audit entry and the answer. */
const MAX_FIELDS_IN_AUDIT = 20;
const MAX_FIELD_NAME = 80;

const REFUSAL_ERRORS: Record<AccessRefusal, IpcError> = {
  no_session: { code: 'UNAUTHENTICATED', message: GENERIC_MESSAGES.UNAUTHENTICATED },
  locked: { code: 'LOCKED', message: GENERIC_MESSAGES.LOCKED },
  forbidden: { code: 'FORBIDDEN', message: GENERIC_MESSAGES.FORBIDDEN },
};

/**
 * The single entry point for renderer requests: channel allow-list, session and right checks, zod
 * validation of the request and of the response, typed Japanese errors. Every refusal is audited.
 */
export class IpcRouter {
  constructor(
    private readonly core: Core,
    private readonly log: Logger = { error: (m, e) => console.error(m, e) },
    private readonly table: HandlerTable = handlers,
  ) {}

  async handle(ctx: IpcContext, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    const actor = this.core.auth.sessionFor(ctx.senderId);
    if (!isChannelName(channel)) {
      const shown = typeof channel === 'string' ? channel.slice(0, MAX_CHANNEL_IN_AUDIT) : `(${typeof channel})`;
      return this.reject(actor, 'ipc.unknownChannel', { channel: shown }, { code: 'UNKNOWN_CHANNEL', message: GENERIC_MESSAGES.UNKNOWN_CHANNEL });
    }
    const def = channels[channel];
    if (!this.core.settings.provisioned && channel !== 'auth.status') {
      return this.reject(actor, 'ipc.rejected', { channel, why: 'not_provisioned' }, { code: 'NOT_PROVISIONED', message: GENERIC_MESSAGES.NOT_PROVISIONED });
    }
    const refusal = accessRefusal(def.access, actor);
    if (refusal) {
      const access = def.access as Access;
      const right = access.kind === 'right' ? access.right : access.kind === 'anyRight' ? access.rights.join('|') : undefined;
      return this.reject(actor, 'ipc.rejected', { channel, why: refusal, ...(refusal === 'forbidden' ? { right } : {}) }, REFUSAL_ERRORS[refusal]);
    }
    const parsed = def.request.safeParse(payload);
    if (!parsed.success) {
      // Field paths come from the payload itself (a record's keys): the audit keeps their names only, capped.
      const fieldErrors = Object.fromEntries(Object.entries(fieldErrorsOf(parsed.error)).slice(0, MAX_FIELDS_IN_AUDIT).map(([k, m]) => [k.slice(0, MAX_FIELD_NAME), m]));
      return this.reject(actor, 'ipc.invalidPayload', { channel, fields: Object.keys(fieldErrors) }, { code: 'VALIDATION', message: GENERIC_MESSAGES.VALIDATION, fieldErrors });
    }
    try {
      // accessRefusal let only public channels through without a session, and their handlers take a null actor.
      const handler = this.table[channel] as (core: Core, ctx: IpcContext, actor: Actor | null, payload: RequestOf<ChannelName>) => ReturnType<Handler<ChannelName>>;
      const result = await handler(this.core, ctx, actor, parsed.data as RequestOf<ChannelName>);
      const checked = def.response.safeParse(result);
      if (!checked.success) {
        this.log.error(`response for ${channel} does not match the contract`, checked.error);
        return this.reject(actor, 'ipc.invalidResponse', { channel }, { code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL });
      }
      this.afterRequest();
      return { ok: true, data: checked.data };
    } catch (e) {
      if (e instanceof DomainError) {
        const error = { code: e.code, message: e.message, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) };
        // Every refusal is in the audit log: the service's own entry (AuditLog.refuse) or this one.
        if (!e.audited) return this.reject(actor, 'ipc.rejected', { channel, why: e.code }, error);
        return { ok: false, error };
      }
      this.log.error(`handler for ${channel} failed`, e);
      return this.reject(actor, 'ipc.internalError', { channel }, { code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL });
    }
  }

  /** Housekeeping after a served request: a signed audit checkpoint every CHECKPOINT_EVERY entries. */
  private afterRequest(): void {
    try {
      this.core.checkpoints.maybe();
    } catch (e) {
      this.log.error('audit checkpoint failed', e);
    }
  }

  private reject(actor: Actor | null, action: AuditAction, detail: Record<string, unknown>, error: IpcError): Envelope<never> {
    try {
      this.core.audit.append({ staffId: actor?.staffId ?? null, action, outcome: 'rejected', detail });
    } catch (e) {
      this.log.error('could not audit a rejected request', e);
    }
    return { ok: false, error };
  }
}
