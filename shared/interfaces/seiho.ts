/**
 * 保護受給 (生活保護 system → central server): the 保護 of each 世帯員 of a case, with its 開始/変更/廃止 and the
 * 扶助 it includes. docs/interfaces/seiho.md is the document; shared/interfaces/__tests__/seiho.test.ts checks its
 * item table against SEIHO_ITEMS. Registered in shared/interfaces/index.ts; server/import/import.ts applies it with
 * applySeiho (server table seiho_jukyu, entities 'seiho_jukyu' scoped to the 事務 seikatsu).
 */
import type { InterfaceDefinition, ItemDefinition } from './definition';

/** 扶助の種類 (this product's code list; the 生活保護法 第11条 order). */
export const SEIHO_AID_KINDS = {
  '01': '生活扶助',
  '02': '教育扶助',
  '03': '住宅扶助',
  '04': '医療扶助',
  '05': '介護扶助',
  '06': '出産扶助',
  '07': '生業扶助',
  '08': '葬祭扶助',
} as const;

/** 異動事由 of a line. */
export const SEIHO_CHANGE_REASONS = {
  '00': '全件（初期移行）',
  '11': '保護開始',
  '21': '保護変更',
  '22': '世帯員の増',
  '23': '世帯員の減',
  '24': '地区担当員の変更',
  '31': '保護廃止',
  '32': '保護停止',
} as const;

export const SEIHO_ITEMS: readonly ItemDefinition[] = [
  { id: 'case_no', name: 'ケース番号', type: { kind: '数字', max: 10 }, required: true, target: 'case_no' },
  { id: 'atena_no', name: '宛名番号', type: { kind: '宛名番号' }, required: true, target: 'atena_no' },
  { id: 'household_no', name: '世帯番号', type: { kind: '数字', max: 15 }, required: true, target: 'household_no' },
  { id: 'head_flag', name: '世帯主区分', type: { kind: 'コード', codes: { '1': '世帯主', '2': '世帯員' } }, required: true, target: 'head_flag' },
  { id: 'started_on', name: '保護開始年月日', type: { kind: '日付' }, required: true, target: 'started_on' },
  { id: 'changed_on', name: '保護変更年月日', type: { kind: '日付' }, required: false, target: 'changed_on' },
  { id: 'ended_on', name: '保護廃止年月日', type: { kind: '日付' }, required: false, target: 'ended_on' },
  { id: 'change_reason', name: '異動事由', type: { kind: 'コード', codes: SEIHO_CHANGE_REASONS }, required: true, target: 'change_reason' },
  { id: 'caseworker', name: '地区担当員', type: { kind: '文字', max: 32 }, required: true, target: 'caseworker' },
  { id: 'aid_kinds', name: '扶助の種類', type: { kind: '文字', max: 24 }, required: true, target: 'aid_kinds' },
  { id: 'office_code', name: '福祉事務所コード', type: { kind: '数字', max: 6 }, required: true, target: 'サーバのみ' },
];

/** The 扶助 codes of an `aid_kinds` value ('04 05' → ['04', '05']): space-separated two-digit codes of SEIHO_AID_KINDS. */
export function aidKindsOf(v: string): string[] {
  return v.split(' ').filter((s) => s !== '');
}

export const SEIHO: InterfaceDefinition = {
  id: 'SEIHO',
  title: '保護受給',
  doc: 'docs/interfaces/seiho.md',
  kinds: ['FULL', 'DIFF'],
  key: ['case_no', 'atena_no', 'started_on'],
  items: SEIHO_ITEMS,
  lineRules(v, kind) {
    const problems: string[] = [];
    const aid = aidKindsOf(v.aid_kinds ?? '');
    const unknown = aid.filter((c) => !Object.hasOwn(SEIHO_AID_KINDS, c));
    if (aid.length === 0 || unknown.length) problems.push(`項目「扶助の種類」は空白区切りの2桁コードです（使えるコード: ${Object.keys(SEIHO_AID_KINDS).join('、')}）`);
    else if (new Set(aid).size !== aid.length) problems.push('項目「扶助の種類」に同じコードが重複しています');
    if (!/^[A-Za-z0-9]{3,32}$/.test(v.caseworker ?? '')) problems.push('項目「地区担当員」は職員ID（英数字3〜32文字）です');
    if (v.ended_on && v.started_on && v.ended_on <= v.started_on) problems.push('項目「保護廃止年月日」が保護開始年月日より後ではありません');
    if (v.changed_on && v.started_on && v.changed_on < v.started_on) problems.push('項目「保護変更年月日」が保護開始年月日より前です');
    if (v.changed_on && v.ended_on && v.changed_on > v.ended_on) problems.push('項目「保護変更年月日」が保護廃止年月日より後です');
    const reason = v.change_reason ?? '';
    if ((reason === '31') !== Boolean(v.ended_on) && reason !== '00') {
      problems.push(reason === '31' ? '項目「保護廃止年月日」がありません（異動事由が保護廃止の行には必須です）' : '項目「異動事由」が保護廃止ではありません（保護廃止年月日がある行は保護廃止です）');
    }
    if (['21', '22', '23', '24'].includes(reason) && !v.changed_on) problems.push('項目「保護変更年月日」がありません（異動事由が変更の行には必須です）');
    if (kind === 'FULL' && reason !== '00') problems.push('項目「異動事由」は全件ファイルでは00（全件）です');
    if (kind === 'DIFF' && reason === '00') problems.push('項目「異動事由」の00（全件）は全件ファイルだけで使います');
    return problems;
  },
};
