import { z } from 'zod';
import { text, wireText } from '../../../shared/text';

/** Password and lockout rules (the assessments: not guessable, expire, no reuse, lockout). */
export const passwordPolicySchema = z
  .object({
    minLength: z.number().int().min(8).max(64).default(12),
    expiryDays: z.number().int().min(1).max(180).default(90),
    historyCount: z.number().int().min(1).max(24).default(5),
    maxFailures: z.number().int().min(3).max(10).default(5),
    lockoutMinutes: z.number().int().min(1).max(1440).default(15),
  })
  .strict();
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = passwordPolicySchema.parse({});

/**
 * IT policy: set per machine by IT, read from a place users cannot write, validated at start. A missing or
 * invalid policy stops the app with a message for IT. Users cannot change any of it from the UI.
 */
/** A file or folder path: checked as text (no control character …), never rewritten. */
const path = wireText(1024).min(1);

export const policySchema = z
  .object({
    terminalId: z.string().regex(/^[A-Z0-9-]{2,32}$/, '端末IDは英大文字・数字・ハイフン2〜32文字です'),
    profileId: z.string().regex(/^[a-z0-9-]+$/, 'プロファイルIDは英小文字・数字・ハイフンです'),
    centralServer: z
      .object({
        url: z
          .string()
          .url('中央サーバのURLが正しくありません')
          .refine((u) => new URL(u).protocol === 'https:', '中央サーバには https で接続します'),
        /** The municipality's private CA (PEM): the only trust anchor for the central server. */
        caCertFile: path,
        /** This terminal's client certificate and key (PEM) issued by the enrollment CLI. */
        clientCertFile: path,
        clientKeyFile: path,
      })
      .strict(),
    /** Minutes without input before the screen locks (the assessments: e.g. 5). */
    idleLockMinutes: z.number().int().min(1).max(30).default(5),
    /** Minutes without input before the session ends. */
    idleLogoutMinutes: z.number().int().min(5).max(480).default(30),
    /** Printer names allowed for printing; print-to-file/PDF printers are refused regardless. */
    allowedPrinters: z.array(text({ label: 'プリンタ名', min: 1, max: 256 })).default([]),
    /** Directory where approved audit exports may be written (never a removable drive). */
    exportDestination: path.nullable().default(null),
    password: passwordPolicySchema.default(passwordPolicySchema.parse({})),
    /** Hours without a successful sync after which logins stop (revocations must have come down). */
    offlineGraceHours: z.number().int().min(1).max(720).default(72),
  })
  .strict()
  .refine((p) => p.idleLogoutMinutes > p.idleLockMinutes, { message: '自動ログアウトまでの時間は画面ロックより長くしてください', path: ['idleLogoutMinutes'] });

export type Policy = z.infer<typeof policySchema>;

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export function parsePolicy(raw: unknown, source: string): Policy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(全体)'}: ${i.message}`);
    throw new PolicyError(`ポリシー（${source}）が正しくありません。IT担当者が設定を修正してください:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
