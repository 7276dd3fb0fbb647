/** Typed errors returned to the renderer. Messages are Japanese and never carry stack traces or SQL. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RULE',
  'UNKNOWN_CHANNEL',
  'NOT_PROVISIONED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcError {
  code: ErrorCode;
  message: string;
  /** Field path (dot-joined) → Japanese message, for form errors shown next to the field. */
  fieldErrors?: Record<string, string>;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: IpcError };

export const GENERIC_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION: '入力内容に誤りがあります。各項目の表示を確認してください。',
  UNAUTHENTICATED: 'ログインしていないか、セッションが終了しています。もう一度ログインしてください。',
  LOCKED: '画面がロックされています。パスワードを入力してロックを解除してください。',
  FORBIDDEN: 'この操作を行う権限がありません。',
  NOT_FOUND: '対象のデータが見つかりません。',
  CONFLICT: 'ほかの操作によりデータが更新されています。画面を開き直してください。',
  RULE: '業務ルールにより処理できません。',
  UNKNOWN_CHANNEL: '許可されていない要求です。',
  NOT_PROVISIONED: 'この端末は初期設定（管理者の登録）が済んでいません。IT担当者に連絡してください。',
  INTERNAL: '内部エラーが発生しました。処理は保存されていません。システム管理者に連絡してください。',
};
