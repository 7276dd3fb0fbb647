/** Claim calculations (issue 6 §1, §4): pure functions over the rule profile and the dated rule tables. */
export * from './common';
export * from './rule-tables';
export * from './kodomo-reimbursement';
export * from './kokuho';
export * from './deadline';
export * from './claim-kinds';
export * from './appeal';
