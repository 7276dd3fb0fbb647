export type PostureStatus = 'ok' | 'fail' | 'not_effective' | 'unknown';

export interface PostureItem {
  check: 'removable_storage_policy' | 'content_protection' | 'fuses' | 'policy_source' | 'packaged' | 'server_certificates' | 'key_store';
  status: PostureStatus;
  detail: string;
}

export interface PostureInput {
  platform: NodeJS.Platform;
  packaged: boolean;
  contentProtectionEffective: boolean;
  policySource: string;
  /** Windows: output of `reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices /s`, or null if absent. */
  removableStorageRegistry: string | null;
  /** Fuse states read from the running executable, or null if not readable (not packaged). */
  fuses: Record<string, boolean> | null;
  /** Why the central server client could not be set up (certificates), or null if it could. */
  serverClient: string | null;
  /** The OS secret store behind safeStorage (Linux: gnome_libsecret, kwallet…; Windows: dpapi). */
  keyStore: string;
}

/** Fuses that must be in this state in a release build (see electron-builder.yml). */
export const REQUIRED_FUSES: Record<string, boolean> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/** Deny_All or Deny_Write set to 1 under the removable-storage policy key (any device class). */
export function removableStorageDenied(regOutput: string): boolean {
  return /^\s+(Deny_All|Deny_Write)\s+REG_DWORD\s+0x1\s*$/im.test(regOutput);
}

/**
 * The start-up posture check, recorded in the audit log. Anything not verified says so ('unknown',
 * 'not_effective'), never 'ok'.
 */
export function assessPosture(p: PostureInput): { ok: boolean; items: PostureItem[] } {
  const items: PostureItem[] = [];
  if (p.platform === 'win32') {
    const denied = p.removableStorageRegistry !== null && removableStorageDenied(p.removableStorageRegistry);
    items.push({ check: 'removable_storage_policy', status: denied ? 'ok' : 'fail', detail: denied ? 'リムーバブル記憶域への書き込み拒否ポリシーあり' : 'リムーバブル記憶域の拒否ポリシーが見つかりません' });
  } else {
    items.push({ check: 'removable_storage_policy', status: 'unknown', detail: `${p.platform} では確認方法が未実装です（OS側の設定で拒否してください）` });
  }
  items.push(
    p.contentProtectionEffective
      ? { check: 'content_protection', status: 'ok', detail: '画面キャプチャ防止を全ウィンドウに適用' }
      : { check: 'content_protection', status: 'not_effective', detail: `${p.platform} ではOSが画面キャプチャ防止をサポートしていません` },
  );
  if (!p.packaged) {
    items.push({ check: 'packaged', status: 'fail', detail: '開発ビルドで起動しています（署名・ヒューズなし）' });
  }
  if (p.fuses) {
    const wrong = Object.entries(REQUIRED_FUSES).filter(([k, v]) => p.fuses?.[k] !== v).map(([k]) => k);
    items.push(wrong.length === 0 ? { check: 'fuses', status: 'ok', detail: 'ヒューズはすべて設定どおり' } : { check: 'fuses', status: 'fail', detail: `設定と異なるヒューズ: ${wrong.join(', ')}` });
  } else {
    items.push({ check: 'fuses', status: 'unknown', detail: 'ヒューズを読み取れませんでした' });
  }
  items.push(p.serverClient === null ? { check: 'server_certificates', status: 'ok', detail: '中央サーバ接続用の証明書を確認しました' } : { check: 'server_certificates', status: 'fail', detail: p.serverClient });
  items.push(
    p.keyStore === 'basic_text' || p.keyStore === 'unknown'
      ? { check: 'key_store', status: 'fail', detail: `暗号鍵の保護: ${p.keyStore}（保護なし）` }
      : { check: 'key_store', status: 'ok', detail: `暗号鍵の保護: ${p.keyStore}` },
  );
  items.push({ check: 'policy_source', status: p.policySource.startsWith('registry:') || p.policySource.startsWith('file:/etc/') ? 'ok' : 'fail', detail: p.policySource });
  return { ok: items.every((i) => i.status === 'ok'), items };
}
