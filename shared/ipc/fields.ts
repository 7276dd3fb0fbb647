import { z } from 'zod';
import { isRight, type Right } from '../domain/rights';
import { isValidIsoDate } from '../domain/wareki';
import { jsonObject, text } from '../text';

// Default zod messages (wrong type, unexpected key, …) in Japanese, for every contract file.
z.config(z.locales.ja());

/** Field schemas every contract file uses (one definition each). */
export const id = z.string().uuid('IDの形式が正しくありません');
export const isoDate = z.string().refine(isValidIsoDate, '日付は正しい年月日で入力してください（例: 2026-04-01）');
/** A request without fields. */
export const nothing = z.object({}).strict();
/** A reason staff type (取消・訂正・却下 …): text (shared/text.ts), trimmed, required, at most `max` characters. */
export const reasonText = (max: number) => text({ label: '理由', min: 1, max });
/** A password as typed: every character counts (not trimmed, not normalised), but no control character. */
export const passwordText = (label: string) => text({ label, min: 1, max: 256, trim: false, normalize: false, tooLongMessage: `${label}が長すぎます` });
/** A JSON object crossing whole (claim input, certificate details, drafts): every key and string is text. */
export const jsonInput = jsonObject();
export const rightSchema = z.custom<Right>((v) => typeof v === 'string' && isRight(v), '権限の指定が正しくありません');
/**
 * WebAuthn options and responses travel as JSON objects; @simplewebauthn verifies them in depth. Checked as text
 * (no control character, well-formed) but never rewritten: their bytes are signed.
 */
export const webauthnJson = jsonObject({ normalize: false, maxDepth: 6, maxNodes: 1000, maxString: 100_000 });
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
