import { useState, type FormEvent, type ReactNode } from 'react';
import type { ResidentDetail } from '../../../../shared/ipc/contract';
import { KODOMO_LOSE_REASONS } from '../../../../shared/domain/kodomo-shikaku';
import { kokuhoShikakuText } from '../../../../shared/domain/availability';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useCan } from '../../lib/can';
import { useApp } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DateField } from '../../ui/DateInput';
import { ErrorBanner } from '../../ui/Field';
import { SelectField } from '../../ui/SelectField';
import { SubmitButton } from '../../ui/SubmitButton';
import { deliveryText, insuranceText } from '../claims';

/**
 * One 事務's 資格 on the resident screen (the 国保 資格 from its interface, the こども医療 受給資格 認定 at the counter):
 * whether there is one today (or why not), then each period; `children` under it (what may be done about it).
 */
function ShikakuItem({ label, testId, status, listLabel, items, children }: { label: string; testId: string; status: string; listLabel: string; items: { key: string; body: ReactNode }[]; children?: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span data-testid={`${testId}-membership`}>{status}</span>
        {items.length > 0 && (
          <ul data-testid={`${testId}-shikaku`} aria-label={listLabel}>
            {items.map((i) => (
              <li key={i.key}>{i.body}</li>
            ))}
          </ul>
        )}
        {children}
      </dd>
    </>
  );
}

/** 国保の資格 (read-only: it comes from the 国保 system). */
export function KokuhoShikaku({ r }: { r: ResidentDetail }) {
  return (
    <ShikakuItem
      label="国保の資格"
      testId="kokuho"
      status={r.offers.kokuho.available ? 'あり（国民健康保険）' : (r.offers.kokuho.reason ?? '')}
      listLabel="国保の資格（国保システムから）"
      items={r.kokuhoShikaku.map((k) => ({ key: k.acquiredOn, body: kokuhoShikakuText(k) }))}
    />
  );
}

/**
 * こども医療の受給資格: each 資格 (取得・どこまで, 保護者, 主保険, 交付方法, 喪失), or why there is none; 「受給資格の交付申請を
 * 受け付ける」 when a 交付申請 may be made and this member of staff enters こども claims; 「資格喪失を登録」 on the
 * current 資格 for those who decide them. After a 喪失 the screen reads the record again (`onChanged`).
 */
export function KodomoShikaku({ r, onChanged }: { r: ResidentDetail; onChanged(): void }) {
  const { go, session } = useApp();
  const mayLose = useCan('shikaku.kodomo.lose');
  const mayEnter = Boolean(session?.rights.includes('kodomo:claim.enter'));
  const offer = r.offers.claims.kodomo_shikaku;
  return (
    <ShikakuItem
      label="こども医療の受給資格"
      testId="kodomo"
      status={r.offers.kodomo.available ? 'あり' : (r.offers.kodomo.reason ?? '')}
      listLabel="こども医療の受給資格"
      items={r.kodomoShikaku.map((k) => ({
        key: k.id,
        body: (
          <>
            {k.text}
            <br />
            <span className="muted">
              保護者 {k.guardianName ?? '—'} ／ 主保険 {insuranceText(k.insurance)} ／ 交付方法 {deliveryText(k.delivery)}
              {k.lostOn && ` ／ 喪失 ${dateJa(k.lostOn)}（${(KODOMO_LOSE_REASONS as Record<string, string>)[k.loseReason ?? ''] ?? k.loseReason ?? ''}${k.loseNotifiedOn ? `、届出 ${dateJa(k.loseNotifiedOn)}` : ''}）`}
            </span>
            {mayLose && r.offers.kodomo.available && k.lostOn === null && <LoseForm shikaku={k} residentName={r.nameKanji} onDone={onChanged} />}
          </>
        ),
      }))}
    >
      {offer.available && mayEnter && (
        <p>
          <button type="button" onClick={() => go({ name: 'claimEntry', residentId: r.id, kind: 'kodomo_shikaku', claimId: null })}>
            受給資格の交付申請を受け付ける
          </button>
        </p>
      )}
    </ShikakuItem>
  );
}

type Shikaku = ResidentDetail['kodomoShikaku'][number];
const LOSE_CHOICES = Object.entries(KODOMO_LOSE_REASONS).map(([value, label]) => ({ value, label }));

/** 資格喪失を登録: 喪失日, 事由, 届出日, asked once more (ConfirmDialog) before it is sent. */
function LoseForm({ shikaku, residentName, onDone }: { shikaku: Shikaku; residentName: string; onDone(): void }) {
  const [open, setOpen] = useState(false);
  const [lostOn, setLostOn] = useState('');
  const [reason, setReason] = useState('');
  const [notifiedOn, setNotifiedOn] = useState('');
  const [asking, setAsking] = useState(false);
  const act = useAction();
  const setNotice = useApp((s) => s.setNotice);
  const errors = act.fieldErrors;

  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          資格喪失を登録
        </button>
      </p>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const missing: Record<string, string> = {};
    if (!lostOn.trim()) missing.lostOn = '資格喪失日を入力してください';
    if (!reason) missing.loseReason = '資格喪失の事由を選択してください';
    if (!act.check(missing, '入力内容を確認してください。')) return;
    act.fail(null);
    setAsking(true);
  }

  async function send() {
    setAsking(false);
    const r = await act.run(() =>
      call('shikaku.kodomo.lose', { shikakuId: shikaku.id, version: shikaku.version, lostOn: isoDateOrText(lostOn), loseReason: reason as keyof typeof KODOMO_LOSE_REASONS, notifiedOn: notifiedOn.trim() ? isoDateOrText(notifiedOn) : null }),
    );
    if (!r) return;
    setNotice(`受給資格の喪失を登録しました（${dateJa(r.lastDay)}まで）。${r.recalled ? `こども医療証（番号 ${r.recalled}）を回収リストに載せました。` : ''}`);
    onDone();
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label="資格喪失の登録">
      <ErrorBanner message={act.bannerFor(['lostOn', 'loseReason', 'notifiedOn'])} />
      <DateField label="資格喪失日" value={lostOn} error={errors.lostOn} onChange={setLostOn} required />
      <SelectField<string> label="喪失の事由" value={reason} choices={LOSE_CHOICES} error={errors.loseReason} onChange={setReason} required />
      <DateField label="届出日" value={notifiedOn} error={errors.notifiedOn} onChange={setNotifiedOn} />
      <SubmitButton busy={act.busy} busyLabel="登録中…">
        喪失を登録する
      </SubmitButton>
      <button type="button" onClick={() => setOpen(false)}>
        やめる
      </button>
      {asking && (
        <ConfirmDialog title="受給資格の喪失を登録しますか？" confirmLabel="喪失を登録する" onConfirm={() => void send()} onCancel={() => setAsking(false)}>
          <p>
            {residentName}さんのこども医療の受給資格（{shikaku.text}）を、{dateJa(isoDateOrText(lostOn))}に喪失（{(KODOMO_LOSE_REASONS as Record<string, string>)[reason] ?? ''}）として登録します。喪失日以降の医療証は交付できなくなります。
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
