import { describe, it, expect } from 'vitest';
import { checkIdentity, DEFAULT_IDENTITY_RULES, ID_DOCUMENTS } from '../identity-check';

const allConfirmed = { name: true, birthDate: true, sex: true, address: true };
const self = (documents: string[], confirmed = allConfirmed) => ({ presenter: '本人', documents, agent: null, confirmed });
const byAgent = (agent: { powerOfAttorney: boolean; documents: string[] } | null, documents: string[] = ['通知カード']) => ({
  presenter: '代理人',
  documents,
  agent,
  confirmed: allConfirmed,
});
const messages = (r: ReturnType<typeof checkIdentity>) => (r.ok ? [] : r.errors.map((e) => e.message));

describe('checkIdentity: the person themself', () => {
  it('accepts the 個人番号カード alone', () => {
    expect(checkIdentity(self(['個人番号カード']))).toMatchObject({ ok: true, method: '個人番号カード' });
  });

  it('accepts the 通知カード with one photo ID', () => {
    expect(checkIdentity(self(['通知カード', '運転免許証']))).toMatchObject({ ok: true, method: '通知カード＋写真付き本人確認書類' });
    expect(checkIdentity(self(['個人番号付き住民票の写し', '旅券'])).ok).toBe(true);
  });

  it('accepts the 通知カード with two non-photo IDs (熊本 rule) and refuses it when the municipality does not allow it', () => {
    const docs = ['通知カード', '健康保険の資格確認書', '年金手帳・基礎年金番号通知書'];
    expect(checkIdentity(self(docs))).toMatchObject({ ok: true, method: '通知カード＋写真のない本人確認書類2点' });
    const strict = { ...DEFAULT_IDENTITY_RULES, allowTwoNonPhotoIds: false };
    expect(messages(checkIdentity(self(docs), strict))).toEqual(['本人の写真付き本人確認書類（運転免許証、旅券など）が必要です']);
  });

  it('refuses the 通知カード alone or with one non-photo ID, saying what is missing', () => {
    expect(messages(checkIdentity(self(['通知カード'])))).toEqual([
      '本人の本人確認書類がありません（写真付きのもの1点、又は写真のないもの2点が必要です）',
    ]);
    expect(messages(checkIdentity(self(['通知カード', '介護保険被保険者証'])))).toEqual([
      '本人の本人確認書類が不足しています（写真のない書類は2点必要です。もう1点、又は写真付きのもの1点を確認してください）',
    ]);
  });

  it('does not count the same kind of document twice', () => {
    expect(checkIdentity(self(['通知カード', '医療受給者証', '医療受給者証'])).ok).toBe(false);
  });

  it('refuses a photo ID without a 番号確認 document, unless the claim carries no 個人番号', () => {
    expect(messages(checkIdentity(self(['運転免許証'])))).toEqual([
      '個人番号の確認書類（個人番号カード、通知カード又は個人番号付き住民票の写し）がありません',
    ]);
    expect(checkIdentity(self(['運転免許証']), { ...DEFAULT_IDENTITY_RULES, requireNumberCheck: false })).toMatchObject({ ok: true });
  });

  it('requires all four confirmations against the record', () => {
    const r = checkIdentity(self(['個人番号カード'], { name: true, birthDate: false, sex: true, address: false }));
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: 'confirmed.birthDate', message: '生年月日が住民記録と一致することを確認してください' },
        { path: 'confirmed.address', message: '住所が住民記録と一致することを確認してください' },
      ],
    });
    for (const key of Object.keys(allConfirmed)) {
      expect(checkIdentity(self(['個人番号カード'], { ...allConfirmed, [key]: false })).ok).toBe(false);
    }
  });

  it('refuses agent details when the person came themself', () => {
    const r = checkIdentity({ ...self(['個人番号カード']), agent: { powerOfAttorney: true, documents: ['旅券'] } });
    expect(messages(r)).toEqual(['本人が来庁した場合、代理人の情報は入力しません']);
  });
});

describe('checkIdentity: an agent', () => {
  it('accepts a 委任状 with the agent’s photo ID and the principal’s number document', () => {
    expect(checkIdentity(byAgent({ powerOfAttorney: true, documents: ['運転免許証'] }))).toMatchObject({
      ok: true,
      method: '委任状＋代理人の写真付き本人確認書類',
    });
    expect(checkIdentity(byAgent({ powerOfAttorney: true, documents: ['個人番号カード'] }, ['個人番号カード'])).ok).toBe(true);
  });

  it('refuses without 委任状, without the agent’s ID, and without the principal’s number document — all at once', () => {
    expect(messages(checkIdentity(byAgent({ powerOfAttorney: false, documents: [] }, [])))).toEqual([
      '委任状がありません（代理人による申請には委任状が必要です）',
      '代理人の本人確認書類がありません（写真付きのもの1点、又は写真のないもの2点が必要です）',
      '本人の個人番号の確認書類（個人番号カード、通知カード又は個人番号付き住民票の写し。写しでも可）がありません',
    ]);
  });

  it('refuses an agent without agent details', () => {
    expect(messages(checkIdentity(byAgent(null)))).toEqual(['代理人の委任状と本人確認書類を入力してください']);
  });

  it('does not accept the principal’s documents as the agent’s identity', () => {
    const r = checkIdentity(byAgent({ powerOfAttorney: true, documents: [] }, ['個人番号カード', '運転免許証']));
    expect(r.ok).toBe(false);
  });
});

describe('identity check schema', () => {
  it('refuses unknown document kinds and malformed input in Japanese', () => {
    const r = checkIdentity(self(['図書館カード']));
    expect(r).toEqual({ ok: false, errors: [{ path: 'documents.0', message: '本人確認書類の種類を一覧から選択してください' }] });
    const r2 = checkIdentity({ presenter: '家族', documents: [], agent: null, confirmed: allConfirmed });
    expect(messages(r2)).toEqual(['来庁者（本人・代理人）を選択してください']);
    expect(checkIdentity(null).ok).toBe(false);
  });
  it('classifies every document exactly once', () => {
    const kinds = ID_DOCUMENTS.map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(ID_DOCUMENTS.find((d) => d.kind === '通知カード')?.category).toBe('number-only');
  });
});
