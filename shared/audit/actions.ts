/**
 * The audit vocabulary: every action an audit entry can record, with its Japanese name. The core writes only
 * these (AuditInput.action is typed by this list); the supervisor's review filter, the renderer's labels and the
 * exported CSV's 操作名 column all derive from it. A new action is a new line here, with its label.
 *
 * Outcomes have one meaning each: `success` 成功 — done; `rejected` 拒否 — refused before anything changed, by
 * the rules (rights, session or state, invalid input, wrong credentials, a print that no longer matches its
 * preview); `failure` 失敗 — attempted but not completed for a cause outside the request (a printer, the
 * central server, the disk, a broken audit chain, invalid central data). In the core every refusal goes through
 * AuditLog.refuse (DomainError.failure marks the second kind); the IPC router audits any refusal that did not.
 */
import type { AuditOutcome } from './audit-entry';

export const AUDIT_ACTIONS = {
  // ログイン・認証
  'auth.login': 'ログイン',
  'auth.logout': 'ログアウト',
  'auth.secondFactor': '第二要素の認証',
  'auth.enrollFactor': '認証器の登録（本人）',
  'auth.changePassword': 'パスワード変更',
  'auth.passwordChangeRequired': 'パスワード変更の要求',
  'auth.lockout': 'アカウントのロック',
  'auth.unlock': '画面ロックの解除（認証）',
  // 画面ロック・業務終了
  'session.lock': '画面ロック',
  'session.unlock': '画面ロックの解除',
  'session.shiftEnd': '業務終了',
  // 住民
  'residents.search': '住民検索',
  'residents.view': '住民の表示',
  'residents.revealMyNumber': '個人番号の表示',
  'residents.searchByMyNumber': '個人番号による検索',
  // 証明書
  'certificates.issue': '証の交付',
  'certificates.prepare': '証の交付準備',
  'certificates.printView': '証の印刷内容の表示',
  'certificates.recallNotice': '回収通知の表示',
  'certificates.correct': '証の訂正',
  'certificates.recall': '証の回収',
  'certificates.cancel': '証の取消',
  'certificates.history': '交付履歴の表示',
  'certificates.recallList': '回収リストの表示',
  'certificates.dvRelease': '住所印字の解除（DV等支援措置）',
  'certificates.printPreview': '証の印刷プレビュー',
  'certificates.print': '証の印刷',
  'certificates.recallNoticePreview': '回収通知のプレビュー',
  'certificates.printRecallNotice': '回収通知の印刷',
  'certificates.opinionFormPreview': '要否意見書（様式）のプレビュー',
  'certificates.printOpinionForm': '要否意見書（様式）の印刷',
  // 一斉発送
  'mailing.select': '一斉発送の対象抽出',
  'mailing.validate': '一斉発送の事前確認',
  'mailing.item': '一斉発送（1件）',
  'mailing.done': '一斉発送の完了',
  // 請求
  'claims.receive': '請求の受付',
  'claims.check': '請求の二重チェック',
  'claims.correct': '請求の訂正',
  'claims.decide': '請求の決裁',
  'claims.view': '請求の表示',
  'claims.queue': '請求一覧の表示',
  'claims.byResident': '住民の請求一覧',
  'claims.noticePreview': '決定通知書のプレビュー',
  'claims.printNotice': '決定通知書の印刷',
  'claims.noticeView': '決定通知書の表示',
  'claims.draft.save': '請求の下書き保存',
  'claims.draft.discard': '請求の下書き破棄',
  'shikaku.kodomo.lose': 'こども医療費助成 受給資格の喪失',
  // 生活保護（医療扶助・介護扶助）
  'fujo.start': '扶助の申請受理',
  'fujo.step': '扶助の手続き（照会・確認・決定・廃止）',
  'fujo.view': '扶助の記録の表示',
  'fujo.byResident': '住民の扶助一覧',
  'fujo.queue': '扶助の確認・決裁待ち一覧',
  // 予防接種
  'vaccinations.list': '接種歴の表示',
  'vaccinations.add': '接種歴の登録',
  'vaccinations.correct': '接種歴の訂正',
  // 職員・権限管理
  'admin.staff.update': '職員情報の変更',
  'admin.staff.setInitialPassword': '初期パスワードの設定',
  'admin.grants.grant': '権限の付与',
  'admin.grants.revoke': '権限の取消',
  'admin.authenticators.register': '認証器の登録',
  'admin.authenticators.revoke': '認証器の失効',
  'admin.rightsReview': '権限の点検表',
  'admin.roster.preview': '職員名簿の取込確認',
  'admin.roster.apply': '職員名簿の取込',
  'admin.approvals.list': '承認待ちの一覧（所属長）',
  'admin.approvals.confirm': '権限・認証器・役割変更の承認（所属長）',
  // 監査ログ
  'audit.verify': '監査ログの検証',
  'audit.review': '監査ログの点検',
  'audit.checkpoint': '監査ログのチェックポイント',
  'audit.retentionPurge': '監査ログの保存期間経過分の削除',
  'records.retentionPurge': '保存年限を過ぎた記録の削除（端末）',
  'audit.export.request': '監査ログの出力申請',
  'audit.export.decide': '監査ログの出力の承認・却下',
  'audit.export.write': '監査ログの出力',
  // 同期
  'sync.rejected': '中央サーバによる変更の拒否',
  'sync.reset': '同期のやり直し',
  'sync.snapshotDone': '同期（全件取得）の完了',
  'sync.pullProblem': '取得した変更の適用不可',
  'sync.leaseReceived': '証番号の払出し枠の受領',
  'sync.leaseReturned': '証番号の払出し枠の返却',
  'sync.conflicts.view': '競合の一覧表示',
  'sync.conflict.resolve': '競合の解決',
  'sync.clockSkew': '端末の時計のずれ（中央サーバとの比較）',
  'sync.now': '今すぐ同期（監督者の指示）',
  // 拒否された要求
  'ipc.unknownChannel': '未定義の要求',
  'ipc.rejected': '要求の拒否',
  'ipc.invalidPayload': '不正な入力の要求',
  'ipc.invalidResponse': '応答の検証失敗',
  'ipc.internalError': '内部エラー',
  'ipc.foreignSender': '許可されていない送信元からの要求',
  // 通信
  'net.destinationRefused': '許可されていない宛先への通信',
  'net.redirectRefused': 'リダイレクトの拒否',
  'net.tlsFailure': 'TLS の検証失敗',
  'net.unreachable': '中央サーバに接続できない',
  'net.badResponse': '中央サーバの不正な応答',
  'net.rendererRequestRefused': '画面からの通信の拒否',
  'net.rendererRequestCancelled': '画面からの通信の中止',
  // 画面・端末の保護
  'shell.permissionDenied': '権限要求の拒否',
  'shell.deviceRefused': '機器接続の拒否',
  'shell.screenCaptureRefused': '画面取得の拒否',
  'shell.downloadRefused': 'ダウンロードの拒否',
  'shell.navigationRefused': '画面遷移の拒否',
  'shell.windowOpenRefused': '新しいウィンドウの拒否',
  'shell.webviewRefused': 'webview の拒否',
  'shell.devtoolsRefused': '開発者ツールの拒否',
  'posture.check': '起動時の安全確認',
  'profile.load': 'ルールプロファイルの読込',
  'terminal.provision': '端末の初期設定',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(s: string): s is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, s);
}

/** Groups for the review filter: a prefix selects every action under it. */
export const AUDIT_ACTION_GROUPS = {
  'auth.': 'ログイン・認証',
  'session.': '画面ロック・業務終了',
  'residents.': '住民',
  'certificates.': '証明書',
  'mailing.': '一斉発送',
  'claims.': '請求',
  'fujo.': '生活保護（扶助）',
  'vaccinations.': '予防接種',
  'admin.': '職員・権限管理',
  'audit.': '監査ログ',
  'sync.': '同期',
  'ipc.': '拒否された要求',
  'net.': '通信',
  'shell.': '画面・端末の保護',
} as const satisfies Record<string, string>;

export type AuditActionGroup = keyof typeof AUDIT_ACTION_GROUPS;

/** The outcomes' Japanese names (their meanings: see the header of this file). */
export const AUDIT_OUTCOME_LABELS = { success: '成功', failure: '失敗', rejected: '拒否' } as const satisfies Record<AuditOutcome, string>;

/** Actions earlier versions wrote and this one no longer does: named for the review and the CSV, never written. */
export const RETIRED_AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  'certificates.issueKodomo': 'こども医療証の交付（旧）',
  'certificates.prepareKodomo': 'こども医療証の交付準備（旧）',
};

/** The Japanese name of a stored action; an unknown one keeps its code. */
export function auditActionLabel(action: string): string {
  if (isAuditAction(action)) return AUDIT_ACTIONS[action];
  return Object.prototype.hasOwnProperty.call(RETIRED_AUDIT_ACTIONS, action) ? (RETIRED_AUDIT_ACTIONS[action] as string) : action;
}
