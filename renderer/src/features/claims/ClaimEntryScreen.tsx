import { useCallback } from 'react';
import type { AccessReason } from '../../../../shared/domain/resident';
import { CLAIM_KIND_LABELS, type ClaimKind, type ClaimRules } from '../../../../shared/domain/claims';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { BackNav } from '../../ui/BackNav';
import { AccessReasonGate } from '../../ui/AccessReasonGate';
import { SelectField } from '../../ui/SelectField';
import { EntryForm } from './EntryForm';

/**
 * 請求受付: the kinds this member of staff may enter (claims.context), the resident and their guardians
 * (residents.get), and the entry form of the chosen kind. With claimId, the stored claim is corrected.
 * The chosen kind is part of the screen, so after a lock the same form (and its draft) comes back.
 */
export function ClaimEntryScreen(props: { residentId: string; kind: ClaimKind | null; claimId: string | null }) {
  const go = useApp((s) => s.go);
  const { residentId, claimId } = props;
  const back = useCallback(() => go(claimId ? { name: 'claim', claimId, back: { name: 'resident', residentId } } : { name: 'resident', residentId }), [go, claimId, residentId]);
  return (
    <AccessReasonGate residentId={residentId} backLabel={`${claimId ? '請求の詳細' : '住民の詳細'}に戻る`} onBack={back}>
      {(reason) => <ClaimEntry {...props} reason={reason} />}
    </AccessReasonGate>
  );
}

function ClaimEntry({ residentId, kind, claimId, reason }: { residentId: string; kind: ClaimKind | null; claimId: string | null; reason: AccessReason }) {
  const { go, setNotice } = useApp();
  const { data: ctx, error: ctxError } = useLoad(() => call('claims.context', {}), []);
  const { data: resident, error: resError } = useLoad(() => call('residents.get', { residentId, reason }), [residentId, reason]);
  const { data: correction, error: claimError } = useLoad(() => (claimId ? call('claims.get', { claimId }) : Promise.resolve(null)), [claimId]);
  const residentScreen: Screen = { name: 'resident', residentId };
  const back: Screen = claimId ? { name: 'claim', claimId, back: residentScreen } : residentScreen;
  useEscape(() => go(back));

  // Only the kinds the person's data allows are offered (issue 14 §5); the others are listed with the reason.
  const offered = ctx && resident ? ctx.kinds.filter((k) => resident.offers.claims[k].available) : [];
  const refused = ctx && resident ? ctx.kinds.flatMap((k) => { const o = resident.offers.claims[k]; return o.available ? [] : [{ kind: k, reason: o.reason }]; }) : [];
  const asked = correction?.kind ?? kind;
  const chosen: ClaimKind | null = asked && (correction || offered.includes(asked)) ? asked : !asked && offered.length === 1 ? (offered[0] ?? null) : null;
  const rules = ctx ? ({ settings: ctx.settings, tables: ctx.tables } as unknown as ClaimRules) : null;
  const ready = ctx && resident && rules && (!claimId || correction);

  return (
    <main className="screen screen--wide">
      <BackNav label={`${claimId ? '請求の詳細' : '住民の詳細'}に戻る`} onBack={() => go(back)} />
      <h1>
        {claimId ? '請求の訂正' : '請求受付'}
        {resident && (
          <span className="kana">
            {resident.nameKanji}（宛名番号 {resident.atenaNo}）
          </span>
        )}
      </h1>
      <ErrorBanner message={ctxError ?? resError ?? claimError} />
      {ctx && ctx.kinds.length === 0 && <p>受け付けられる請求の種類がありません（権限を確認してください）。</p>}
      {ready && !claimId && ctx.kinds.length > 0 && offered.length === 0 && <p>この方について受け付けられる請求の種類がありません。</p>}
      {ready && !claimId && offered.length > 0 && (
        <div className="claim-kind">
          <SelectField
            label="請求の種類"
            value={chosen ?? ''}
            choices={offered.map((k) => ({ value: k, label: CLAIM_KIND_LABELS[k] }))}
            onChange={(k) => go({ name: 'claimEntry', residentId, kind: k || null, claimId: null })}
            autoFocus={!chosen}
          />
        </div>
      )}
      {ready && !claimId && refused.length > 0 && (
        <>
          <h2 className="unavailable__title">この方には受け付けられない請求</h2>
          <ul className="unavailable" data-testid="unavailable-claims">
            {refused.map((r) => (
              <li key={r.kind}>
                <span className="unavailable__name">{CLAIM_KIND_LABELS[r.kind]}</span>：{r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {ready && correction && (
        <p>
          {CLAIM_KIND_LABELS[correction.kind]} 受付番号 {correction.claimNo}（第{correction.revision}版）を訂正します。訂正すると二重チェックからやり直しになります。
        </p>
      )}
      {ready && chosen && (
        <EntryForm
          key={`${chosen}:${claimId ?? ''}`}
          kind={chosen}
          resident={resident}
          rules={rules}
          today={ctx.today}
          correction={correction ?? null}
          onDone={(c, what) => {
            go({ name: 'claim', claimId: c.id, back: residentScreen });
            setNotice(what === 'received' ? `受付番号 ${c.claimNo} で受け付けました。別の職員による二重チェックを待っています。` : `受付番号 ${c.claimNo} を訂正しました（第${c.revision}版）。二重チェックからやり直します。`);
          }}
        />
      )}
    </main>
  );
}
