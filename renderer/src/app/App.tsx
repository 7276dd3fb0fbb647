import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/domain/rights';
import { ApiError, call, errorMessage } from '../lib/api';
import { ErrorBanner } from '../ui/Field';
import { useApp } from './store';
import { LoginScreen } from '../features/auth/LoginScreen';
import { SearchScreen } from '../features/residents/SearchScreen';
import { ResidentDetailScreen } from '../features/residents/ResidentDetailScreen';
import { useSearch } from '../features/residents/searchStore';
import { IssueKodomoScreen } from '../features/certificates/IssueKodomoScreen';
import { PrintPreviewScreen } from '../features/certificates/PrintPreviewScreen';

export function App() {
  const { status, session, screen, setStatus, reset } = useApp();
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    call('auth.status', {}).then(setStatus, (e: unknown) => setFatal(errorMessage(e)));
  }, [setStatus]);

  async function logout() {
    try {
      await call('auth.logout', {});
    } catch (e) {
      // An already-ended session still returns to the login screen.
      if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') return setFatal(errorMessage(e));
    }
    useSearch.getState().clear();
    reset('ログアウトしました。');
  }

  if (fatal) return <ErrorBanner message={fatal} />;
  if (!status) return <p className="loading">起動中…</p>;

  return (
    <div className="app">
      <header className="topbar no-print">
        <span className="brand">窓口端末</span>
        <span>{status.municipalityName}</span>
        <span className="muted">端末 {status.terminalId}</span>
        {status.demo && <span className="demo-badge">デモ環境（架空のデータ）</span>}
        {session && (
          <span className="who">
            {session.name}（{ROLE_LABELS[session.role]}・{session.staffId}）
            <button type="button" onClick={logout} accessKey="q">
              ログアウト
            </button>
          </span>
        )}
      </header>
      {!session && <LoginScreen />}
      {session && screen.name === 'search' && <SearchScreen />}
      {session && screen.name === 'resident' && <ResidentDetailScreen key={screen.residentId} residentId={screen.residentId} />}
      {session && screen.name === 'issue' && <IssueKodomoScreen residentId={screen.residentId} />}
      {session && screen.name === 'preview' && <PrintPreviewScreen residentId={screen.residentId} certificateId={screen.certificateId} />}
    </div>
  );
}
