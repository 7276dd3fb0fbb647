import { useState, type FormEvent } from 'react';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { SubmitButton } from '../../ui/SubmitButton';
import { DateField } from '../../ui/DateInput';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import { normalizeAtenaNo } from '../../../../shared/domain/identifiers';
import { ResultsTable } from './ResultsTable';
import { useSearch } from './searchStore';
import { useCan } from '../../lib/can';
import { ACCESS_REASONS, type AccessReason } from '../../../../shared/domain/resident';

export function SearchScreen() {
  const { go } = useApp();
  const s = useSearch();
  const act = useAction();
  const errors = act.fieldErrors;
  const [focusTick, setFocusTick] = useState(0);
  const canSearchByNumber = useCan('residents.searchByMyNumber');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await act.run(() =>
      call('residents.search', {
        ...(s.kana.trim() ? { kana: s.kana } : {}),
        ...(s.birthDate.trim() ? { birthDate: isoDateOrText(s.birthDate) } : {}),
        ...(s.atenaNo.trim() ? { atenaNo: normalizeAtenaNo(s.atenaNo) } : {}),
      }),
    );
    if (!r) return;
    s.setResults(r.results, r.truncated);
    if (r.results.length > 0) setFocusTick((n) => n + 1);
  }

  return (
    <main className="screen">
      <h1>住民検索</h1>
      <ErrorBanner message={act.message} />
      <form onSubmit={submit} className="search-form" noValidate aria-label="住民検索">
        <Field label="カナ氏名（前方一致）" error={errors.kana}>
          {(p) => <input {...p} name="kana" value={s.kana} onChange={(e) => s.set({ kana: e.target.value })} autoFocus placeholder="例: ヤマダ" />}
        </Field>
        <DateField label="生年月日" name="birthDate" error={errors.birthDate} value={s.birthDate} onChange={(birthDate) => s.set({ birthDate })} placeholder="例: H28.5.10" />
        <Field label="宛名番号" error={errors.atenaNo}>
          {(p) => <input {...p} name="atenaNo" inputMode="numeric" value={s.atenaNo} onChange={(e) => s.set({ atenaNo: e.target.value })} />}
        </Field>
        <SubmitButton busy={act.busy} busyLabel="検索中…">
          検索
        </SubmitButton>
      </form>
      {canSearchByNumber && <MyNumberSearch />}
      {s.results && (
        <section aria-live="polite">
          <p className="result-count">
            {s.results.length === 0 ? '該当する住民はいません。' : `${s.results.length}件${s.truncated ? '（上限に達しました。条件を絞り込んでください）' : ''}`}
            {s.results.length > 0 && <span className="muted"> — ↑↓で選択、Enterで開く（開くときに処理事由を選びます）</span>}
          </p>
          {s.results.length > 0 && <ResultsTable rows={s.results} focusFirst={focusTick} onOpen={(r) => go({ name: 'resident', residentId: r.id })} />}
        </section>
      )}
    </main>
  );
}

/**
 * Search by 個人番号, for holders of the right: the number is the central server's (the terminal holds none), so this
 * asks the server, with its own 処理事由 (no preset). The number typed is cleared once asked; a person found opens
 * (their record asks for the 処理事由 of the view as any other).
 */
function MyNumberSearch() {
  const go = useApp((s) => s.go);
  const [myNumber, setMyNumber] = useState('');
  const [why, setWhy] = useState<AccessReason | ''>('');
  const [none, setNone] = useState(false);
  const act = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setNone(false);
    if (!why) return act.fail('処理事由を選択してください');
    const r = await act.run(() => call('residents.searchByMyNumber', { myNumber, reason: why }));
    if (!r) return;
    setMyNumber('');
    setWhy('');
    if (r.residentId) go({ name: 'resident', residentId: r.residentId });
    else setNone(true);
  }
  return (
    <form onSubmit={submit} className="search-form" noValidate aria-label="個人番号で検索">
      <Field label="個人番号（中央サーバに照会）" error={act.fieldErrors.myNumber}>
        {(p) => <input {...p} name="myNumber" inputMode="numeric" autoComplete="off" value={myNumber} onChange={(e) => setMyNumber(e.target.value)} />}
      </Field>
      <select aria-label="個人番号で検索する処理事由" value={why} onChange={(e) => setWhy(e.target.value as AccessReason)}>
        <option value="">処理事由を選択</option>
        {ACCESS_REASONS.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <SubmitButton busy={act.busy} busyLabel="照会中…">
        個人番号で照会
      </SubmitButton>
      {act.message && <span className="field__error" role="alert"> {act.message}</span>}
      {none && <p role="status">この団体の住民に、この個人番号の方はいません。</p>}
    </form>
  );
}
