/** The 監査ログの出力 screen: for those who may request an export or approve one. */
export function canExportAudit(rights: readonly string[]): boolean {
  return rights.includes('audit.export.request') || rights.includes('audit.export.approve');
}
