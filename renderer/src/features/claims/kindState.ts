import type { ClaimKind } from '../../../../shared/domain/claims';
import { isoDateOrText, isoMonthOrText } from '../../../../shared/domain/wareki';
import { parseAmount } from './format';

/**
 * What the entry form holds for each claim kind: everything as typed (strings), so nothing is lost when a
 * value is invalid. toInput turns it into the claim input the shared schema validates; blank grid rows are
 * left out and `rowMap` says which form row each input line came from (to put errors next to the cell).
 */
export type KodomoRow = {
  serviceMonth: string;
  institutionCode: string;
  institutionName: string;
  category: string;
  days: string;
  costUnit: 'yen' | 'points';
  totalCostYen: string;
  highCostBenefitYen: string;
  supplementaryBenefitYen: string;
  otherPublicYen: string;
  paidYen: string;
};
export type ChargeRow = { memberId: string; institutionCode: string; institutionName: string; category: string; totalCostYen: string; copayYen: string };

/** 交付申請 of a こども医療 受給資格: nested as the input is, so an error key ('input.insurance.number') names the field. */
export type ShikakuState = {
  acquiredOn: string;
  acquireReason: string;
  guardianId: string;
  insurance: { insurerName: string; kind: string; relation: string; symbol: string; number: string; branch: string };
  delivery: { method: string; postalCode: string; address: string; addressee: string };
};

export type KindStates = {
  kodomo_shikaku: ShikakuState;
  kodomo_shokan: { lines: KodomoRow[] };
  kokuho_ryoyohi: { costYen: string; benefitRate: string; paidOn: string };
  kokuho_kogaku: { kubun: string; serviceMonth: string; previousApplicableMonths: string; charges: ChargeRow[] };
  kokuho_shussan: { birthDate: string; childCount: string; obstetricCompensationScheme: boolean; atLeast22Weeks: boolean; directPayment: boolean; deliveryCostYen: string };
  kokuho_sousai: { funeralDate: string; mournerName: string };
  yobou_genmen: { taxStatus: string; vaccine: string };
  yobou_kyusai: { benefit: string; vaccine: string; vaccinatedOn: string; arrivedOn: string; attachments: string[] };
};
export type KindState = KindStates[ClaimKind];

export function emptyKodomoRow(serviceMonth = ''): KodomoRow {
  return { serviceMonth, institutionCode: '', institutionName: '', category: 'medical-outpatient', days: '', costUnit: 'yen', totalCostYen: '', highCostBenefitYen: '', supplementaryBenefitYen: '', otherPublicYen: '', paidYen: '' };
}
export function emptyChargeRow(memberId = ''): ChargeRow {
  return { memberId, institutionCode: '', institutionName: '', category: 'medical-outpatient', totalCostYen: '', copayYen: '' };
}

export function emptyShikaku(guardianId = ''): ShikakuState {
  return {
    acquiredOn: '',
    acquireReason: '',
    guardianId,
    insurance: { insurerName: '', kind: '', relation: '家族', symbol: '', number: '', branch: '' },
    delivery: { method: '', postalCode: '', address: '', addressee: '' },
  };
}

export function initialKindState<K extends ClaimKind>(kind: K, defaults: { memberId: string; guardianId?: string }): KindStates[K] {
  const all: KindStates = {
    kodomo_shikaku: emptyShikaku(defaults.guardianId ?? ''),
    kodomo_shokan: { lines: [emptyKodomoRow()] },
    kokuho_ryoyohi: { costYen: '', benefitRate: '', paidOn: '' },
    kokuho_kogaku: { kubun: '', serviceMonth: '', previousApplicableMonths: '', charges: [emptyChargeRow(defaults.memberId)] },
    kokuho_shussan: { birthDate: '', childCount: '1', obstetricCompensationScheme: true, atLeast22Weeks: true, directPayment: false, deliveryCostYen: '' },
    kokuho_sousai: { funeralDate: '', mournerName: '' },
    yobou_genmen: { taxStatus: '', vaccine: '' },
    yobou_kyusai: { benefit: '', vaccine: '', vaccinatedOn: '', arrivedOn: '', attachments: [] },
  };
  return all[kind];
}

const blank = (values: string[]) => values.every((v) => v.trim() === '');
export const isBlankKodomoRow = (r: KodomoRow) =>
  blank([r.institutionCode, r.institutionName, r.days, r.totalCostYen, r.highCostBenefitYen, r.supplementaryBenefitYen, r.otherPublicYen, r.paidYen]);
export const isBlankChargeRow = (r: ChargeRow) => blank([r.institutionCode, r.institutionName, r.totalCostYen, r.copayYen]);

/** Optional amounts: left out when empty (the schema's default applies). */
function opt(key: string, raw: string): Record<string, unknown> {
  const v = parseAmount(raw);
  return v === undefined ? {} : { [key]: v };
}
const req = (raw: string) => parseAmount(raw) ?? '';
const text = (raw: string) => raw.trim();

export type Names = Readonly<Record<string, string>>;

export function kodomoLineInput(r: KodomoRow): Record<string, unknown> {
  return {
    serviceMonth: isoMonthOrText(r.serviceMonth),
    institutionCode: text(r.institutionCode).normalize('NFKC'),
    institutionName: text(r.institutionName),
    category: r.category,
    days: req(r.days),
    ...opt(r.costUnit === 'points' ? 'totalPoints' : 'totalCostYen', r.totalCostYen),
    ...opt('highCostBenefitYen', r.highCostBenefitYen),
    ...opt('supplementaryBenefitYen', r.supplementaryBenefitYen),
    ...opt('otherPublicYen', r.otherPublicYen),
    paidYen: req(r.paidYen),
  };
}

export function chargeInput(c: ChargeRow, names: Names): Record<string, unknown> {
  return {
    memberId: c.memberId,
    ...(names[c.memberId] ? { memberName: names[c.memberId] } : {}),
    institutionCode: text(c.institutionCode).normalize('NFKC'),
    institutionName: text(c.institutionName),
    category: c.category,
    totalCostYen: req(c.totalCostYen),
    copayYen: req(c.copayYen),
  };
}

export function shikakuInput(v: ShikakuState): Record<string, unknown> {
  const i = v.insurance;
  const d = v.delivery;
  return {
    acquiredOn: isoDateOrText(v.acquiredOn),
    acquireReason: v.acquireReason,
    guardianId: v.guardianId,
    insurance: { insurerName: text(i.insurerName), kind: i.kind, relation: i.relation, symbol: text(i.symbol).normalize('NFKC'), number: text(i.number).normalize('NFKC'), branch: text(i.branch).normalize('NFKC') },
    delivery: d.method === '郵送' ? { method: d.method, postalCode: text(d.postalCode).normalize('NFKC'), address: text(d.address), addressee: text(d.addressee) } : { method: d.method },
  };
}

export function toInput(kind: ClaimKind, s: KindState, names: Names): { input: Record<string, unknown>; rowMap: number[] } {
  switch (kind) {
    case 'kodomo_shikaku':
      return { input: shikakuInput(s as KindStates['kodomo_shikaku']), rowMap: [] };
    case 'kodomo_shokan': {
      const rowMap: number[] = [];
      const lines = (s as KindStates['kodomo_shokan']).lines.flatMap((r, i) => {
        if (isBlankKodomoRow(r)) return [];
        rowMap.push(i);
        return [kodomoLineInput(r)];
      });
      return { input: { lines }, rowMap };
    }
    case 'kokuho_kogaku': {
      const v = s as KindStates['kokuho_kogaku'];
      const rowMap: number[] = [];
      const charges = v.charges.flatMap((c, i) => {
        if (isBlankChargeRow(c)) return [];
        rowMap.push(i);
        return [chargeInput(c, names)];
      });
      const previous = v.previousApplicableMonths.split(/[,、\s]+/u).filter(Boolean).map(isoMonthOrText);
      return { input: { kubun: v.kubun, serviceMonth: isoMonthOrText(v.serviceMonth), charges, previousApplicableMonths: previous }, rowMap };
    }
    case 'kokuho_ryoyohi': {
      const v = s as KindStates['kokuho_ryoyohi'];
      const rate = v.benefitRate.normalize('NFKC').trim();
      return { input: { costYen: req(v.costYen), paidOn: isoDateOrText(v.paidOn), ...(rate ? { benefitRate: /^\d+(\.\d+)?$/.test(rate) ? Number(rate) : rate } : {}) }, rowMap: [] };
    }
    case 'kokuho_shussan': {
      const v = s as KindStates['kokuho_shussan'];
      return {
        input: {
          birthDate: isoDateOrText(v.birthDate),
          childCount: req(v.childCount),
          obstetricCompensationScheme: v.obstetricCompensationScheme,
          atLeast22Weeks: v.atLeast22Weeks,
          directPayment: v.directPayment ? { deliveryCostYen: req(v.deliveryCostYen) } : null,
        },
        rowMap: [],
      };
    }
    case 'kokuho_sousai': {
      const v = s as KindStates['kokuho_sousai'];
      return { input: { funeralDate: isoDateOrText(v.funeralDate), mournerName: text(v.mournerName) }, rowMap: [] };
    }
    case 'yobou_genmen': {
      const v = s as KindStates['yobou_genmen'];
      return { input: { taxStatus: v.taxStatus, vaccine: v.vaccine }, rowMap: [] };
    }
    case 'yobou_kyusai': {
      const v = s as KindStates['yobou_kyusai'];
      return { input: { benefit: v.benefit, vaccine: text(v.vaccine), vaccinatedOn: isoDateOrText(v.vaccinatedOn), arrivedOn: isoDateOrText(v.arrivedOn), attachments: v.attachments }, rowMap: [] };
    }
  }
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(rec) : []);

/** A stored claim input back into the form (for a correction). */
export function fromInput(kind: ClaimKind, input: Record<string, unknown>, defaults: { memberId: string }): KindState {
  switch (kind) {
    case 'kodomo_shikaku': {
      const i = rec(input.insurance);
      const d = rec(input.delivery);
      return {
        acquiredOn: str(input.acquiredOn), acquireReason: str(input.acquireReason), guardianId: str(input.guardianId),
        insurance: { insurerName: str(i.insurerName), kind: str(i.kind), relation: str(i.relation), symbol: str(i.symbol), number: str(i.number), branch: str(i.branch) },
        delivery: { method: str(d.method), postalCode: str(d.postalCode), address: str(d.address), addressee: str(d.addressee) },
      };
    }
    case 'kodomo_shokan': {
      const lines = arr(input.lines).map((l): KodomoRow => ({
        serviceMonth: str(l.serviceMonth), institutionCode: str(l.institutionCode), institutionName: str(l.institutionName), category: str(l.category) || 'medical-outpatient',
        days: str(l.days), costUnit: l.totalPoints !== undefined ? 'points' : 'yen', totalCostYen: str(l.totalPoints ?? l.totalCostYen),
        highCostBenefitYen: str(l.highCostBenefitYen || ''), supplementaryBenefitYen: str(l.supplementaryBenefitYen || ''), otherPublicYen: str(l.otherPublicYen || ''), paidYen: str(l.paidYen),
      }));
      return { lines: lines.length ? lines : [emptyKodomoRow()] };
    }
    case 'kokuho_kogaku': {
      const charges = arr(input.charges).map((c): ChargeRow => ({ memberId: str(c.memberId), institutionCode: str(c.institutionCode), institutionName: str(c.institutionName), category: str(c.category), totalCostYen: str(c.totalCostYen), copayYen: str(c.copayYen) }));
      const prev = Array.isArray(input.previousApplicableMonths) ? input.previousApplicableMonths.map(str).join(', ') : '';
      return { kubun: str(input.kubun), serviceMonth: str(input.serviceMonth), previousApplicableMonths: prev, charges: charges.length ? charges : [emptyChargeRow(defaults.memberId)] };
    }
    case 'kokuho_ryoyohi':
      return { costYen: str(input.costYen), benefitRate: str(input.benefitRate), paidOn: str(input.paidOn) };
    case 'kokuho_shussan': {
      const d = input.directPayment ? rec(input.directPayment) : null;
      return { birthDate: str(input.birthDate), childCount: str(input.childCount), obstetricCompensationScheme: input.obstetricCompensationScheme === true, atLeast22Weeks: input.atLeast22Weeks === true, directPayment: d !== null, deliveryCostYen: str(d?.deliveryCostYen) };
    }
    case 'kokuho_sousai':
      return { funeralDate: str(input.funeralDate), mournerName: str(input.mournerName) };
    case 'yobou_genmen':
      return { taxStatus: str(input.taxStatus), vaccine: str(input.vaccine) };
    case 'yobou_kyusai':
      return { benefit: str(input.benefit), vaccine: str(input.vaccine), vaccinatedOn: str(input.vaccinatedOn), arrivedOn: str(input.arrivedOn), attachments: Array.isArray(input.attachments) ? input.attachments.map(str) : [] };
  }
}
