/**
 * 教示 of a claim decision (行政不服審査法 §82, 行政事件訴訟法 §46): where and within what time a 審査請求 may be
 * made, and the 取消訴訟 (within 6 months, the municipality as defendant, represented by its head). The body a
 * 審査請求 goes to depends on the 事務:
 * - 国保 (保険給付に関する処分): the prefecture's 国民健康保険審査会 (国民健康保険法 §91); a 取消訴訟 only after its
 *   裁決 (§103, 審査請求前置), within 6 months of learning of the 裁決.
 * - 予防接種 健康被害救済 (法定受託事務): the prefecture's governor (地方自治法 §255-2).
 * - こども医療費, 予防接種 B類自己負担金減免 (the municipality's own 事務): the head of the municipality.
 */
import type { ClaimKind } from './claim-kinds';

const PREFECTURES = [
  '北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県', '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県',
  '石川県', '福井県', '山梨県', '長野県', '岐阜県', '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県', '鳥取県', '島根県',
  '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県', '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県',
] as const;

/** The prefecture of a 全国地方公共団体コード (its first two digits, JIS X 0401). */
export function prefectureOf(municipalityCode: string): string {
  const p = PREFECTURES[Number(municipalityCode.slice(0, 2)) - 1];
  if (!p) throw new RangeError(`団体コード「${municipalityCode}」から都道府県が分かりません`);
  return p;
}

export interface AppealInstructions {
  /** 審査請求 */
  review: string;
  /** 取消訴訟 */
  lawsuit: string;
}

/** The 教示 printed on the decision notice of a claim of this kind, for this municipality. */
export function appealInstructions(kind: ClaimKind, municipalityCode: string, municipalityName: string): AppealInstructions {
  // 「大阪市（サンプル）」 → 大阪市: the defendant and its head (大阪市長, ○○町長 …).
  const city = municipalityName.replace(/[（(][^（）()]*[）)]$/u, '').trim();
  const head = `${city}長`;
  const defendant = `${city}を被告として（訴訟において${city}を代表する者は${head}となります。）`;
  const pref = prefectureOf(municipalityCode);
  if (kind.startsWith('kokuho_')) {
    return {
      review: `この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、${pref}国民健康保険審査会に対して審査請求をすることができます。`,
      lawsuit: `この決定の取消しの訴えは、上記の審査請求に対する裁決を経た後でなければ提起することができません。取消しの訴えは、その裁決があったことを知った日の翌日から起算して6か月以内に、${defendant}提起することができます。`,
    };
  }
  const reviewTo = kind === 'yobou_kyusai' ? `${pref}知事` : head;
  return {
    review: `この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、${reviewTo}に対して審査請求をすることができます。`,
    lawsuit: `この決定の取消しの訴えは、この決定があったことを知った日の翌日から起算して6か月以内に、${defendant}提起することができます（審査請求をした場合は、その裁決があったことを知った日の翌日から起算して6か月以内）。`,
  };
}
