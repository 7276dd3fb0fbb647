import { z } from 'zod';
import { ROLES } from '../domain/rights';
import { PUBLIC, SESSION, UNLOCKED } from './access';
import { isoDate, nothing, passwordText, rightSchema, sha256Hex, webauthnJson } from './fields';
import { text } from '../text';
import { normalizeStaffId } from '../domain/identifiers';

/** Login, second factor, password, lock and the session's own small channels (clock, clipboard ledger). */
export const sessionInfo = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  rights: z.array(rightSchema),
  demo: z.boolean(),
  locked: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/** Where a login (or unlock) stands: done, or the next factor/step the renderer must complete. */
const loginResult = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('done'), session: sessionInfo }),
  z.object({ stage: z.literal('second_factor'), options: webauthnJson }),
  z.object({ stage: z.literal('enroll_factor'), options: webauthnJson }),
  z.object({ stage: z.literal('change_password'), reason: z.enum(['expired', 'initial']) }),
]);
export type LoginResult = z.infer<typeof loginResult>;


export const sessionChannels = {
  'auth.status': {
    access: PUBLIC,
    request: nothing,
    response: z.object({
      provisioned: z.boolean(),
      demo: z.boolean(),
      terminalId: z.string(),
      municipalityName: z.string(),
      session: sessionInfo.nullable(),
    }),
  },
  'auth.login': {
    access: PUBLIC,
    request: z
      .object({
        staffId: text({ label: '職員ID', min: 1, max: 32, tooLongMessage: '職員IDが長すぎます' }).overwrite(normalizeStaffId),
        password: passwordText('パスワード'),
      })
      .strict(),
    response: loginResult,
  },
  'auth.secondFactor': {
    access: PUBLIC,
    request: z.object({ response: webauthnJson }).strict(),
    response: loginResult,
  },
  'auth.enrollFactor': {
    access: PUBLIC,
    request: z.object({ response: webauthnJson }).strict(),
    response: loginResult,
  },
  'auth.changePassword': {
    access: PUBLIC,
    request: z.object({ current: passwordText('現在のパスワード'), next: passwordText('新しいパスワード') }).strict(),
    response: loginResult,
  },
  'auth.logout': { access: SESSION, request: nothing, response: z.object({ loggedOut: z.literal(true) }) },
  /** The staff lock their own screen (header button, Ctrl+Alt+L); unlocking needs both factors again. */
  'auth.lock': { access: SESSION, request: nothing, response: z.object({ locked: z.literal(true) }) },
  'auth.unlock': {
    access: SESSION,
    request: z.object({ password: passwordText('パスワード') }).strict(),
    response: loginResult,
  },
  /**
   * The core's clock — the one source of "now". The renderer shows this (watermark, 和暦 today), never its own
   * wall clock: in a test the core runs on a fixed clock, on a terminal on the system clock.
   */
  'clock.now': {
    access: PUBLIC,
    request: nothing,
    response: z.object({ now: z.string(), today: isoDate }),
  },
  /** The renderer reports the SHA-256 of text it put on the clipboard, so lock and quit can clear it. */
  'clipboard.recordCopy': {
    access: UNLOCKED,
    request: z.object({ sha256: sha256Hex }).strict(),
    response: z.object({ recorded: z.literal(true) }),
  },
} as const;
