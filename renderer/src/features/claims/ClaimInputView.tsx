import { Fragment } from 'react';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { RECEIPT_CATEGORY_LABELS, type ReceiptCategory } from '../../../../shared/domain/claims';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { dateJa } from '../../lib/format';
import { Table } from '../../ui/Table';
import { EVENT_LABELS, formatYen, INPUT_LABELS as LABELS } from './format';
import { shikakuInputLines } from './shikakuText';

function show(key: string, v: unknown): string {
  if (v === null || v === undefined) return key === 'directPayment' ? '利用なし' : '—';
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (typeof v === 'number') return /Yen$/.test(key) ? formatYen(v) : String(v);
  if (Array.isArray(v)) return v.length ? v.map(String).join('、') : 'なし';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k === 'deliveryCostYen' ? '出産費用' : k} ${show(k, x)}`).join('、');
  return /On$|Date$/.test(key) ? dateJa(String(v)) : String(v);
}

const cat = (c: unknown) => RECEIPT_CATEGORY_LABELS[c as ReceiptCategory] ?? String(c);
const yen = (v: unknown) => (typeof v === 'number' ? formatYen(v) : '—');
const rows = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/** The stored input of a claim, as entered. */
export function ClaimInputView({ claim }: { claim: ClaimDetail }) {
  const input = claim.input;
  // A 受給資格の交付申請: each item in Japanese (the 保護者 is the 申請者).
  const simple: [string, string][] =
    claim.kind === 'kodomo_shikaku'
      ? shikakuInputLines(input, claim.applicantName)
      : Object.entries(input)
          .filter(([k]) => k !== 'lines' && k !== 'charges')
          .map(([k, v]) => [LABELS[k] ?? k, show(k, v)]);
  return (
    <section aria-label="入力内容">
      <h2>入力内容</h2>
      {simple.length > 0 && (
        <dl className="detail">
          {simple.map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {Array.isArray(input.lines) && (
        <Table className="history" aria-label="領収書の明細" headers={['行', '診療年月', '医療機関コード', '医療機関名', '区分', '日数', '医療費総額・総点数', '高額療養費', '附加給付金', '他公費', '支払額']}>
          {rows(input.lines).map((l, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>{String(l.serviceMonth)}</td>
              <td>{String(l.institutionCode)}</td>
              <td>{String(l.institutionName)}</td>
              <td>{cat(l.category)}</td>
              <td className="num">{String(l.days)}</td>
              <td className="num">{l.totalPoints !== undefined ? `${String(l.totalPoints)}点` : yen(l.totalCostYen)}</td>
              <td className="num">{yen(l.highCostBenefitYen ?? 0)}</td>
              <td className="num">{yen(l.supplementaryBenefitYen ?? 0)}</td>
              <td className="num">{yen(l.otherPublicYen ?? 0)}</td>
              <td className="num">{yen(l.paidYen)}</td>
            </tr>
          ))}
        </Table>
      )}
      {Array.isArray(input.charges) && (
        <Table className="history" aria-label="医療機関ごとの一部負担金" headers={['対象者', '医療機関コード', '医療機関名', '区分', '医療費', '一部負担金']}>
          {rows(input.charges).map((c, i) => (
            <tr key={i}>
              <td>{String(c.memberName ?? c.memberId)}</td>
              <td>{String(c.institutionCode)}</td>
              <td>{String(c.institutionName)}</td>
              <td>{cat(c.category)}</td>
              <td className="num">{yen(c.totalCostYen)}</td>
              <td className="num">{yen(c.copayYen)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function eventDetail(event: string, d: Record<string, unknown>): string {
  switch (event) {
    case 'received':
      return typeof d.amountYen === 'number' ? `金額 ${formatYen(d.amountYen)}` : '';
    case 'check_mismatch':
      return `一致しない項目: ${Array.isArray(d.fields) ? d.fields.join('、') : ''}`;
    case 'checked':
      return d.mode === 'blind' ? '見ずに再入力して一致' : '項目ごとに照合';
    case 'corrected': {
      const prev = (d.previous ?? {}) as { amountYen?: number | null };
      return `第${String(d.revision)}版を訂正${typeof prev.amountYen === 'number' ? `（訂正前の金額 ${formatYen(prev.amountYen)}）` : ''}`;
    }
    case 'decided':
      return `${String(d.decision ?? '')}${d.overrideReason ? `（期限超過の理由: ${String(d.overrideReason)}）` : ''}`;
    case 'notice_printed':
      return `通知書番号 ${String(d.noticeNo ?? '')}、${String(d.printer ?? '')}`;
    default:
      return '';
  }
}

/** Every step of the claim: who, when, what, why. During a blind check the amounts in it are not shown. */
export function ClaimEvents({ events, blind }: { events: ClaimDetail['events']; blind: boolean }) {
  return (
    <section aria-label="処理の履歴">
      <h2>処理の履歴</h2>
      <Table className="history events-table" headers={['日時', '職員', '操作', '内容', '理由']}>
        {events.map((e, i) => (
          <tr key={i} data-event={e.event}>
            <td>{jstDateTime(e.at)}</td>
            <td>{e.by}</td>
            <td>{EVENT_LABELS[e.event] ?? e.event}</td>
            <td>{blind && (e.event === 'received' || e.event === 'corrected') ? '（二重チェック後に表示）' : eventDetail(e.event, e.detail)}</td>
            <td>{e.reason ?? ''}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
