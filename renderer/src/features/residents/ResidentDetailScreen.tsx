import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ACCESS_REASONS, SEX_LABELS, type AccessReason } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useCoreClock } from '../../lib/useCoreClock';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { CertificateSection } from '../certificates';
import { ResidentClaims, VaccinationSection } from '../claims';
import { SeikatsuSection } from '../seikatsu';
import { can } from '../../lib/can';
import { BackNav } from '../../ui/BackNav';
import { AccessReasonGate } from '../../ui/AccessReasonGate';
import { KodomoShikaku, KokuhoShikaku } from './Shikaku';

/** The resident's screen: first the 処理事由 (no preset), then the record read with it. */
export function ResidentDetailScreen({ residentId }: { residentId: string }) {
  const go = useApp((s) => s.go);
  const back = useCallback(() => go({ name: 'search' }), [go]);
  return (
    <AccessReasonGate residentId={residentId} backLabel="検索結果に戻る" onBack={back}>
      {(reason) => <ResidentDetail residentId={residentId} reason={reason} />}
    </AccessReasonGate>
  );
}

function ResidentDetail({ residentId, reason }: { residentId: string; reason: AccessReason }) {
  const { go, session } = useApp();
  const { data: r, error, reload } = useLoad(() => call('residents.get', { residentId, reason }), [residentId, reason]);
  useEscape(() => go({ name: 'search' }));

  return (
    <main className="screen">
      <BackNav label="検索結果に戻る" onBack={() => go({ name: 'search' })} />
      <ErrorBanner message={error} />
      {r && (
        <>
          <h1>
            {r.nameKanji} <span className="kana">{r.nameKana}</span>
          </h1>
          {(r.flags.dvSupport || r.flags.nonDisclosure) && (
            <div className="banner banner--warn" role="note">
              {r.flags.dvSupport ? 'DV等支援措置の対象者です。' : ''}
              {r.flags.nonDisclosure ? '不開示の申出があります。' : ''}
              住所等を第三者に伝えたり、登録住所へ郵送したりしないでください。
            </div>
          )}
          <dl className="detail">
            <dt>宛名番号</dt>
            <dd>{r.atenaNo}</dd>
            {r.aliasName && (
              <>
                <dt>通称名</dt>
                <dd>{r.aliasName}</dd>
              </>
            )}
            <dt>生年月日</dt>
            <dd>
              {formatWareki(r.birthDate)}（{r.birthDate}）
            </dd>
            <dt>性別</dt>
            <dd>{SEX_LABELS[r.sex]}</dd>
            <dt>住所</dt>
            <dd>
              〒{r.postalCode} {r.address} {r.katagaki}
            </dd>
            <dt>世帯番号</dt>
            <dd>{r.householdNo}</dd>
            <dt>健康保険</dt>
            <dd>{r.insurance ? `保険者番号 ${r.insurance.insurerNo} 記号 ${r.insurance.symbol} 番号 ${r.insurance.number}${r.insurance.branch ? ` 枝番 ${r.insurance.branch}` : ''}` : '登録なし'}</dd>
            <KokuhoShikaku r={r} />
            <dt>個人番号</dt>
            <dd>{r.hasMyNumber ? can(session, 'residents.revealMyNumber') ? <RevealMyNumber residentId={r.id} /> : '登録あり（表示権限がありません）' : '登録なし'}</dd>
            <dt>こども医療</dt>
            <dd>{r.kodomoEligibility.eligible ? `対象（${formatWareki(r.kodomoEligibility.endsOn ?? '')}まで）` : `対象外 — ${r.kodomoEligibility.reason ?? ''}`}</dd>
            <KodomoShikaku r={r} onChanged={reload} />
          </dl>
          {r.guardians.length > 0 && (
            <section>
              <h2>保護者</h2>
              <ul>
                {r.guardians.map((g) => (
                  <li key={g.id}>
                    {g.nameKanji}（{g.relationship}） 宛名番号 {g.atenaNo}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {r.children.length > 0 && (
            <section>
              <h2>養育する子</h2>
              <ul>
                {r.children.map((c) => (
                  <li key={c.id}>
                    <button type="button" className="link" onClick={() => go({ name: 'resident', residentId: c.id })}>
                      {c.nameKanji}（{formatWareki(c.birthDate)}生）
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <CertificateSection residentId={r.id} offers={r.offers.certificates} />
          {can(session, 'claims.byResident') && <ResidentClaims residentId={r.id} />}
          {can(session, 'vaccinations.list') && <VaccinationSection residentId={r.id} />}
          {can(session, 'fujo.byResident') && <SeikatsuSection residentId={r.id} />}
        </>
      )}
    </main>
  );
}

/**
 * The 個人番号 behind its own 処理事由 (no preset). Once shown it is masked again when the core's clock passes
 * the core's hideAt (the profile's time, 30 s by default), with 隠す, and when the screen changes (it is not kept).
 */
function RevealMyNumber({ residentId }: { residentId: string }) {
  const [why, setWhy] = useState<AccessReason | ''>('');
  const [shown, setShown] = useState<{ myNumber: string; hideAt: string } | null>(null);
  const act = useAction();
  const message = act.message;
  async function reveal(e: FormEvent) {
    e.preventDefault();
    if (!why) return act.fail('処理事由を選択してください');
    const r = await act.run(() => call('residents.revealMyNumber', { residentId, reason: why }));
    if (r) {
      setShown({ myNumber: r.myNumber, hideAt: r.hideAt });
      setWhy('');
    }
  }
  const hide = useCallback(() => setShown(null), []);
  if (shown) return <ShownMyNumber myNumber={shown.myNumber} hideAt={shown.hideAt} onHide={hide} />;
  return (
    <form className="reveal" onSubmit={reveal} noValidate aria-label="個人番号の表示">
      ************{' '}
      <select aria-label="個人番号を表示する処理事由" value={why} onChange={(e) => setWhy(e.target.value as AccessReason)}>
        <option value="">処理事由を選択</option>
        {ACCESS_REASONS.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>{' '}
      <button type="submit">個人番号を表示</button>
      {message && <span className="field__error" role="alert"> {message}</span>}
    </form>
  );
}

function ShownMyNumber({ myNumber, hideAt, onHide }: { myNumber: string; hideAt: string; onHide(): void }) {
  // The countdown runs on the core's clock (asked every second while the number is shown), never the browser's.
  const time = useCoreClock(1000);
  const left = time ? Math.ceil((Date.parse(hideAt) - Date.parse(time.now)) / 1000) : null;
  const expired = left !== null && left <= 0;
  useEffect(() => {
    if (expired) onHide();
  }, [expired, onHide]);
  if (expired) return null;
  // Not selectable: the 個人番号 is read, not copied.
  return (
    <span className="reveal">
      <span className="mynumber no-copy" onCopy={(e) => e.preventDefault()} onCut={(e) => e.preventDefault()}>
        {myNumber.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3')}
      </span>{' '}
      <button type="button" onClick={onHide}>
        隠す
      </button>
      {left !== null && <span className="muted" data-testid="mynumber-countdown"> あと{left}秒で隠します</span>}
    </span>
  );
}
