/**
 * 本人確認 at intake (番号法16条 and its 施行規則): which documents were seen, and whether they suffice.
 *
 * Two checks, each from the documents seen:
 *  - 番号確認 (the 個人番号 is right): 個人番号カード, or 通知カード (記載事項が住民票と一致する場合), or a
 *    住民票の写し with the 個人番号.
 *  - 身元確認 (the person is who they say): 個人番号カード alone, or one photo ID issued by an authority,
 *    or — where the municipality allows it (熊本市 PIA: 写真付き1点 or 写真なし2点) — two non-photo IDs.
 *    The 通知カード is not an identity document.
 * An agent (代理人) brings a 委任状 and their own identity documents (same 身元確認 rule); the principal's
 * 番号確認 document may be a copy. Finally 氏名・生年月日・性別・住所 must each have been confirmed against
 * the resident record. Only document kinds are recorded, never their numbers.
 */
import { z } from 'zod';

z.config(z.locales.ja());

type DocumentCategory = 'mynumber-card' | 'number-only' | 'photo' | 'non-photo';

/** Document kinds as data: what each one proves. */
export const ID_DOCUMENTS = [
  { kind: '個人番号カード', category: 'mynumber-card' },
  { kind: '通知カード', category: 'number-only' },
  { kind: '個人番号付き住民票の写し', category: 'number-only' },
  { kind: '運転免許証', category: 'photo' },
  { kind: '運転経歴証明書', category: 'photo' },
  { kind: '旅券', category: 'photo' },
  { kind: '在留カード', category: 'photo' },
  { kind: '特別永住者証明書', category: 'photo' },
  { kind: '身体障害者手帳', category: 'photo' },
  { kind: '精神障害者保健福祉手帳', category: 'photo' },
  { kind: '療育手帳', category: 'photo' },
  { kind: '健康保険の資格確認書', category: 'non-photo' },
  { kind: '年金手帳・基礎年金番号通知書', category: 'non-photo' },
  { kind: '介護保険被保険者証', category: 'non-photo' },
  { kind: '医療受給者証', category: 'non-photo' },
  { kind: '児童扶養手当証書', category: 'non-photo' },
  { kind: '写真付き学生証・社員証', category: 'non-photo' },
] as const satisfies readonly { kind: string; category: DocumentCategory }[];

export type IdDocumentKind = (typeof ID_DOCUMENTS)[number]['kind'];
const DOCUMENT_KINDS = ID_DOCUMENTS.map((d) => d.kind) as [IdDocumentKind, ...IdDocumentKind[]];
const CATEGORY = new Map<string, DocumentCategory>(ID_DOCUMENTS.map((d) => [d.kind, d.category]));

export type IdentityRules = {
  /** 番号確認 needed (the application carries a 個人番号). */
  requireNumberCheck: boolean;
  /** Two non-photo IDs may replace one photo ID (熊本市: yes). */
  allowTwoNonPhotoIds: boolean;
};
export const DEFAULT_IDENTITY_RULES: IdentityRules = { requireNumberCheck: true, allowTwoNonPhotoIds: true };

const documentList = z.array(z.enum(DOCUMENT_KINDS, '本人確認書類の種類を一覧から選択してください')).max(10);

export const CONFIRMATION_LABELS = { name: '氏名', birthDate: '生年月日', sex: '性別', address: '住所' } as const;

export const identityCheckSchema = z
  .object({
    presenter: z.enum(['本人', '代理人'], '来庁者（本人・代理人）を選択してください'),
    /** Documents of the person concerned (for an agent: the principal's 番号確認 document, a copy is enough). */
    documents: documentList,
    /** Only when presenter is 代理人. */
    agent: z
      .object({
        /** 委任状 seen. */
        powerOfAttorney: z.boolean(),
        /** The agent's own identity documents. */
        documents: documentList,
      })
      .strict()
      .nullable(),
    /** Checked against the resident record, each one. */
    confirmed: z
      .object({ name: z.boolean(), birthDate: z.boolean(), sex: z.boolean(), address: z.boolean() })
      .strict(),
  })
  .strict();

export type IdentityCheckInput = z.output<typeof identityCheckSchema>;
export type FieldError = { path: string; message: string };
export type IdentityCheckResult = { ok: true; value: IdentityCheckInput; method: string } | { ok: false; errors: FieldError[] };

const NUMBER_DOCS_TEXT = '個人番号カード、通知カード又は個人番号付き住民票の写し';

function counts(docs: readonly string[]): Record<DocumentCategory, number> {
  const c: Record<DocumentCategory, number> = { 'mynumber-card': 0, 'number-only': 0, photo: 0, 'non-photo': 0 };
  for (const kind of new Set(docs)) {
    const cat = CATEGORY.get(kind);
    if (cat) c[cat]++;
  }
  return c;
}

/** 身元確認 from documents: how it is satisfied, or what is missing (`who`: 「本人」「代理人」). */
function identityProof(docs: readonly string[], rules: IdentityRules, who: string): { method: string } | { missing: string } {
  const c = counts(docs);
  if (c['mynumber-card'] > 0) return { method: '個人番号カード' };
  if (c.photo > 0) return { method: '写真付き本人確認書類' };
  if (rules.allowTwoNonPhotoIds && c['non-photo'] >= 2) return { method: '写真のない本人確認書類2点' };
  if (!rules.allowTwoNonPhotoIds) return { missing: `${who}の写真付き本人確認書類（運転免許証、旅券など）が必要です` };
  if (c['non-photo'] === 1) {
    return { missing: `${who}の本人確認書類が不足しています（写真のない書類は2点必要です。もう1点、又は写真付きのもの1点を確認してください）` };
  }
  return { missing: `${who}の本人確認書類がありません（写真付きのもの1点、又は写真のないもの2点が必要です）` };
}

function hasNumberProof(docs: readonly string[]): boolean {
  const c = counts(docs);
  return c['mynumber-card'] > 0 || c['number-only'] > 0;
}

/**
 * The structure, then the rules. All missing items are reported at once, each with a Japanese message
 * saying what is missing; `method` describes how identity was established (for the audit entry).
 */
export function checkIdentity(input: unknown, rules: IdentityRules = DEFAULT_IDENTITY_RULES): IdentityCheckResult {
  const parsed = identityCheckSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const v = parsed.data;
  const errors: FieldError[] = [];
  const methods: string[] = [];

  if (v.presenter === '本人') {
    if (v.agent) errors.push({ path: 'agent', message: '本人が来庁した場合、代理人の情報は入力しません' });
    if (rules.requireNumberCheck && !hasNumberProof(v.documents)) {
      errors.push({ path: 'documents', message: `個人番号の確認書類（${NUMBER_DOCS_TEXT}）がありません` });
    }
    const id = identityProof(v.documents, rules, '本人');
    if ('missing' in id) errors.push({ path: 'documents', message: id.missing });
    else methods.push(id.method);
    if (rules.requireNumberCheck && counts(v.documents)['mynumber-card'] === 0 && hasNumberProof(v.documents)) {
      methods.unshift(v.documents.includes('通知カード') ? '通知カード' : '個人番号付き住民票の写し');
    }
  } else if (!v.agent) {
    errors.push({ path: 'agent', message: '代理人の委任状と本人確認書類を入力してください' });
  } else {
    if (!v.agent.powerOfAttorney) errors.push({ path: 'agent.powerOfAttorney', message: '委任状がありません（代理人による申請には委任状が必要です）' });
    const id = identityProof(v.agent.documents, rules, '代理人');
    if ('missing' in id) errors.push({ path: 'agent.documents', message: id.missing });
    else methods.push(`委任状＋代理人の${id.method}`);
    if (rules.requireNumberCheck && !hasNumberProof(v.documents)) {
      errors.push({ path: 'documents', message: `本人の個人番号の確認書類（${NUMBER_DOCS_TEXT}。写しでも可）がありません` });
    }
  }

  for (const key of Object.keys(CONFIRMATION_LABELS) as (keyof typeof CONFIRMATION_LABELS)[]) {
    if (!v.confirmed[key]) {
      errors.push({ path: `confirmed.${key}`, message: `${CONFIRMATION_LABELS[key]}が住民記録と一致することを確認してください` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: v, method: methods.join('＋') };
}
