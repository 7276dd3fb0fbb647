/** Codes and labels for resident records (住民記録). */
export const SEX_CODES = ['1', '2', '9'] as const;
export type SexCode = (typeof SEX_CODES)[number];
export const SEX_LABELS: Record<SexCode, string> = { '1': '男', '2': '女', '9': '不明' };

/** 処理事由: why a member of staff opened a record or revealed a 個人番号. */
export const ACCESS_REASONS = ['窓口申請', '電話照会', '審査', '郵送申請', '職権処理'] as const;
export type AccessReason = (typeof ACCESS_REASONS)[number];

/** 再交付の事由 (every certificate type). */
export const REISSUE_REASONS = ['紛失', '破損', '記載事項変更'] as const;
export type ReissueReason = (typeof REISSUE_REASONS)[number];

/** 宛名番号: the municipality's internal resident number (digits, up to 15). */
export const ATENA_NO_PATTERN = /^[0-9]{1,15}$/;
