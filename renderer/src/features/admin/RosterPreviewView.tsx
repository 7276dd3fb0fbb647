import type { RosterChange, RosterPreview } from '../../../../shared/ipc/admin-contract';
import { Table } from '../../ui/Table';

const KIND_LABELS: Record<RosterChange['kind'], string> = { create: '新規', update: '変更', disable: '利用停止', enable: '利用再開' };
const KINDS = Object.keys(KIND_LABELS) as RosterChange['kind'][];

/** What the roster file would change, and the lines that cannot be applied. */
export function RosterPreviewView({ preview }: { preview: RosterPreview }) {
  const count = (k: RosterChange['kind']) => preview.changes.filter((c) => c.kind === k).length;
  return (
    <section aria-label="取込の確認">
      <dl className="detail">
        <dt>文字コード</dt>
        <dd>{preview.encoding === 'CP932' ? 'Shift_JIS（CP932）' : 'UTF-8'}</dd>
        <dt>行数</dt>
        <dd>{preview.rows}行</dd>
        <dt>変更</dt>
        <dd>
          {KINDS.map((k) => `${KIND_LABELS[k]} ${count(k)}件`).join('、')}
          {preview.errors.length > 0 && `、エラー ${preview.errors.length}件`}
        </dd>
      </dl>
      {preview.errors.length > 0 && (
        <div className="banner banner--error">
          <p>次の行にエラーがあります。名簿を直して読み込み直すか、エラーのある行を除いて適用してください。</p>
          <Table className="history" data-testid="roster-errors" aria-label="エラーのある行" headers={['行', '内容']}>
            {preview.errors.map((e, i) => (
              <tr key={`${e.line}-${i}`}>
                <td className="num">{e.line}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      {preview.changes.length === 0 ? (
        <p>現在の登録との違いはありません。</p>
      ) : (
        <Table className="history" data-testid="roster-changes" aria-label="変更の内容" headers={['行', '区分', '職員ID', '氏名', '変更内容']}>
          {preview.changes.map((c) => (
            <tr key={`${c.line}-${c.staffId}`}>
              <td className="num">{c.line}</td>
              <td>{KIND_LABELS[c.kind]}</td>
              <td>{c.staffId}</td>
              <td>{c.name}</td>
              <td>{c.changes.join('、')}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
