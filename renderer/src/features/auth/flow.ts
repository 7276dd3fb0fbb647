import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { LoginResult } from '../../../../shared/ipc/contract';
import { useState } from 'react';
import { ApiError, call } from '../../lib/api';
import { useAction } from '../../lib/useAction';

/**
 * Drive a login (or unlock) through its factors: the authenticator's assertion or, on the first
 * administrator's first login, its registration. Stops at 'done' or at a required password change.
 */
export async function completeFactors(first: LoginResult, onStatus: (s: string) => void): Promise<LoginResult> {
  let r = first;
  for (let i = 0; i < 3; i++) {
    if (r.stage === 'second_factor') {
      onStatus('認証器（生体認証・セキュリティキー）で本人確認をしてください…');
      const response = await browserStep(() => startAuthentication({ optionsJSON: r.stage === 'second_factor' ? (r.options as unknown as PublicKeyCredentialRequestOptionsJSON) : (undefined as never) }));
      r = await call('auth.secondFactor', { response: response as unknown as Record<string, unknown> });
    } else if (r.stage === 'enroll_factor') {
      onStatus('初回ログインです。本人の認証器（生体認証・セキュリティキー）を登録します。認証器に触れてください…');
      const response = await browserStep(() => startRegistration({ optionsJSON: r.stage === 'enroll_factor' ? (r.options as unknown as PublicKeyCredentialCreationOptionsJSON) : (undefined as never) }));
      r = await call('auth.enrollFactor', { response: response as unknown as Record<string, unknown> });
    } else {
      return r;
    }
  }
  return r;
}

async function browserStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const name = (e as { name?: string }).name;
    throw new ApiError(
      'UNAUTHENTICATED',
      name === 'NotAllowedError' ? '認証器での確認が取り消されたか、時間切れになりました。最初からやり直してください。' : '認証器を利用できませんでした。認証器が接続されているか確認して、最初からやり直してください。',
    );
  }
}

/**
 * A login or an unlock: the action (busy, message, field errors) and the step shown while the authenticator is
 * asked. `signIn` runs `start` and the factors it asks for; on failure `onFailure` runs (the password is typed
 * again) and the message is shown.
 */
export function useSignIn() {
  const act = useAction();
  const [progress, setProgress] = useState<string | null>(null);

  async function signIn(start: () => Promise<LoginResult>, onFailure: () => void): Promise<LoginResult | undefined> {
    try {
      return await act.run(async () => {
        try {
          return await completeFactors(await start(), setProgress);
        } catch (e) {
          onFailure();
          throw e;
        }
      });
    } finally {
      setProgress(null);
    }
  }

  return { ...act, progress, signIn };
}
