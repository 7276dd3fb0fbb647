import { useState } from 'react';
import { APPROVAL_KIND_LABELS, type ApprovalItem } from '../../../../shared/ipc/approvals-contract';
import { ApiError, call, errorMessage } from '../../lib/api';
import { signWithAuthenticator } from '../../lib/authenticator';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';

/**
 * 承認待ち: each grant, authenticator registration or role change that names this 所属長, with exactly what it
 * asks. 「承認する」 signs that content (its hash is the WebAuthn challenge) with the 所属長's own authenticator;
 * only then is it in force. Nothing here is approved by typing an ID.
 */
export function ApprovalsScreen() {
  const list = useLoad(() => call('approvals.list', {}), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function approve(item: ApprovalItem) {
    setBusy(item.id);
    setError(null);
    setDone(null);
    try {
      const { options, hash } = await call('approvals.begin', { kind: item.kind, id: item.id });
      if (hash !== item.hash) throw new ApiError('CONFLICT', '申請の内容が一覧を表示したあとで変わりました。一覧を開き直してください。');
      const response = await signWithAuthenticator(options, { retry: '承認する', aborted: '承認を中止しました。' });
      await call('approvals.confirm', { kind: item.kind, id: item.id, hash, response });
      setDone(`${item.staffName}（${item.staffId}）の${APPROVAL_KIND_LABELS[item.kind]}を承認しました。`);
      list.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <main className="screen approvals">
      <h1>承認待ち</h1>
      <p>あなたが承認者として指名された申請です。内容を確認し、ご自身の認証器で承認してください。承認するまで権限・認証器・役割は有効になりません。</p>
      <ErrorBanner message={list.error ?? error} />
      {done && <p role="status">{done}</p>}
      {list.data && list.data.items.length === 0 && <p>承認待ちの申請はありません。</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="approval-list" aria-label="承認待ちの申請">
          {list.data.items.map((item) => (
            <li key={`${item.kind}:${item.id}`} aria-label={`${APPROVAL_KIND_LABELS[item.kind]} ${item.staffId}`}>
              <h2>
                {APPROVAL_KIND_LABELS[item.kind]}：{item.staffName}（{item.staffId}）
              </h2>
              <ul>
                {item.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
                <li>申請者: {item.requestedBy}</li>
                <li>申請日時: {item.requestedAt}</li>
              </ul>
              <button type="button" onClick={() => void approve(item)} disabled={busy !== null}>
                {busy === item.id ? '認証器を待っています…' : '承認する'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
