import { useCallback, useEffect, useRef, useState } from 'react';
import { jstTime } from '../../../../shared/domain/wareki';
import { call, errorMessage } from '../../lib/api';

export const DRAFT_DELAY_MS = 1000;

/**
 * The entry form's draft in the core (claims.draft.*): loaded once when the form opens (restore is called
 * with what was saved), then saved about a second after the last change, so a lock, a logout or a restart
 * loses nothing. Nothing is saved until the load has answered, so an empty form never overwrites a draft.
 * `dirty` false pauses the autosave (the caller passes false on the confirmation step).
 */
export function useClaimDraft<T>(key: string, state: T, dirty: boolean, restore: (data: T) => void) {
  const [loaded, setLoaded] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<T | null>(null);
  const restoreRef = useRef(restore);
  useEffect(() => {
    restoreRef.current = restore;
  });

  useEffect(() => {
    let live = true;
    call('claims.draft.load', { key }).then(
      (r) => {
        if (!live) return;
        if (r.data && r.savedAt) {
          restoreRef.current(r.data.form as T);
          setStatus(`下書きを復元しました（${jstTime(r.savedAt, { seconds: true })} 保存）`);
        }
        setLoaded(true);
      },
      (e: unknown) => {
        if (!live) return;
        setFailure(errorMessage(e));
        setLoaded(true);
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  const save = useCallback(
    (data: T) =>
      call('claims.draft.save', { key, data: { form: data as unknown } }).then(
        (r) => {
          setFailure(null);
          setSaved(data);
          setStatus(`下書きを保存しました（${jstTime(r.savedAt, { seconds: true })}）`);
        },
        (e: unknown) => setFailure(`下書きを保存できませんでした: ${errorMessage(e)}`),
      ),
    [key],
  );

  useEffect(() => {
    if (!loaded || !dirty) return;
    const t = window.setTimeout(() => void save(state), DRAFT_DELAY_MS);
    return () => window.clearTimeout(t);
  }, [state, dirty, loaded, save]);

  const discard = () => call('claims.draft.discard', { key }).catch(() => undefined);
  const pending = loaded && dirty && saved !== state;
  /** Saves at once (before the confirmation step, where autosave pauses so it cannot race the receive). */
  const saveNow = () => (pending ? save(state) : Promise.resolve());
  return { loaded, status: pending ? '下書きを保存します…' : status, failure, discard, saveNow };
}
