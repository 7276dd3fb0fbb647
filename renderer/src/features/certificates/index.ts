/** 証 of every type (交付, 印刷, 交付履歴, 回収, 一斉発送): what the rest of the renderer may use. */
export { IssueCertificateScreen } from './IssueCertificateScreen';
export { CertificatePreviewScreen } from './CertificatePreviewScreen';
export { LifecycleScreen } from './LifecycleScreen';
export { RecallListScreen } from './RecallListScreen';
export { RecallNoticeScreen } from './RecallNoticeScreen';
export { MailingScreen } from './MailingScreen';
/** On the resident's screen: the types this member of staff may issue, and the history. */
export { CertificateSection } from './CertificateSection';
/** Whether the 一斉発送 menu is shown. */
export { mailableTypes } from './model';
