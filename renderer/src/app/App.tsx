import { useCallback, useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/domain/rights';
import { ApiError, call, errorMessage } from '../lib/api';
import { onAppEvent } from '../lib/events';
import { ErrorBanner, StatusBanner } from '../ui/Field';
import { homeScreen, useApp } from '../lib/store';
import { LockScreen, LoginScreen } from '../features/auth';
import { clearSearch, ResidentDetailScreen, SearchScreen } from '../features/residents';
import { AdminScreen } from '../features/admin';
import { ApprovalsScreen } from '../features/approvals';
import { SyncScreen } from '../features/sync';
import { ClaimDetailScreen, ClaimEntryScreen, ClaimQueueScreen, NoticeScreen } from '../features/claims';
import { CertificatePreviewScreen, IssueCertificateScreen, LifecycleScreen, mailableTypes, MailingScreen, RecallListScreen, RecallNoticeScreen } from '../features/certificates';
import { AuditExportScreen, AuditReviewScreen } from '../features/audit';
import { FujoQueueScreen, FujoScreen, OpinionFormScreen, TicketRunScreen } from '../features/seikatsu';
import { jimuRight } from '../../../shared/domain/rights';
import { can } from '../lib/can';
import { PrivacyShield, useClipboardGuard, useLockShortcut, useWindowHidden, Watermark } from './privacy';
import { SyncIndicator } from './SyncIndicator';
import { useScreenFocus } from '../lib/focus';
import { FocusWrap } from '../ui/FocusWrap';

const ENDED_NOTICES = {
  logout: 'ログアウトしました。',
  idle_timeout: '一定時間操作がなかったため、ログアウトしました。',
  replaced: '別のログインによりセッションが終了しました。',
  window_closed: 'セッションが終了しました。',
} as const;

/** 請求 menu entries, each shown only to who may take its queue's step (the step's channel, any 事務). */
const CLAIM_MENU = [
  { queue: 'mine', step: 'claims.receive', label: '請求受付' },
  { queue: 'check', step: 'claims.check', label: '要確認' },
  { queue: 'approve', step: 'claims.decide', label: '要決裁' },
] as const;

/** 扶助 (生活保護) work lists, each shown only to who holds the 生活保護 right of its step. */
const FUJO_MENU = [
  { queue: 'enter', right: jimuRight('seikatsu', 'claim.enter'), label: '扶助 要入力' },
  { queue: 'check', right: jimuRight('seikatsu', 'claim.check'), label: '扶助 要確認' },
  { queue: 'approve', right: jimuRight('seikatsu', 'claim.approve'), label: '扶助 要決裁' },
] as const;

export function App() {
  const { status, session, screen, setStatus, reset, locked, setNotice, notice, go } = useApp();
  const [fatal, setFatal] = useState<string | null>(null);
  const hidden = useWindowHidden();
  useClipboardGuard(useCallback((m: string) => setNotice(m), [setNotice]));
  useScreenFocus();

  useEffect(() => {
    call('auth.status', {}).then(setStatus, (e: unknown) => setFatal(errorMessage(e)));
    return onAppEvent((e) => {
      if (e.type === 'locked') locked();
      else {
        clearSearch();
        reset(ENDED_NOTICES[e.reason]);
      }
    });
  }, [setStatus, locked, reset]);

  /** 業務終了: back to the initial screen with no resident on it (the search is cleared too). */
  const endTask = useCallback(() => {
    clearSearch();
    go({ name: 'search' });
  }, [go]);

  const logout = useCallback(async () => {
    try {
      await call('auth.logout', {});
    } catch (e) {
      // An already-ended session still returns to the login screen.
      if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') return setFatal(errorMessage(e));
    }
    clearSearch();
    reset('ログアウトしました。');
  }, [reset]);

  /** 画面ロック (button, Ctrl+Alt+L): the core locks this session; unlocking asks for both factors again. */
  const lockNow = useCallback(async () => {
    try {
      await call('auth.lock', {});
      locked();
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') setFatal(errorMessage(e));
    }
  }, [locked]);
  const working = session !== null && !session.locked;
  useLockShortcut(working ? lockNow : null);

  if (fatal) return <ErrorBanner message={fatal} />;
  if (!status) return <p className="loading">起動中…</p>;

  return (
    <div className={hidden && working ? 'app app--hidden' : 'app'}>
      <FocusWrap edge="start" />
      <header className="topbar no-print">
        <span className="brand">窓口端末</span>
        <span>{status.municipalityName}</span>
        <span className="muted">端末 {status.terminalId}</span>
        {status.demo && <span className="demo-badge">デモ環境（架空のデータ）</span>}
        {working && (
          <nav className="menu" aria-label="業務メニュー">
            {can(session, 'residents.search') && (
              <button type="button" onClick={endTask} accessKey="e" title="業務終了（住民の表示を閉じて検索画面に戻る）">
                業務終了
              </button>
            )}
            {CLAIM_MENU.filter((m) => can(session, m.step)).map((m) => (
              <button key={m.queue} type="button" aria-pressed={screen.name === 'claimQueue' && screen.queue === m.queue} onClick={() => go({ name: 'claimQueue', queue: m.queue })}>
                {m.label}
              </button>
            ))}
            {can(session, 'fujo.queue') &&
              FUJO_MENU.filter((m) => session.rights.includes(m.right)).map((m) => (
                <button key={m.queue} type="button" aria-pressed={screen.name === 'fujoQueue' && screen.queue === m.queue} onClick={() => go({ name: 'fujoQueue', queue: m.queue })}>
                  {m.label}
                </button>
              ))}
            {can(session, 'tickets.standing') && (
              <button type="button" aria-pressed={screen.name === 'ticketRun'} onClick={() => go({ name: 'ticketRun' })}>
                給付券 月次交付
              </button>
            )}
            {can(session, 'certificates.recallList') && (
              <button type="button" aria-pressed={screen.name === 'recallList'} onClick={() => go({ name: 'recallList' })}>
                回収リスト
              </button>
            )}
            {mailableTypes(session.rights).length > 0 && (
              <button type="button" aria-pressed={screen.name === 'mailing'} onClick={() => go({ name: 'mailing' })}>
                一斉発送
              </button>
            )}
            {can(session, 'audit.review') && (
              <button type="button" aria-pressed={screen.name === 'auditReview'} onClick={() => go({ name: 'auditReview' })}>
                監査ログ
              </button>
            )}
            {can(session, 'audit.exports.list') && (
              <button type="button" aria-pressed={screen.name === 'auditExport'} onClick={() => go({ name: 'auditExport' })}>
                監査ログの出力
              </button>
            )}
            {session.role === 'approver' && (
              <button type="button" aria-pressed={screen.name === 'approvals'} onClick={() => go({ name: 'approvals' })}>
                承認待ち
              </button>
            )}
            {can(session, 'admin.staff.list') && (
              <button type="button" aria-pressed={screen.name === 'admin'} onClick={() => go({ name: 'admin' })}>
                職員・権限管理
              </button>
            )}
          </nav>
        )}
        {working && <SyncIndicator onOpen={() => go({ name: 'sync', back: screen.name === 'sync' ? screen.back : screen })} />}
        {working && (
          <span className="who">
            {session.name}（{ROLE_LABELS[session.role]}・{session.staffId}）
            <button type="button" onClick={lockNow} aria-keyshortcuts="Control+Alt+L" title="画面ロック（Ctrl+Alt+L）">
              画面ロック
            </button>
            <button type="button" onClick={logout} accessKey="q">
              ログアウト
            </button>
          </span>
        )}
      </header>
      {working && screen.name !== 'search' && <StatusBanner message={notice} id="app-notice" />}
      {!session && <LoginScreen />}
      {session?.locked && <LockScreen onLogout={logout} />}
      {working && (
        <div className="workspace" aria-hidden={hidden}>
          {screen.name === 'search' && <SearchScreen />}
          {screen.name === 'admin' && can(session, 'admin.staff.list') && <AdminScreen />}
          {screen.name === 'approvals' && session.role === 'approver' && <ApprovalsScreen />}
          {screen.name === 'sync' && <SyncScreen back={screen.back ?? homeScreen(session)} />}
          {screen.name === 'none' && <p className="screen">この職員IDで利用できる業務がありません。システム管理者に権限を確認してください。</p>}
          {screen.name === 'resident' && <ResidentDetailScreen key={screen.residentId} residentId={screen.residentId} />}
          {screen.name === 'claimQueue' && <ClaimQueueScreen key={screen.queue} queue={screen.queue} />}
          {screen.name === 'claimEntry' && <ClaimEntryScreen residentId={screen.residentId} kind={screen.kind} claimId={screen.claimId} />}
          {screen.name === 'claim' && <ClaimDetailScreen key={screen.claimId} claimId={screen.claimId} back={screen.back} />}
          {screen.name === 'claimNotice' && <NoticeScreen claimId={screen.claimId} back={screen.back} />}
          {screen.name === 'certIssue' && <IssueCertificateScreen key={`${screen.residentId}:${screen.type}`} residentId={screen.residentId} type={screen.type} />}
          {screen.name === 'certPreview' && <CertificatePreviewScreen key={screen.certificateId} certificateId={screen.certificateId} back={screen.back} />}
          {screen.name === 'certHistory' && <LifecycleScreen key={screen.residentId} residentId={screen.residentId} />}
          {screen.name === 'recallList' && <RecallListScreen />}
          {screen.name === 'recallNotice' && <RecallNoticeScreen key={screen.certificateId} certificateId={screen.certificateId} />}
          {screen.name === 'mailing' && <MailingScreen />}
          {screen.name === 'fujo' && <FujoScreen key={screen.flowId} flowId={screen.flowId} back={screen.back} />}
          {screen.name === 'fujoQueue' && <FujoQueueScreen key={screen.queue} queue={screen.queue} />}
          {screen.name === 'ticketRun' && can(session, 'tickets.standing') && <TicketRunScreen />}
          {screen.name === 'opinionForm' && <OpinionFormScreen key={screen.residentId} residentId={screen.residentId} back={screen.back} />}
          {screen.name === 'auditReview' && can(session, 'audit.review') && <AuditReviewScreen />}
          {screen.name === 'auditExport' && can(session, 'audit.exports.list') && <AuditExportScreen />}
          <Watermark staffId={session.staffId} terminalId={status.terminalId} />
        </div>
      )}
      {working && hidden && <PrivacyShield />}
      <FocusWrap edge="end" />
    </div>
  );
}
