import { hash, verify } from '@node-rs/argon2';

/** argon2id (the library's default algorithm) with OWASP's minimum cost: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of nothing in particular, verified against when the user does not exist, so the reply takes
 * as long as for a real user and does not reveal which staff IDs exist. */
let dummy: Promise<string> | null = null;
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword('madoguchi-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
}

export const MIN_PASSWORD_LENGTH = 12;

/** The minimum checks at provisioning; the identity issue adds the full policy (dictionary, patterns, reuse). */
export function checkNewPassword(password: string, staffId: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください`;
  if (password.toLowerCase().includes(staffId.toLowerCase())) return 'パスワードに職員IDを含めることはできません';
  if (/^(.)\1*$/.test(password)) return '同じ文字の繰り返しはパスワードに使えません';
  return null;
}
