/** 生活保護（医療扶助・介護扶助）: the 給付券 rules, the numbers and the flows. Pure: zod and shared/ only. */
export * from './numbers';
export * from './ticket';
export * from './flows';
export * from './jukyu';
export * from './step-proof';
