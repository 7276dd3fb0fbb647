import { z } from 'zod';
import { ACCESS_REASONS } from '../domain/resident';
import { isValidMyNumber } from '../domain/mynumber';

/**
 * 個人番号 on request (issue 16 §2, docs/sync-protocol.md): terminals never hold a 個人番号; revealing one and
 * searching by one are online requests to the central server, which checks the member of staff's right on its own
 * staff and grant records, keeps to the terminal's municipality, and records every request (mynumber_access).
 */
export const MYNUMBER_REVEAL_PATH = '/v1/mynumber/reveal';
export const MYNUMBER_SEARCH_PATH = '/v1/mynumber/search';

const staffId = z.string().regex(/^[A-Za-z0-9]{3,32}$/);
const reason = z.enum(ACCESS_REASONS);
const myNumber = z.string().refine(isValidMyNumber);

export const MyNumberRevealRequestSchema = z.strictObject({ staffId, residentId: z.string().min(1).max(64), reason });
export type MyNumberRevealRequest = z.infer<typeof MyNumberRevealRequestSchema>;
export const MyNumberRevealResponseSchema = z.strictObject({ myNumber });
export type MyNumberRevealResponse = z.infer<typeof MyNumberRevealResponseSchema>;

export const MyNumberSearchRequestSchema = z.strictObject({ staffId, myNumber, reason });
export type MyNumberSearchRequest = z.infer<typeof MyNumberSearchRequestSchema>;
/** The resident of the terminal's municipality holding the number, or null for none. */
export const MyNumberSearchResponseSchema = z.strictObject({ residentId: z.string().nullable() });
export type MyNumberSearchResponse = z.infer<typeof MyNumberSearchResponseSchema>;
