/**
 * 国保 資格 (国民健康保険 被保険者資格, from the 国保 基幹 system) → central server. docs/interfaces/kokuho.md is the
 * document; its item table must equal KOKUHO_ITEMS (shared/interfaces/__tests__/docs.test.ts). One line per
 * 被保険者 and 資格 period, carrying the items of its 世帯 (世帯番号, 世帯主, 所得区分). `target`: the column of the
 * terminals' kokuho_shikaku (pulled by terminals serving 国保), or 'サーバのみ'.
 */
import type { InterfaceDefinition, ItemDefinition } from './definition';

/** 資格取得事由 (this product's code list, see docs/interfaces/kokuho.md). */
export const KOKUHO_ACQUIRE_REASONS = {
  '01': '転入',
  '02': '社会保険離脱',
  '03': '生活保護廃止',
  '04': '出生',
  '05': '後期高齢者医療離脱',
  '09': 'その他',
} as const;

/** 資格喪失事由. */
export const KOKUHO_LOSE_REASONS = {
  '01': '転出',
  '02': '社会保険加入',
  '03': '生活保護開始',
  '04': '死亡',
  '05': '後期高齢者医療移行',
  '09': 'その他',
} as const;

/** 所得区分 (the 限度額適用区分 it gives: ア–オ under 70, 現役並み/一般/低所得 from 70). */
export const KOKUHO_INCOME_CLASSES = {
  '01': '区分ア',
  '02': '区分イ',
  '03': '区分ウ',
  '04': '区分エ',
  '05': '区分オ',
  '06': '現役並みⅢ',
  '07': '現役並みⅡ',
  '08': '現役並みⅠ',
  '09': '一般',
  '10': '低所得Ⅱ',
  '11': '低所得Ⅰ',
} as const;

export const KOKUHO_ITEMS: readonly ItemDefinition[] = [
  { id: 'atena_no', name: '宛名番号', type: { kind: '宛名番号' }, required: true, target: 'atena_no' },
  { id: 'household_no', name: '世帯番号', type: { kind: '数字', max: 15 }, required: true, target: 'household_no' },
  { id: 'head_atena_no', name: '世帯主宛名番号', type: { kind: '宛名番号' }, required: true, target: 'サーバのみ' },
  { id: 'insurer_no', name: '保険者番号', type: { kind: '数字', max: 6, exact: true }, required: true, target: 'insurer_no' },
  { id: 'symbol', name: '被保険者証記号', type: { kind: '文字', max: 20 }, required: true, target: 'symbol' },
  { id: 'number', name: '被保険者証番号', type: { kind: '文字', max: 20 }, required: true, target: 'number' },
  { id: 'branch', name: '枝番', type: { kind: '数字', max: 2, exact: true }, required: true, target: 'branch' },
  { id: 'acquired_on', name: '資格取得年月日', type: { kind: '日付' }, required: true, target: 'acquired_on' },
  { id: 'acquire_reason', name: '資格取得事由', type: { kind: 'コード', codes: KOKUHO_ACQUIRE_REASONS }, required: true, target: 'acquire_reason' },
  { id: 'acquire_notified_on', name: '資格取得届出年月日', type: { kind: '日付' }, required: false, target: 'acquire_notified_on' },
  { id: 'lost_on', name: '資格喪失年月日', type: { kind: '日付' }, required: false, target: 'lost_on' },
  { id: 'lose_reason', name: '資格喪失事由', type: { kind: 'コード', codes: KOKUHO_LOSE_REASONS }, required: false, target: 'lose_reason' },
  { id: 'lose_notified_on', name: '資格喪失届出年月日', type: { kind: '日付' }, required: false, target: 'lose_notified_on' },
  { id: 'income_class', name: '所得区分', type: { kind: 'コード', codes: KOKUHO_INCOME_CLASSES }, required: false, target: 'income_class' },
];

export const KOKUHO: InterfaceDefinition = {
  id: 'KOKUHO',
  title: '国保 資格',
  doc: 'docs/interfaces/kokuho.md',
  kinds: ['FULL', 'DIFF'],
  key: ['atena_no', 'acquired_on'],
  items: KOKUHO_ITEMS,
  lineRules(v) {
    const problems: string[] = [];
    if (v.lost_on && !v.lose_reason) problems.push('項目「資格喪失事由」がありません（資格喪失年月日がある行には必須です）');
    if (!v.lost_on && (v.lose_reason || v.lose_notified_on)) problems.push('項目「資格喪失年月日」がありません（喪失事由・喪失届出年月日がある行には必須です）');
    if (v.lost_on && v.acquired_on && v.lost_on < v.acquired_on) problems.push('項目「資格喪失年月日」が資格取得年月日より前です');
    return problems;
  },
};
