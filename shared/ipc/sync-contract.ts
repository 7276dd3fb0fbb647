import { z } from 'zod';
import { needs, SESSION, UNLOCKED } from './access';
import { nothing, reasonText } from './fields';

const syncStatus = z.object({
      configured: z.boolean(),
      online: z.boolean().nullable(),
      pending: z.number().int(),
      failed: z.number().int(),
      lastSuccessAt: z.string().nullable(),
      lastError: z.string().nullable(),
      /** This terminal's clock minus the server's, in seconds (null: not measured). */
      clockSkewSeconds: z.number().int().nullable(),
      /** Set while the clock is off by more than the policy allows: issuance is stopped. */
      clockProblem: z.string().nullable(),
    });

/** The sync state every screen shows, the rejection list, and conflicts for a supervisor. */
export const syncChannels = {
  'sync.status': {
    access: SESSION,
    request: nothing,
    response: syncStatus,
  },
  /**
   * 「今すぐ同期」: a supervisor asks for one sync round now (instead of waiting for the next scheduled one);
   * answers the state after it. Refused (and audited) without a central server.
   */
  'sync.now': {
    access: needs('audit.review'),
    request: nothing,
    response: syncStatus,
  },
  /** The sync-error list: permanent rejections by the central server (they never block the queue). */
  'sync.rejections': {
    access: UNLOCKED,
    request: nothing,
    response: z.object({ rejections: z.array(z.object({ mutationId: z.number().int(), entity: z.string(), entityId: z.string(), reason: z.string(), rejectedAt: z.string() })) }),
  },
  /** Conflicts held by the central server (two terminals edited one record), for a supervisor. */
  'sync.conflicts': {
    access: needs('audit.review'),
    request: nothing,
    response: z.object({
      available: z.boolean(),
      conflicts: z.array(z.object({ conflictId: z.number().int(), terminalId: z.string(), entity: z.string(), entityId: z.string(), createdAt: z.string(), changedFields: z.array(z.object({ field: z.string(), terminal: z.string(), server: z.string() })) })),
    }),
  },
  /** A supervisor's decision on one conflict, carried out by the central server (both edits stay on record). */
  'sync.resolveConflict': {
    access: needs('audit.review'),
    request: z
      .object({
        conflictId: z.number().int().positive(),
        resolution: z.enum(['keep_server', 'apply_terminal'], { message: 'どちらを採用するか選択してください' }),
        reason: reasonText(200),
      })
      .strict(),
    response: z.object({ conflictId: z.number().int(), resolution: z.enum(['keep_server', 'apply_terminal']), version: z.number().int(), resolvedAt: z.string(), resolvedBy: z.string() }),
  },
} as const;
