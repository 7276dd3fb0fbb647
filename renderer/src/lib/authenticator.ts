import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { ApiError, errorMessage } from './api';

/**
 * The member's own authenticator signs what the core asked for (the options' challenge is the hash of exactly
 * what is approved: an identity approval, a check or a 決裁 of a 扶助). What the authenticator throws becomes a
 * Japanese ApiError: `retry` names the button to press again, `aborted` what was stopped.
 */
export async function signWithAuthenticator(options: Record<string, unknown>, words: { retry: string; aborted: string }): Promise<Record<string, unknown>> {
  try {
    return (await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON })) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('UNAUTHENTICATED', assertionErrorMessage(e, words));
  }
}

/** Japanese message for what the authenticator (navigator.credentials.get) may throw. */
function assertionErrorMessage(e: unknown, words: { retry: string; aborted: string }): string {
  if (e instanceof ApiError) return e.message;
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError') return `認証器での確認が取り消されたか、時間切れになりました。もう一度「${words.retry}」を押してください。`;
  if (name === 'AbortError') return words.aborted;
  return errorMessage(e);
}
