import { useState, type FormEvent } from 'react';
import type { RosterPreview } from '../../../../shared/ipc/admin-contract';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { ROSTER_STATUS_CHOICES } from '../../../../shared/domain/staff-status';
import { Table } from '../../ui/Table';
import { SETUP_GAP_LABELS } from './format';
import { ApiError, call } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useAction } from '../../lib/useAction';
import { SubmitButton } from '../../ui/SubmitButton';
import { bytesToBase64, readFileBytes } from './base64';
import { RosterPreviewView } from './RosterPreviewView';

const MAX_BYTES = 3_000_000;
type Applied = ResponseOf<'admin.roster.apply'>;

/** 名簿の取込: read the CSV, preview the changes and errors, then apply all (or only the valid lines). */
export function RosterTab() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [validOnly, setValidOnly] = useState(false);
  const [applied, setApplied] = useState<Applied | null>(null);
  const load = useAction();
  const apply = useAction();
  const fileError = load.fieldErrors.file ?? load.fieldErrors.contentBase64 ?? load.fieldErrors.fileName;

  async function read(e: FormEvent) {
    e.preventDefault();
    if (!file) return load.fail(null, { file: '名簿のファイルを選択してください' });
    if (file.size === 0) return load.fail(null, { file: 'ファイルが空です' });
    if (file.size > MAX_BYTES) return load.fail(null, { file: 'ファイルが大きすぎます（3MBまで）' });
    setApplied(null);
    // `call` only throws ApiError; anything else comes from reading or encoding the file.
    const p = await load.run(
      async () => call('admin.roster.preview', { fileName: file.name, contentBase64: bytesToBase64(await readFileBytes(file)) }),
      (err) => (err instanceof ApiError ? err.message : 'ファイルを読み込めませんでした。ほかのアプリで開いていないか確認してください。'),
    );
    if (!p) return;
    setValidOnly(false);
    setPreview(p);
  }

  async function doApply(applyValidPart: boolean) {
    if (!preview) return;
    const r = await apply.run(() => call('admin.roster.apply', { previewId: preview.previewId, applyValidPart }));
    if (!r) return;
    setPreview(null);
    setApplied(r);
  }

  const hasErrors = (preview?.errors.length ?? 0) > 0;
  return (
    <>
      <form className="admin-form" onSubmit={read} noValidate aria-label="名簿の読み込み">
        <ErrorBanner message={load.bannerFor(['file', 'contentBase64', 'fileName'])} />
        <Field
          label="名簿ファイル（CSV、UTF-8 または Shift_JIS）"
          hint={`見出しは 職員ID・氏名・氏名カナ・所属・役割・状態 の6列です。状態は職員一覧と同じ言葉（${ROSTER_STATUS_CHOICES}）で書けます。`}
          error={fileError}
          required
        >
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".csv,text/csv"
              autoFocus
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
                setApplied(null);
              }}
            />
          )}
        </Field>
        <SubmitButton busy={load.busy} busyLabel="読み込み中…">
          読み込む
        </SubmitButton>
      </form>
      <p role="status" className="admin-status">
        {applied && `適用しました（新規 ${applied.created}件、変更 ${applied.updated}件、利用停止 ${applied.disabled}件、利用再開 ${applied.enabled}件）。`}
        {applied && applied.incomplete.length > 0 && ` 次の${applied.incomplete.length}人は、まだ業務を始められません。足りないものを設定してください。`}
      </p>
      {applied && applied.incomplete.length > 0 && (
        <Table className="history" data-testid="roster-incomplete" aria-label="設定が足りない職員" scoped headers={['職員ID', '氏名', '足りないもの']}>
          {applied.incomplete.map((x) => (
            <tr key={x.staffId}>
              <td>{x.staffId}</td>
              <td>{x.name}</td>
              <td>{x.missing.map((m) => SETUP_GAP_LABELS[m]).join('、')}</td>
            </tr>
          ))}
        </Table>
      )}
      {preview && (
        <>
          <RosterPreviewView preview={preview} />
          <ErrorBanner message={apply.message} />
          <div className="actions">
            <button type="button" className="primary" disabled={hasErrors || apply.busy || preview.changes.length === 0} onClick={() => doApply(false)}>
              {apply.busy ? '適用中…' : '適用する'}
            </button>
            {hasErrors && (
              <>
                <label>
                  <input type="checkbox" checked={validOnly} onChange={(e) => setValidOnly(e.target.checked)} /> エラーのある行を除き、正しい行だけを適用する
                </label>
                <button type="button" disabled={!validOnly || apply.busy || preview.changes.length === 0} onClick={() => doApply(true)}>
                  正しい行だけ適用する
                </button>
              </>
            )}
          </div>
        </>
      )}
    </>
  );
}
