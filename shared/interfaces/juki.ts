/**
 * 住民記録 (住基) → 窓口端末: the initial full load (全件) and the daily changes (異動). docs/interfaces/juki.md is
 * the document; its item table must equal JUKI_ITEMS (shared/interfaces/__tests__/docs.test.ts).
 */
import { SEX_LABELS } from '../domain/resident';
import type { InterfaceDefinition, ItemDefinition } from './definition';

/** 異動事由 (this product's code list; see docs/interfaces/juki.md for why it is not the standard's). */
export const JUKI_IDO_REASONS = {
  '00': '全件（初期移行）',
  '11': '転入',
  '12': '出生',
  '13': '職権記載',
  '21': '転居',
  '22': '世帯変更',
  '23': '記載事項変更',
  '24': '個人番号変更',
  '25': '支援措置変更',
  '31': '転出',
  '32': '死亡',
  '33': '職権消除',
  '34': '国外転出',
} as const;

/** 異動事由 that take a person off the 住民票 (消除). */
export const JUKI_REMOVAL_REASONS: readonly string[] = ['31', '32', '33', '34'];

export const JUKI_ITEMS: readonly ItemDefinition[] = [
  { id: 'atena_no', name: '宛名番号', type: { kind: '宛名番号' }, required: true, target: 'atena_no' },
  { id: 'household_no', name: '世帯番号', type: { kind: '数字', max: 15 }, required: true, target: 'household_no' },
  { id: 'relationship', name: '続柄', type: { kind: '文字', max: 20 }, required: true, target: 'サーバのみ' },
  { id: 'name', name: '氏名', type: { kind: '文字', max: 100 }, required: true, target: 'name_kanji' },
  { id: 'name_kana', name: '氏名_フリガナ', type: { kind: 'カナ', max: 100 }, required: true, target: 'name_kana, name_kana_key' },
  { id: 'alias_name', name: '通称', type: { kind: '文字', max: 100 }, required: false, target: 'alias_name' },
  { id: 'true_name', name: '本名（外国人住民）', type: { kind: '文字', max: 100 }, required: false, target: 'サーバのみ' },
  { id: 'birth_date', name: '生年月日', type: { kind: '日付' }, required: true, target: 'birth_date' },
  { id: 'sex', name: '性別', type: { kind: 'コード', codes: SEX_LABELS }, required: true, target: 'sex' },
  { id: 'postal_code', name: '郵便番号', type: { kind: '数字', max: 7, exact: true }, required: true, target: 'postal_code' },
  { id: 'address', name: '住所', type: { kind: '文字', max: 200 }, required: true, target: 'address' },
  { id: 'katagaki', name: '方書', type: { kind: '文字', max: 100 }, required: false, target: 'katagaki' },
  { id: 'became_resident_on', name: '住民となった年月日', type: { kind: '日付' }, required: true, target: 'サーバのみ' },
  { id: 'ido_reason', name: '異動事由', type: { kind: 'コード', codes: JUKI_IDO_REASONS }, required: true, target: 'サーバのみ' },
  { id: 'ido_date', name: '異動年月日', type: { kind: '日付' }, required: true, target: 'サーバのみ' },
  { id: 'notified_on', name: '届出年月日', type: { kind: '日付' }, required: false, target: 'サーバのみ' },
  { id: 'removed', name: '消除区分', type: { kind: 'コード', codes: { '0': '記載', '1': '消除' } }, required: true, target: '削除（tombstone）' },
  { id: 'removed_on', name: '消除年月日', type: { kind: '日付' }, required: false, target: 'サーバのみ' },
  { id: 'dv_support', name: '支援措置対象', type: { kind: 'コード', codes: { '0': '対象外', '1': '対象（DV等支援措置）' } }, required: true, target: 'dv_support' },
  { id: 'my_number', name: '個人番号', type: { kind: '個人番号' }, required: false, target: 'my_number' },
];

export const JUKI: InterfaceDefinition = {
  id: 'JUKI',
  title: '住民記録',
  doc: 'docs/interfaces/juki.md',
  kinds: ['FULL', 'DIFF'],
  key: ['atena_no'],
  items: JUKI_ITEMS,
  lineRules(v, kind) {
    const problems: string[] = [];
    const removal = typeof v.ido_reason === 'string' && JUKI_REMOVAL_REASONS.includes(v.ido_reason);
    if (v.removed === '1' && !v.removed_on) problems.push('項目「消除年月日」がありません（消除区分が消除の行には必須です）');
    if (v.removed === '0' && v.removed_on) problems.push('項目「消除年月日」は消除区分が消除の行にだけ書きます');
    if (removal && v.removed !== '1') problems.push('項目「消除区分」が消除ではありません（異動事由が転出・死亡・消除です）');
    if (kind === 'DIFF' && v.ido_reason === '00') problems.push('項目「異動事由」の「00 全件」は全件ファイルにだけ使えます');
    if (v.birth_date && v.became_resident_on && v.became_resident_on < v.birth_date) problems.push('項目「住民となった年月日」が生年月日より前です');
    if (v.birth_date && v.ido_date && v.ido_date < v.birth_date) problems.push('項目「異動年月日」が生年月日より前です');
    return problems;
  },
};
