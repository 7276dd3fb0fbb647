/**
 * 予防接種歴 (定期接種) entered at 転入 from a copy of the 母子健康手帳, and its correction model.
 *
 * The city never deletes 接種歴 (岡山市 PIA: kept ≥5 years, corrections set a 無効 flag). So the history is
 * append-only here too: a correction marks the old entry 無効 (with reason and time) and appends the
 * corrected entry, linked both ways (replacedBy / replaces).
 *
 * The vaccine list and the number of doses per 期 are data (定期接種実施要領, the national schedule): the
 * maximum counts allow the longest schedule (e.g. ヒブ 初回 3回 when started before 7 months); fewer doses
 * are normal when started later. Age windows are not checked: doses given outside the 定期 window are still
 * history (任意接種 or 海外接種).
 */
import { z } from 'zod';
import { text } from '../text';
import { formatWareki, isValidIsoDate } from './wareki';

z.config(z.locales.ja());

export type VaccineStage = { stage: string | null; doses: number };
export type VaccineDefinition = { code: string; name: string; stages: readonly VaccineStage[] };

const DPT_LIKE: readonly VaccineStage[] = [
  { stage: '1期初回', doses: 3 },
  { stage: '1期追加', doses: 1 },
];

/** 定期接種 (A類) vaccines that appear in a 母子健康手帳, incl. older ones (三種混合, 不活化ポリオ, 単抗原). */
export const ROUTINE_VACCINES = [
  { code: 'hib', name: 'ヒブ', stages: [{ stage: '初回', doses: 3 }, { stage: '追加', doses: 1 }] },
  { code: 'pcv', name: '小児用肺炎球菌', stages: [{ stage: '初回', doses: 3 }, { stage: '追加', doses: 1 }] },
  { code: 'hepb', name: 'B型肝炎', stages: [{ stage: null, doses: 3 }] },
  { code: 'rota1', name: 'ロタウイルス（1価）', stages: [{ stage: null, doses: 2 }] },
  { code: 'rota5', name: 'ロタウイルス（5価）', stages: [{ stage: null, doses: 3 }] },
  { code: 'dpt-ipv-hib', name: '五種混合', stages: DPT_LIKE },
  { code: 'dpt-ipv', name: '四種混合', stages: DPT_LIKE },
  { code: 'dpt', name: '三種混合', stages: DPT_LIKE },
  { code: 'ipv', name: '不活化ポリオ', stages: DPT_LIKE },
  { code: 'dt', name: '二種混合', stages: [{ stage: '2期', doses: 1 }] },
  { code: 'bcg', name: 'BCG', stages: [{ stage: null, doses: 1 }] },
  { code: 'mr', name: 'MR（麻しん風しん混合）', stages: [{ stage: '1期', doses: 1 }, { stage: '2期', doses: 1 }] },
  { code: 'measles', name: '麻しん', stages: [{ stage: '1期', doses: 1 }, { stage: '2期', doses: 1 }] },
  { code: 'rubella', name: '風しん', stages: [{ stage: '1期', doses: 1 }, { stage: '2期', doses: 1 }] },
  { code: 'varicella', name: '水痘', stages: [{ stage: null, doses: 2 }] },
  {
    code: 'je',
    name: '日本脳炎',
    stages: [{ stage: '1期初回', doses: 2 }, { stage: '1期追加', doses: 1 }, { stage: '2期', doses: 1 }],
  },
  { code: 'hpv', name: 'HPV（ヒトパピローマウイルス感染症）', stages: [{ stage: null, doses: 3 }] },
] as const satisfies readonly VaccineDefinition[];

export type VaccineCode = (typeof ROUTINE_VACCINES)[number]['code'];
export const VACCINE_CODES = ROUTINE_VACCINES.map((v) => v.code) as [VaccineCode, ...VaccineCode[]];

export function vaccineByCode(code: string): VaccineDefinition | undefined {
  return (ROUTINE_VACCINES as readonly VaccineDefinition[]).find((v) => v.code === code);
}

/** 「1期初回1回目」, 「初回2回目」, 「1回目」. */
export function doseLabel(stage: string | null, doseNumber: number): string {
  return `${stage ?? ''}${doseNumber}回目`;
}

function dateText(iso: string): string {
  try {
    return formatWareki(iso);
  } catch {
    return iso;
  }
}

const isoDate = (label: string) =>
  z.string(`${label}を入力してください`).refine(isValidIsoDate, `${label}は正しい年月日で入力してください（例: 2026-04-01）`);

/** One entry as staff type it from the 手帳. */
export const vaccinationEntrySchema = z
  .object({
    id: text({ label: 'ID', min: 1, max: 64, requiredMessage: 'IDがありません' }),
    vaccine: z.enum(VACCINE_CODES, 'ワクチンを一覧から選択してください'),
    /** 期 / 区分 (「1期初回」「追加」…), null for vaccines without one (BCG, 水痘, B型肝炎, ロタ, HPV). */
    stage: text({ label: '期', max: 20 }).nullable(),
    /** 回 within the stage, from 1. */
    doseNumber: z.number('回数を入力してください').int('回数は整数で入力してください').min(1, '回数は1以上です'),
    administeredOn: isoDate('接種日'),
    lotNumber: text({ label: 'ロット番号', max: 30, tooLongMessage: 'ロット番号は30文字以内です' }).nullable(),
    institution: text({ label: '医療機関', min: 1, max: 100, tooLongMessage: '医療機関は100文字以内です' }),
    /** 海外接種: given abroad (institution is then the foreign clinic as written). */
    overseas: z.boolean(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const v = vaccineByCode(e.vaccine);
    if (!v) return;
    const stage = v.stages.find((s) => s.stage === e.stage);
    if (!stage) {
      const choices = v.stages.map((s) => s.stage).filter((s): s is string => s !== null);
      ctx.addIssue({
        code: 'custom',
        path: ['stage'],
        message:
          choices.length === 0
            ? `${v.name}には期の区分がありません（回数のみ入力してください）`
            : `${v.name}の期・区分は${choices.map((c) => `「${c}」`).join('・')}から選択してください`,
      });
      return;
    }
    if (e.doseNumber > stage.doses) {
      ctx.addIssue({
        code: 'custom',
        path: ['doseNumber'],
        message: `${v.name}${stage.stage ? `の${stage.stage}` : ''}は${stage.doses}回までです（${e.doseNumber}回目は登録できません）`,
      });
    }
  });

export type VaccinationEntry = z.output<typeof vaccinationEntrySchema>;

/** A stored entry: never deleted, only marked 無効. */
export type VaccinationRecord = VaccinationEntry & {
  invalid: boolean;
  invalidatedReason: string | null;
  invalidatedAt: string | null;
  /** The entry this one corrects, and the entry that corrected this one. */
  replaces: string | null;
  replacedBy: string | null;
};

export type VaccinationContext = {
  /** The resident's 生年月日 (YYYY-MM-DD). */
  birthDate: string;
  /** Today in Japan (YYYY-MM-DD). */
  today: string;
  /** The resident's history: a valid entry for the same vaccine, 期 and 回 is refused as a duplicate. */
  history?: readonly VaccinationRecord[];
};

export type FieldError = { path: string; message: string };
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function activeEntries(history: readonly VaccinationRecord[]): VaccinationRecord[] {
  return history.filter((r) => !r.invalid);
}

/** The schema, then: not before birth, not in the future, not a second valid record of the same dose. */
export function validateVaccinationEntry(entry: unknown, ctx: VaccinationContext): ValidationResult<VaccinationEntry> {
  const parsed = vaccinationEntrySchema.safeParse(entry);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const e = parsed.data;
  const errors: FieldError[] = [];
  if (isValidIsoDate(ctx.birthDate) && e.administeredOn < ctx.birthDate) {
    errors.push({
      path: 'administeredOn',
      message: `接種日（${dateText(e.administeredOn)}）が生年月日（${dateText(ctx.birthDate)}）より前です`,
    });
  }
  if (isValidIsoDate(ctx.today) && e.administeredOn > ctx.today) {
    errors.push({
      path: 'administeredOn',
      message: `接種日（${dateText(e.administeredOn)}）が未来の日付です（本日は${dateText(ctx.today)}）`,
    });
  }
  const history = ctx.history ?? [];
  if (history.some((r) => r.id === e.id)) {
    errors.push({ path: 'id', message: '同じIDの接種歴が既にあります' });
  }
  const duplicate = activeEntries(history).find(
    (r) => r.id !== e.id && r.vaccine === e.vaccine && r.stage === e.stage && r.doseNumber === e.doseNumber,
  );
  if (duplicate) {
    const name = vaccineByCode(e.vaccine)?.name ?? e.vaccine;
    errors.push({
      path: 'doseNumber',
      message: `${name} ${doseLabel(e.stage, e.doseNumber)}は既に登録されています（${dateText(duplicate.administeredOn)}接種。誤りを直す場合は訂正してください）`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: e };
}

function newRecord(e: VaccinationEntry, replaces: string | null): VaccinationRecord {
  return { ...e, invalid: false, invalidatedReason: null, invalidatedAt: null, replaces, replacedBy: null };
}

export type HistoryResult = { ok: true; history: VaccinationRecord[] } | { ok: false; errors: FieldError[] };

/** Validates a new entry and appends it. The input array is not modified. */
export function addEntry(history: readonly VaccinationRecord[], entry: unknown, ctx: Omit<VaccinationContext, 'history'>): HistoryResult {
  const r = validateVaccinationEntry(entry, { ...ctx, history });
  if (!r.ok) return r;
  return { ok: true, history: [...history, newRecord(r.value, null)] };
}

/**
 * Corrects entry `entryId`: the old entry stays in the history marked 無効 (invalidatedReason, invalidatedAt,
 * replacedBy), and `replacement` (validated like a new entry; the superseded entry does not count as a
 * duplicate) is appended with `replaces`. The history grows by one; nothing is removed. `at` is the time
 * of the correction (ISO 8601), passed in so the function stays pure.
 */
export function correctEntry(
  history: readonly VaccinationRecord[],
  entryId: string,
  replacement: unknown,
  reason: string,
  opts: Omit<VaccinationContext, 'history'> & { at: string },
): HistoryResult {
  const why = String(reason ?? '').trim();
  if (why.length === 0) return { ok: false, errors: [{ path: 'reason', message: '訂正理由を入力してください' }] };
  if (!opts.at) return { ok: false, errors: [{ path: 'at', message: '訂正日時がありません' }] };
  const old = history.find((r) => r.id === entryId);
  if (!old) return { ok: false, errors: [{ path: 'entryId', message: '訂正する接種歴が見つかりません' }] };
  if (old.invalid) {
    return { ok: false, errors: [{ path: 'entryId', message: 'この接種歴は既に無効です（訂正後の記録を訂正してください）' }] };
  }
  const others = history.filter((r) => r.id !== entryId);
  const checked = validateVaccinationEntry(replacement, { birthDate: opts.birthDate, today: opts.today, history: others });
  if (!checked.ok) return checked;
  if (checked.value.id === entryId) {
    return { ok: false, errors: [{ path: 'id', message: '訂正後の接種歴には新しいIDが必要です' }] };
  }
  const next = history.map((r) =>
    r.id === entryId ? { ...r, invalid: true, invalidatedReason: why, invalidatedAt: opts.at, replacedBy: checked.value.id } : r,
  );
  return { ok: true, history: [...next, newRecord(checked.value, entryId)] };
}
