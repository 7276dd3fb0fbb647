import { z } from 'zod';
import { TerminalIdSchema } from './protocol';

/**
 * Retiring a terminal (issue 16 §4, docs/sync-protocol.md): `POST /v1/terminals/retire`. The terminal sends it
 * only after it has pushed every mutation and uploaded its whole audit log; it says how far it got, and the
 * server refuses (409) when it holds less. Once recorded, the server answers none of the terminal's requests
 * except this one again (the same acknowledgement).
 */
export const RETIRE_PATH = '/v1/terminals/retire';

export const RetireRequestSchema = z
  .object({
    terminalId: TerminalIdSchema,
    /** The highest mutation ID this terminal sent (0: none). */
    lastMutationId: z.number().int().min(0),
    /** The highest audit seq this terminal holds (all of it acknowledged by the server). */
    auditSeq: z.number().int().min(0),
  })
  .strict();
export type RetireRequest = z.infer<typeof RetireRequestSchema>;

export const RetireResponseSchema = z
  .object({
    terminalId: TerminalIdSchema,
    retired: z.literal(true),
    /** When the server recorded the retirement (its clock), ISO 8601. */
    retiredAt: z.string().datetime(),
    lastMutationId: z.number().int().min(0),
    auditSeq: z.number().int().min(0),
  })
  .strict();
export type RetireResponse = z.infer<typeof RetireResponseSchema>;
