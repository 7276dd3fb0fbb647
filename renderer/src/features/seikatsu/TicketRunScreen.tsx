import { useState, type FormEvent } from 'react';
import { CERT_TYPE_DEFS } from '../../../../shared/domain/certificate-types';
import type { RequestOf, ResponseOf } from '../../../../shared/ipc/contract';
import type { MailingProgressView } from '../../../../shared/ipc/certificates-contract';
import { call } from '../../lib/api';
import { dateJa } from '../../lib/format';
import { useApp } from '../../lib/store';
import { useAction } from '../../lib/useAction';
import { useEscape } from '../../lib/useLoad';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { MonthField, readDate } from '../../ui/DateInput';
import { ErrorBanner } from '../../ui/Field';
import { SubmitButton } from '../../ui/SubmitButton';
import { Table } from '../../ui/Table';

type Line = ResponseOf<'tickets.standing'>['lines'][number];

/**
 * 給付券の月次交付: the standing lines of a month (tickets.standing: a recipient's 指定機関 and 診療別 whose 扶助 is
 * still open), chosen here (none preset), issued in one transaction (tickets.monthlyRun) and listed per 指定機関 for
 * the mailing, which goes on in 一斉発送 (validation, then each 券 recorded as sent). Tickets issued by hand that are
 * on no list yet are listed the same way (mailing.selectTickets).
 */
export function TicketRunScreen() {
  const go = useApp((s) => s.go);
  const [monthText, setMonthText] = useState('');
  const [month, setMonth] = useState<{ iso: string; wareki: string } | null>(null);
  const [lines, setLines] = useState<Line[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<{ issued: number; runs: MailingProgressView[] } | null>(null);
  const act = useAction();
  useEscape(() => go({ name: 'search' }));

  async function show(e: FormEvent) {
    e.preventDefault();
    const r = readDate('month', monthText);
    if (!r || !r.ok) return act.fail(null, { month: r ? r.message : '対象年月を入力してください' });
    const m = r.iso;
    const got = await act.run(() => call('tickets.standing', { month: m }));
    if (got) {
      setMonth({ iso: m, wareki: r.wareki });
      setLines(got.lines);
      setChosen(new Set());
      setResult(null);
    }
  }

  async function issue() {
    setAsking(false);
    if (!month) return;
    const req: RequestOf<'tickets.monthlyRun'> = { month: month.iso, keys: [...chosen] };
    const r = await act.run(() => call('tickets.monthlyRun', req));
    if (r) {
      setResult({ issued: r.issued.length, runs: r.runs });
      setLines((ls) => (ls ?? []).filter((l) => !chosen.has(l.key)));
      setChosen(new Set());
    }
  }

  async function listHandIssued() {
    if (!month) return;
    const r = await act.run(() => call('mailing.selectTickets', { month: month.iso }));
    if (r) setResult({ issued: 0, runs: r.runs });
  }

  const toggle = (key: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <main className="screen screen--wide">
      <h1>給付券の月次交付</h1>
      <ErrorBanner message={act.bannerFor(['month'])} />
      <form onSubmit={show} noValidate aria-label="継続の券の表示" className="form-row">
        <MonthField label="対象年月" required error={act.fieldErrors.month} value={monthText} onChange={(t) => setMonthText(t)} />
        <SubmitButton busy={act.busy}>継続の券を表示する</SubmitButton>
      </form>
      {month && lines && (
        <section aria-label="継続の券">
          <h2>{month.wareki}分 継続の券</h2>
          {lines.length === 0 ? (
            <p>この月に交付する継続の券はありません。</p>
          ) : (
            <>
              <p className="result-count">{lines.length}件（選んだ券 {chosen.size}件）</p>
              <div className="actions">
                <button type="button" onClick={() => setChosen(new Set(lines.map((l) => l.key)))}>
                  すべて選ぶ
                </button>
                <button type="button" onClick={() => setChosen(new Set())}>
                  選択を外す
                </button>
              </div>
              <Table className="history" headers={['選ぶ', '対象者', '宛名番号', '種類', '指定機関', '診療別', '前回の券', '有効期間']} scoped aria-label="継続の券">
                {lines.map((l) => (
                  <tr key={l.key} data-line={l.key}>
                    <td>
                      <input type="checkbox" aria-label={`${l.residentName} ${CERT_TYPE_DEFS[l.type].name} ${l.institutionName} ${l.shinryo}`} checked={chosen.has(l.key)} onChange={(e) => toggle(l.key, e.target.checked)} />
                    </td>
                    <td>{l.residentName}</td>
                    <td>{l.atenaNo}</td>
                    <td>{CERT_TYPE_DEFS[l.type].name}</td>
                    <td>
                      {l.institutionName}（{l.institutionCode}）
                    </td>
                    <td>{l.shinryo}</td>
                    <td>
                      {l.lastMonth} {l.lastCertificateNo}
                    </td>
                    <td>
                      {dateJa(l.validFrom)}〜{dateJa(l.validTo)}
                    </td>
                  </tr>
                ))}
              </Table>
              <p>
                <button type="button" className="primary" disabled={act.busy || chosen.size === 0} onClick={() => setAsking(true)}>
                  選んだ券を交付する（{chosen.size}件）
                </button>
              </p>
            </>
          )}
          <p>
            <button type="button" onClick={() => void listHandIssued()} disabled={act.busy}>
              この月に窓口で交付した券を発送リストにする
            </button>
          </p>
        </section>
      )}
      {result && (
        <section aria-label="発送リスト">
          <h2>発送リスト（指定機関ごと）</h2>
          <p role="status" tabIndex={-1}>
            {result.issued > 0 ? `${result.issued}件の券を交付しました。` : ''}
            {result.runs.length > 0 ? `${result.runs.length}件の発送リストを作りました。発送は「一斉発送」の未完了の発送から続けます。` : '発送リストにする券はありません。'}
          </p>
          {result.runs.length > 0 && (
            <>
              <Table className="history" headers={['件名', '件数']} scoped aria-label="発送リスト">
                {result.runs.map((r) => (
                  <tr key={r.runId} data-run={r.title}>
                    <td>{r.title}</td>
                    <td>{r.total}件</td>
                  </tr>
                ))}
              </Table>
              <p>
                <button type="button" onClick={() => go({ name: 'mailing' })}>
                  一斉発送へ
                </button>
              </p>
            </>
          )}
        </section>
      )}
      {asking && (
        <ConfirmDialog title={`${chosen.size}件の券を交付しますか？`} confirmLabel="交付する" onConfirm={() => void issue()} onCancel={() => setAsking(false)}>
          <p>選んだ継続の券を一度に交付し、指定機関ごとの発送リストを作ります。</p>
        </ConfirmDialog>
      )}
    </main>
  );
}
