import type { ClaimComputation } from '../../../../shared/domain/claims';
import { dateJa } from '../../lib/format';
import { formatYen } from './format';

type Line = ClaimComputation['breakdown'][number];

/** The lines of a calculation, each an amount (控除 with −), in the table of the screen or of the printed notice. */
export function BreakdownLines({ lines, className }: { lines: readonly Line[]; className: string }) {
  return (
    <table className={className}>
      <tbody>
        {lines.map((l, i) => (
          <tr key={i} className={`breakdown__line breakdown__line--${l.kind}`}>
            <td>{l.label}</td>
            <td className="num">
              {l.kind === 'deduct' ? '−' : ''}
              {formatYen(l.amount)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The calculation explained to the resident, line by line, with the amount, deadline and suggestion. */
export function Breakdown({
  amountYen,
  lines,
  deadline,
  suggestion,
  notes,
  title = '計算の内訳',
}: {
  amountYen: number | null;
  lines: readonly Line[];
  deadline: { deadline: string; expired: boolean } | null;
  suggestion: { decision: string; reason: string | null } | null;
  notes: readonly string[];
  title?: string;
}) {
  return (
    <section className="breakdown" aria-label={title}>
      <h2>{title}</h2>
      {lines.length > 0 && <BreakdownLines lines={lines} className="breakdown__table" />}
      <p className="breakdown__total">
        {amountYen !== null ? (
          <>
            支給額 <strong data-testid="claim-amount">{formatYen(amountYen)}</strong>
          </>
        ) : (
          <span className="muted">金額の支給はありません（決定のみ）</span>
        )}
      </p>
      {deadline && (
        <p className={deadline.expired ? 'field__error' : 'muted'} data-testid="claim-deadline">
          請求期限 {dateJa(deadline.deadline)}
          {deadline.expired ? '（期限を過ぎています。支給には決裁者の理由が必要です）' : ''}
        </p>
      )}
      {suggestion && (
        <p data-testid="claim-suggestion">
          規則による判定: <strong>{suggestion.decision}</strong>
          {suggestion.reason ? `（${suggestion.reason}）` : ''}
        </p>
      )}
      {notes.length > 0 && (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
