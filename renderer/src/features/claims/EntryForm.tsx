import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ResidentDetail } from '../../../../shared/ipc/contract';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { CLAIM_KIND_LABELS, paysMoney, type ClaimKind, type ClaimRules } from '../../../../shared/domain/claims';
import { ApiError, call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner } from '../../ui/Field';
import { SelectField } from '../../ui/SelectField';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import { kodomoClaimCoverage } from '../../../../shared/domain/availability';
import { DateField } from '../../ui/DateInput';
import { BankSection, type BankNames } from './BankSection';
import { Breakdown } from './Breakdown';
import { ConfirmClaim } from './ConfirmClaim';
import { bankPayload, entryFromClaim, evaluate, hasValue, identityPayload, initialEntry, mapServerErrors, type EntryState } from './entryModel';
import { IdentitySection } from './IdentitySection';
import { KindFields } from './KindFields';
import { useClaimDraft } from './useClaimDraft';
import type { KindStates } from './kindState';
import { missingForCalculation } from './missing';

/** At most this many of the missing cells are listed under the breakdown. */
const MISSING_SHOWN = 8;

interface Props {
  kind: ClaimKind;
  resident: ResidentDetail;
  rules: ClaimRules;
  today: string;
  /** The claim being corrected (訂正), or null for a new claim. */
  correction: ClaimDetail | null;
  onDone(claim: ClaimDetail, what: 'received' | 'corrected'): void;
}

/**
 * The entry form of one claim kind: kind-specific fields, 本人確認, 振込先口座, the breakdown computed live by
 * the same shared function the core uses, a confirmation step, then claims.receive (or claims.correct with a
 * reason). Drafts go to the core about a second after each change and come back when the form opens.
 */
export function EntryForm({ kind, resident, rules, today, correction, onDone }: Props) {
  const persons = useMemo(
    () => [{ id: resident.id, name: resident.nameKanji }, ...resident.guardians.map((g) => ({ id: g.id, name: g.nameKanji })), ...resident.children.map((c) => ({ id: c.id, name: c.nameKanji }))],
    [resident],
  );
  const names = useMemo(() => Object.fromEntries(persons.map((p) => [p.id, p.name])), [persons]);
  const guardians = useMemo(() => resident.guardians.map((g) => ({ id: g.id, label: `${g.nameKanji}（${g.relationship}）` })), [resident]);
  // A 受給資格の交付申請 is made by the 保護者: the one chosen there is the 申請者 (no second choice).
  const shikaku = kind === 'kodomo_shikaku';
  const [entry, setEntry] = useState<EntryState>(() =>
    correction
      ? entryFromClaim(correction, resident.id)
      : initialEntry(kind, { today, applicantId: kind === 'kodomo_shokan' || shikaku ? (resident.guardians[0]?.id ?? '') : '', memberId: resident.id, guardianId: resident.guardians[0]?.id ?? '' }),
  );
  const [dirty, setDirty] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const act = useAction();
  const [bankNames, setBankNames] = useState<BankNames>({ bankName: null, branchName: null });
  const onNames = useCallback((n: BankNames) => setBankNames((o) => (o.bankName === n.bankName && o.branchName === n.branchName ? o : n)), []);
  const formRef = useRef<HTMLFormElement>(null);
  const focusError = useRef(false);

  const draftKey = correction ? `fix:${correction.id}` : `${kind}:${resident.id}`;
  // A draft is merged over the fresh form, so a draft of an older shape never leaves a field undefined.
  const restore = useCallback(
    (d: Partial<EntryState>) =>
      setEntry((e) => ({ ...e, ...d, kindState: { ...e.kindState, ...d.kindState } as EntryState['kindState'], identity: { ...e.identity, ...d.identity }, bank: { ...e.bank, ...d.bank } })),
    [],
  );
  const draft = useClaimDraft<EntryState>(draftKey, entry, dirty && !confirming, restore);
  const change = (p: Partial<EntryState>) => {
    setEntry((e) => ({ ...e, ...p }));
    setDirty(true);
  };

  const ev = useMemo(() => evaluate(kind, entry, rules, today, names), [kind, entry, rules, today, names]);
  // A こども償還 line whose 診療月 lies outside the child's 受給資格 is named before sending (the core refuses the same).
  const kodomo = useMemo(
    () => resident.kodomoShikaku.map((k) => ({ id: k.id, birthDate: resident.birthDate, acquiredOn: k.acquiredOn, acquireReason: k.acquireReason, guardianId: k.guardianId, lostOn: k.lostOn, loseReason: k.loseReason, loseNotifiedOn: k.loseNotifiedOn })),
    [resident],
  );
  const coverage = useMemo(() => kodomoClaimCoverage(kind, ev.input, kodomo), [kind, ev.input, kodomo]);
  const general = ev.general ?? (coverage.available ? null : coverage.reason);
  const money = paysMoney(kind);
  const errors = useMemo(() => {
    const live = Object.fromEntries(Object.entries(ev.errors).filter(([k]) => submitted || hasValue(entry, k)));
    if (money && entry.bank.bankCode.trim() && bankNames.bankName === null && /^\d{4}$/.test(entry.bank.bankCode.normalize('NFKC').trim())) live['bank.bankCode'] ??= '全銀コード一覧にない金融機関コードです';
    return { ...serverErrors, ...live };
  }, [ev.errors, submitted, entry, serverErrors, money, bankNames.bankName]);

  useEffect(() => {
    if (!focusError.current) return;
    focusError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });

  function toConfirm(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const problems = Object.keys(ev.errors).length + (ev.identity.ok ? 0 : 1) + (general ? 1 : 0) + (money && (!bankNames.bankName || !bankNames.branchName) ? 1 : 0);
    if (problems > 0) {
      act.fail(`入力内容を確認してください（${problems}件）。入力した内容はそのまま残っています。`);
      focusError.current = true;
      return;
    }
    act.fail(null);
    void draft.saveNow();
    setConfirming(true);
  }

  async function send(reason: string) {
    if (act.busy) return;
    const common = { applicantId: entry.applicantId || null, applicationDate: isoDateOrText(entry.applicationDate), input: ev.input, identity: identityPayload(entry.identity), bank: money ? bankPayload(entry.bank) : null };
    const done = await act.run(async () => {
      try {
        if (correction) {
          const c = await call('claims.correct', { claimId: correction.id, version: correction.version, reason, ...common });
          await draft.discard();
          onDone(c, 'corrected');
        } else {
          onDone(await call('claims.receive', { kind, residentId: resident.id, draftKey, ...common }), 'received');
        }
        return true;
      } catch (err) {
        // The core names the fields of the sent rows; shown next to the rows of the form they came from.
        setServerErrors(err instanceof ApiError ? mapServerErrors(err.fieldErrors, ev.rowMap) : {});
        throw err;
      }
    });
    if (done) return;
    setConfirming(false);
    focusError.current = true;
  }

  const c = ev.computation;
  const missing = c ? [] : missingForCalculation(entry, ev.errors);
  const breakdown = c ? <Breakdown amountYen={c.amountYen} lines={c.breakdown} deadline={c.deadline} suggestion={c.suggestion} notes={c.notes} /> : null;
  if (confirming && c) {
    return (
      <ConfirmClaim kind={kind} resident={resident} entry={entry} names={names} identityMethod={ev.identity.method} bankNames={bankNames} breakdown={breakdown} correction={correction !== null} busy={act.busy} onSend={send} onBack={() => setConfirming(false)} />
    );
  }
  return (
    <form ref={formRef} onSubmit={toConfirm} noValidate aria-label={`${CLAIM_KIND_LABELS[kind]}の入力`} className="claim-form">
      {/* Every error of the attempt, each a link to its field; the cursor still goes to the first field in error. */}
      {submitted && act.message && <ErrorSummary errors={[...Object.values(errors), ...(general ? [general] : [])]} title={act.message} focusOnShow={false} />}
      <ErrorBanner message={submitted && act.message && (Object.keys(errors).length > 0 || general) ? draft.failure : (act.message ?? draft.failure)} />
      <p className="draft-status" role="status" data-testid="draft-status">
        {draft.status}
      </p>
      <div className="form-row">
        {!shikaku && (
          <SelectField<string>
            label="申請者"
            error={errors.applicantId}
            placeholder={`本人（${resident.nameKanji}）`}
            value={entry.applicantId}
            choices={guardians.map((g) => ({ value: g.id, label: g.label }))}
            onChange={(applicantId) => change({ applicantId })}
          />
        )}
        <DateField label="申請日" error={errors.applicationDate} value={entry.applicationDate} onChange={(applicationDate) => change({ applicationDate })} required />
      </div>
      <KindFields
        kind={kind}
        state={entry.kindState}
        onChange={(kindState) => change(shikaku ? { kindState, applicantId: (kindState as KindStates['kodomo_shikaku']).guardianId } : { kindState })}
        errors={errors}
        computation={c}
        rowMap={ev.rowMap}
        persons={persons}
        guardians={guardians}
      />
      {general && <div className="banner banner--error" data-testid="claim-general">{general}</div>}
      {breakdown ?? (
        <section className="breakdown" aria-label="計算の内訳">
          <h2>計算の内訳</h2>
          {missing.length > 0 ? (
            <>
              <p className="muted">計算には次の入力が必要です。</p>
              <ul className="breakdown__missing" data-testid="breakdown-missing">
                {missing.slice(0, MISSING_SHOWN).map((m) => (
                  <li key={m}>{m}</li>
                ))}
                {missing.length > MISSING_SHOWN && <li>ほか{missing.length - MISSING_SHOWN}件</li>}
              </ul>
            </>
          ) : (
            <p className="muted">入力が揃うと計算結果を表示します。</p>
          )}
        </section>
      )}
      <IdentitySection state={entry.identity} onChange={(identity) => change({ identity })} result={ev.identity} />
      {money && <BankSection state={entry.bank} onChange={(bank) => change({ bank })} errors={errors} onNames={onNames} />}
      <div className="actions">
        <button type="submit" className="primary">
          確認へ進む
        </button>
        <span className="muted">{draft.loaded ? '' : '下書きを確認しています…'}</span>
      </div>
    </form>
  );
}
