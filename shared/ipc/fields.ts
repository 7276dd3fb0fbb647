import { z } from 'zod';
import { isRight, type Right } from '../domain/rights';
import { isValidIsoDate } from '../domain/wareki';

// Default zod messages (wrong type, unexpected key, …) in Japanese, for every contract file.
z.config(z.locales.ja());

/** Field schemas every contract file uses (one definition each). */
export const id = z.string().uuid('IDの形式が正しくありません');
export const isoDate = z.string().refine(isValidIsoDate, '日付は正しい年月日で入力してください（例: 2026-04-01）');
/** A request without fields. */
export const nothing = z.object({}).strict();
/** A reason staff type (取消・訂正・却下 …): trimmed, required, at most `max` characters. */
export const reasonText = (max: number) => z.string().trim().min(1, '理由を入力してください').max(max, `理由は${max}文字以内で入力してください`);
export const rightSchema = z.custom<Right>((v) => typeof v === 'string' && isRight(v), '権限の指定が正しくありません');
/** WebAuthn options and responses travel as JSON objects; @simplewebauthn verifies them in depth. */
export const webauthnJson = z.record(z.string(), z.unknown());
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
