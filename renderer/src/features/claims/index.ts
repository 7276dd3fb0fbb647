/** 請求 (受付, 二重チェック, 決裁, 通知書) and 接種歴: what the rest of the renderer may use. */
export { ClaimQueueScreen } from './ClaimQueueScreen';
export { ClaimEntryScreen } from './ClaimEntryScreen';
export { ClaimDetailScreen } from './ClaimDetailScreen';
export { NoticeScreen } from './NoticeScreen';
/** On the resident's screen: their claims and 接種歴. */
export { ResidentClaims } from './ResidentClaims';
export { VaccinationSection } from './VaccinationSection';
/** The 受給資格's 主保険 and 交付方法 in words (the resident screen shows the 資格 the 交付申請 made). */
export { deliveryText, insuranceText } from './shikakuText';
