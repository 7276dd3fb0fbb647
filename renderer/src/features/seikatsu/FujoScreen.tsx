import { Fragment, useState } from 'react';
import type { FlowAction } from '../../../../shared/domain/seikatsu';
import type { FujoDetail } from '../../../../shared/ipc/seikatsu-contract';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useCan } from '../../lib/can';
import { dateJa } from '../../lib/format';
import { useApp, type Screen } from '../../lib/store';
import { useEscape, useLoad } from '../../lib/useLoad';
import { BackNav } from '../../ui/BackNav';
import { ErrorBanner } from '../../ui/Field';
import { Table } from '../../ui/Table';
import { StepPanel } from './StepPanel';
import { STEP_FIELDS, type FlowFactsView } from './steps';
import { TicketForm } from './TicketForm';

/**
 * One 扶助 flow (fujo.get): its facts and history, and a form for each step this member of staff may take now
 * (`available`: their rights and the two-person rule applied by the core). After a step the result is the
 * screen's notice (focused, as on the claim screens); a refusal is shown in Japanese where the step was asked.
 * From a 開始 決定 the 医療券・調剤券・介護券 are issued here (the 扶助開始日/廃止日 are the flow's), and after the
 * 要否意見書 発行 its blank form is printed.
 */
export function FujoScreen({ flowId, back }: { flowId: string; back: Screen }) {
  const { go, setNotice } = useApp();
  const { data, error } = useLoad(() => call('fujo.get', { flowId }), [flowId]);
  const [updated, setUpdated] = useState<FujoDetail | null>(null);
  const mayIssue = useCan('tickets.standing');
  const mayPrintOpinion = useCan('seikatsu.opinionForm');
  useEscape(() => go(back));
  const f = updated ?? data;
  const here: Screen = { name: 'fujo', flowId, back };

  function done(label: string, next: FujoDetail) {
    setUpdated(next);
    setNotice(`受付番号 ${next.flowNo}: ${label}を記録しました（状態: ${next.stateLabel}）。`);
  }

  const facts = (f?.facts ?? {}) as FlowFactsView;
  const ticketsOpen = f !== null && facts.decision === '開始' && Boolean(facts.aidStartOn) && (f.kind !== 'kaigo' || Boolean(facts.planReceivedOn));
  return (
    <main className="screen screen--wide">
      <BackNav label="戻る" onBack={() => go(back)} />
      <ErrorBanner message={error} />
      {f && (
        <>
          <h1>
            {f.kindLabel} <span className="kana">受付番号 {f.flowNo}</span>
          </h1>
          <dl className="detail">
            <dt>状態</dt>
            <dd data-testid="fujo-state">{f.stateLabel}</dd>
            <dt>対象者</dt>
            <dd>
              {f.residentName}（宛名番号 {f.atenaNo}）
            </dd>
            <dt>ケース番号</dt>
            <dd>{f.caseNo ?? '—（申請日に保護受給の記録がありません）'}</dd>
            <dt>地区担当員</dt>
            <dd>{f.caseworker ?? '—'}</dd>
            <dt>申請日</dt>
            <dd>{dateJa(f.appliedOn)}</dd>
            <dt>入力・確認</dt>
            <dd>
              入力 {f.enteredBy.join('・') || '—'} ／ 確認 {f.checkedBy ?? '—'}
            </dd>
            <FactRows facts={facts} />
          </dl>
          {f.available.length === 0 && <p className="muted">この扶助について、あなたが今行える手続きはありません。</p>}
          {f.available.map((a) => (
            <StepPanel key={`${f.version}:${a.action}`} flow={f} action={a.action} label={a.label} autoFocus={false} onDone={(next) => done(a.label, next)} />
          ))}
          {mayPrintOpinion && f.kind === 'iryo_ikensho' && facts.opinionInstitution && (
            <section aria-label="要否意見書">
              <h2>要否意見書</h2>
              <p>
                {facts.opinionInstitution.name}（{facts.opinionInstitution.code}）あての医療要否意見書（白紙）を印刷します。
              </p>
              <button type="button" onClick={() => go({ name: 'opinionForm', residentId: f.residentId, back: here })}>
                要否意見書を印刷する
              </button>
            </section>
          )}
          {mayIssue && ticketsOpen && <TicketForm flow={f} back={here} />}
          <History flow={f} />
        </>
      )}
    </main>
  );
}

function FactRows({ facts }: { facts: FlowFactsView }) {
  const rows: [string, string][] = [];
  if (facts.otherLawApplies !== undefined) rows.push(['他法の回答', facts.otherLawApplies ? '他法で医療を受けられる' : '他法では受けられない']);
  if (facts.opinionInstitution) rows.push(['要否意見書の指定医療機関', `${facts.opinionInstitution.name}（${facts.opinionInstitution.code}）`]);
  if (facts.judgement) rows.push(['嘱託医の判定', facts.judgement]);
  if (facts.insured !== undefined) rows.push(['介護保険', `${facts.insured ? '被保険者' : '被保険者でない'}${facts.careLevel ? `・${facts.careLevel}` : ''}`]);
  if (facts.decision) rows.push(['決定', facts.decision]);
  if (facts.aidStartOn) rows.push(['扶助開始日', dateJa(facts.aidStartOn)]);
  if (facts.planReceivedOn) rows.push(['居宅介護支援計画の受理日', dateJa(facts.planReceivedOn)]);
  if (facts.abolishedOn) rows.push(['廃止日', dateJa(facts.abolishedOn)]);
  return (
    <>
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </>
  );
}

/** What a step recorded, in words (the inputs' labels; the person's record ID is not shown). */
function inputText(action: string, input: Record<string, unknown>): string {
  if (action === 'receive') return [`申請日 ${dateJa(String(input.appliedOn ?? ''))}`, input.note ? `備考 ${String(input.note)}` : ''].filter(Boolean).join('、');
  const fields = STEP_FIELDS[action as FlowAction] ?? [];
  return fields
    .flatMap((fd) => {
      const v = input[fd.key];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return [];
      const shown = Array.isArray(v) ? v.join('・') : typeof v === 'boolean' ? (fd.kind === 'select' ? (fd.choices.find((c) => c.value === String(v))?.label ?? String(v)) : String(v)) : fd.kind === 'date' ? dateJa(String(v)) : String(v);
      return [`${fd.label} ${shown}`];
    })
    .join('、');
}

function History({ flow }: { flow: FujoDetail }) {
  return (
    <section aria-label="経過">
      <h2>経過</h2>
      <Table className="history" headers={['日時', '手続き', '職員', '内容']} scoped aria-label="扶助の経過">
        {flow.history.map((h, i) => (
          <tr key={i}>
            <td>{jstDateTime(h.at)}</td>
            <td>{h.label}</td>
            <td>{h.by}</td>
            <td>{inputText(h.action, h.input)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
