/** 監査ログ (review, export requests and approvals): what the rest of the renderer may use. */
export { AuditReviewScreen } from './AuditReviewScreen';
export { AuditExportScreen } from './AuditExportScreen';
