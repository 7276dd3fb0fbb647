import { Fragment, useCallback, useState } from 'react';
import type { AccessReason } from '../../../../shared/domain/resident';
import type { CertificateView } from '../../../../shared/ipc/certificates-contract';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, StatusBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { dateJa } from '../../lib/format';
import { Table } from '../../ui/Table';
import { BackNav } from '../../ui/BackNav';
import { AccessReasonGate } from '../../ui/AccessReasonGate';
import { detailsSummary } from './DetailsFields';
import { DvReleaseForm } from './DvReleaseForm';
import { CancelForm, CorrectForm, RecallForm } from './LifecycleActions';
import { canIssue, canPrint, canReleaseDv, EVENT_LABELS, ISSUE_KIND_LABELS, RECALL_STATUS_LABELS, STATUS_LABELS } from './model';

type Action = 'correct' | 'cancel' | 'recall' | 'release';

/**
 * 交付履歴 of one person (certificates.lifecycle): every certificate of every type with its status and 回収状況,
 * and every event with who did it, when and why. Per row: プレビュー, 訂正, 取消, 回収, and for a 所属長 the
 * release of the address of a DV等支援措置 person.
 */
export function LifecycleScreen({ residentId }: { residentId: string }) {
  const go = useApp((s) => s.go);
  const back = useCallback(() => go({ name: 'resident', residentId }), [go, residentId]);
  return (
    <AccessReasonGate residentId={residentId} backLabel="住民の詳細に戻る" onBack={back}>
      {(reason) => <History residentId={residentId} reason={reason} />}
    </AccessReasonGate>
  );
}

function History({ residentId, reason }: { residentId: string; reason: AccessReason }) {
  const { go, session } = useApp();
  const { data: person } = useLoad(() => call('residents.get', { residentId, reason }), [residentId, reason]);
  const { data, error, reload } = useLoad(() => call('certificates.lifecycle', { residentId }), [residentId]);
  const [open, setOpen] = useState<{ id: string; action: Action } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEscape(() => go({ name: 'resident', residentId }));
  const rights = session?.rights;
  const restricted = person ? person.flags.dvSupport || person.flags.nonDisclosure : false;
  const here: Screen = { name: 'certHistory', residentId };
  const finish = (message: string) => {
    setOpen(null);
    setDone(message);
    reload();
  };
  const toggle = (id: string, action: Action) => {
    setDone(null);
    setOpen(open?.id === id && open.action === action ? null : { id, action });
  };

  const actionsOf = (c: CertificateView) => {
    const a: [Action | 'preview', string][] = [];
    if (canPrint(rights, c.type)) a.push(['preview', c.status === 'valid' ? '印刷プレビュー' : '内容を表示']);
    if (c.status === 'valid' && canIssue(rights, c.type)) a.push(['correct', '訂正'], ['cancel', '取消']);
    if (c.status !== 'valid' && c.recallStatus === 'pending' && canIssue(rights, c.type)) a.push(['recall', '回収']);
    if (c.status === 'valid' && restricted && canReleaseDv(rights, c.type)) a.push(['release', '住所印字の解除']);
    return a;
  };

  return (
    <main className="screen screen--wide">
      <BackNav label="住民の詳細に戻る" onBack={() => go({ name: 'resident', residentId })} />
      <h1>
        証の交付履歴{person ? `\u3000${person.nameKanji}` : ''}
        {person && <span className="kana">宛名番号 {person.atenaNo}</span>}
      </h1>
      <ErrorBanner message={error} />
      <StatusBanner message={done} />
      {data && data.certificates.length === 0 && <p className="muted">交付した証はありません。</p>}
      {data && data.certificates.length > 0 && (
        <Table className="history cert-lifecycle" aria-label="交付した証" headers={['種類', '番号', '状態', '交付区分', '交付日', '有効期間', '回収状況', '記載事項', '交付者', '操作']}>
          {data.certificates.map((c) => (
            <Fragment key={c.id}>
              <tr data-certificate={c.certificateNo} data-status={c.status}>
                <td>{c.typeName}</td>
                <td className="digits">{c.certificateNo}</td>
                <td>
                  {STATUS_LABELS[c.status]}
                  {c.endReason && <div className="muted">{c.endReason}</div>}
                </td>
                <td>
                  {ISSUE_KIND_LABELS[c.issueKind]}
                  {c.reissueReason ? `（${c.reissueReason}）` : ''}
                </td>
                <td>{dateJa(c.issueDate)}</td>
                <td>
                  {dateJa(c.validFrom)}〜{c.validTo ? dateJa(c.validTo) : ''}
                </td>
                <td data-testid="recall-status">
                  {RECALL_STATUS_LABELS[c.recallStatus]}
                  {c.recallKind && `（${c.recallKind}${c.recallDate ? `・${dateJa(c.recallDate)}` : ''}）`}
                </td>
                <td className="cert-lifecycle__details">
                  {[...detailsSummary(c.type, c.details, person?.guardians).map(([l, v]) => `${l}: ${v}`), c.nameChoice === 'alias' ? '通称名で印字' : null, c.printSex ? null : '性別記載なし'].filter(Boolean).join('／')}
                </td>
                <td>{c.issuedBy}</td>
                <td className="cert-lifecycle__actions">
                  {actionsOf(c).map(([a, label]) => (
                    <button
                      key={a}
                      type="button"
                      aria-expanded={a === 'preview' ? undefined : open?.id === c.id && open.action === a}
                      onClick={() => (a === 'preview' ? go({ name: 'certPreview', residentId, certificateId: c.id, back: here }) : toggle(c.id, a))}
                    >
                      {label}
                    </button>
                  ))}
                </td>
              </tr>
              {open?.id === c.id && (
                <tr className="inline-row">
                  <td colSpan={10}>
                    {open.action === 'correct' && <CorrectForm cert={c} onDone={finish} onCancel={() => setOpen(null)} />}
                    {open.action === 'cancel' && <CancelForm cert={c} onDone={finish} onCancel={() => setOpen(null)} />}
                    {open.action === 'recall' && <RecallForm cert={c} onDone={finish} onCancel={() => setOpen(null)} />}
                    {open.action === 'release' && <DvReleaseForm certificateId={c.id} certificateNo={c.certificateNo} onReleased={() => finish(`番号 ${c.certificateNo} について、本日に限り住所の印字を解除しました。`)} />}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </Table>
      )}
      {data && data.events.length > 0 && (
        <section aria-label="操作の記録">
          <h2>操作の記録（{data.events.length}件）</h2>
          <Table className="history events-table" headers={['日時', '番号', '操作', '理由・内容', '職員']}>
            {data.events.map((e, i) => (
              <tr key={`${e.certificateId}-${e.at}-${i}`} data-event={e.event}>
                <td>{jstDateTime(e.at)}</td>
                <td className="digits">{e.certificateNo}</td>
                <td>{EVENT_LABELS[e.event] ?? e.event}</td>
                <td>{e.reason ?? ''}</td>
                <td>{e.by}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}
    </main>
  );
}
