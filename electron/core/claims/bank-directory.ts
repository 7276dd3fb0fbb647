/**
 * 全銀 bank / branch directory for the claim intake (金融機関コード・支店コード, names shown as you type).
 *
 * Data: the `zengin-code` npm package (≈1,150 banks, ≈29,000 branches, ≈5 MB of JS). It stays on the core
 * side: the renderer asks through IPC and receives at most `limit` entries, never the list. The data is
 * loaded on first use (≈0.25 s) and indexed per bank on first branch lookup; after that a lookup is a Map
 * get and a search a linear scan over one bank's branches or the ≈1,150 banks.
 *
 * Search keys: NFKC, hiragana → katakana, small kana → large (the list spells キュウ as キユウ, as 全銀 does),
 * 長音 and dashes → '-', spaces removed, Latin upper-cased. So 「ゆうちょ」, 「ﾕｳﾁｮ」 and 「ユウチヨ」 all
 * find 9900 ゆうちょ.
 */
import { normalizeKana } from '../../../shared/domain/kana';

export type DirectoryEntry = { code: string; name: string; kana: string };

type RawEntry = { code: string; name: string; kana: string };
export type ZenginData = Record<string, RawEntry & { branches: Record<string, RawEntry> }>;
export type ZenginSource = { data: ZenginData; version: string | null };

export type AccountCodesCheck =
  | { ok: true; bank: DirectoryEntry; branch: DirectoryEntry }
  | { ok: false; field: 'bankCode' | 'branchCode'; message: string };

export type BankDirectory = {
  /** Loads and indexes the list now (e.g. when the claim screen opens); every method does it on demand. */
  load(): Promise<void>;
  findBank(code: string): Promise<DirectoryEntry | null>;
  /** By code prefix (digits), or name / kana: prefix matches first, then substring matches; each by code. */
  searchBanks(query: string, limit?: number): Promise<DirectoryEntry[]>;
  findBranch(bankCode: string, branchCode: string): Promise<DirectoryEntry | null>;
  searchBranches(bankCode: string, query: string, limit?: number): Promise<DirectoryEntry[]>;
  /** Both codes exist in the list; otherwise a Japanese message for the field that does not. */
  checkAccountCodes(bankCode: string, branchCode: string): Promise<AccountCodesCheck>;
  /** Package version (its suffix is the data date, e.g. 1.0.0-p20260824) and counts, for the screen footer. */
  info(): Promise<{ version: string | null; dataDate: string | null; banks: number; branches: number }>;
};

export const DEFAULT_SEARCH_LIMIT = 20;
const MAX_SEARCH_LIMIT = 100;

const SMALL_KANA = 'ァィゥェォャュョッヮヵヶ';
const LARGE_KANA = 'アイウエオヤユヨツワカケ';
const DASH_RE = /[\u30FC\u2010-\u2015\u2212\uFF0D\uFF70-]/gu;

/** The search key of a name, kana or query (see the header). */
export function directoryKey(s: string): string {
  return normalizeKana(s)
    .replace(/[ァィゥェォャュョッヮヵヶ]/gu, (c) => LARGE_KANA[SMALL_KANA.indexOf(c)] ?? c)
    .replace(DASH_RE, '-');
}

function toHalfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

type Indexed = DirectoryEntry & { nameKey: string; kanaKey: string };
type BankIndex = { entry: Indexed; branchesRaw: Record<string, RawEntry>; branches: Indexed[] | null; byCode: Map<string, Indexed> | null };
type Index = { banks: Indexed[]; byCode: Map<string, BankIndex>; version: string | null; branchCount: number };

function indexed(e: RawEntry): Indexed {
  const entry = { code: e.code, name: e.name, kana: e.kana };
  return { ...entry, nameKey: directoryKey(e.name), kanaKey: directoryKey(e.kana) };
}

function publicEntry(e: Indexed): DirectoryEntry {
  return { code: e.code, name: e.name, kana: e.kana };
}

function buildIndex(src: ZenginSource): Index {
  const byCode = new Map<string, BankIndex>();
  const banks: Indexed[] = [];
  let branchCount = 0;
  for (const [code, bank] of Object.entries(src.data)) {
    if (!/^\d{4}$/.test(code)) continue;
    const entry = indexed({ code, name: bank.name, kana: bank.kana });
    banks.push(entry);
    branchCount += Object.keys(bank.branches ?? {}).length;
    byCode.set(code, { entry, branchesRaw: bank.branches ?? {}, branches: null, byCode: null });
  }
  banks.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { banks, byCode, version: src.version, branchCount };
}

function branchesOf(bank: BankIndex): { list: Indexed[]; byCode: Map<string, Indexed> } {
  if (!bank.branches || !bank.byCode) {
    const list = Object.entries(bank.branchesRaw)
      .filter(([code]) => /^\d{3}$/.test(code))
      .map(([code, b]) => indexed({ code, name: b.name, kana: b.kana }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    bank.branches = list;
    bank.byCode = new Map(list.map((b) => [b.code, b]));
  }
  return { list: bank.branches, byCode: bank.byCode };
}

function search(list: readonly Indexed[], query: string, limit: number | undefined): DirectoryEntry[] {
  const n = Math.min(Math.max(Math.trunc(limit ?? DEFAULT_SEARCH_LIMIT), 1), MAX_SEARCH_LIMIT);
  const q = directoryKey(String(query ?? ''));
  if (q.length === 0) return [];
  if (/^\d+$/.test(q)) return list.filter((e) => e.code.startsWith(q)).slice(0, n).map(publicEntry);
  const prefix: Indexed[] = [];
  const inner: Indexed[] = [];
  for (const e of list) {
    if (e.nameKey.startsWith(q) || e.kanaKey.startsWith(q)) prefix.push(e);
    else if (inner.length < n && (e.nameKey.includes(q) || e.kanaKey.includes(q))) inner.push(e);
    if (prefix.length >= n) break;
  }
  return [...prefix, ...inner].slice(0, n).map(publicEntry);
}

async function loadZenginCode(): Promise<ZenginSource> {
  const mod: { default?: ZenginData } = await import('zengin-code');
  const data = (mod.default ?? mod) as ZenginData;
  let version: string | null = null;
  try {
    const pkg: { default?: { version?: string }; version?: string } = await import('zengin-code/package.json', {
      with: { type: 'json' },
    });
    version = pkg.default?.version ?? pkg.version ?? null;
  } catch {
    // The version is only informative; the data itself loaded.
  }
  return { data, version };
}

/** 1.0.0-p20260824 → 2026-08-24. */
export function dataDateOf(version: string | null): string | null {
  const m = version ? /p(\d{4})(\d{2})(\d{2})$/.exec(version) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * The directory over the `zengin-code` package, or over `opts.source` (tests, or a list delivered by the
 * central server later). Loading happens once; a failed load is retried on the next call.
 */
export function createBankDirectory(opts: { source?: () => Promise<ZenginSource> | ZenginSource } = {}): BankDirectory {
  const source = opts.source ?? loadZenginCode;
  let pending: Promise<Index> | null = null;
  const index = (): Promise<Index> => {
    if (!pending) {
      pending = Promise.resolve()
        .then(source)
        .then(buildIndex)
        .catch((e: unknown) => {
          pending = null;
          throw e;
        });
    }
    return pending;
  };

  const bankOf = async (code: string): Promise<BankIndex | null> => {
    const c = toHalfWidthDigits(String(code ?? ''));
    if (!/^\d{4}$/.test(c)) return null;
    return (await index()).byCode.get(c) ?? null;
  };

  const findBranchIn = (bank: BankIndex, branchCode: string): Indexed | null => {
    const c = toHalfWidthDigits(String(branchCode ?? ''));
    if (!/^\d{3}$/.test(c)) return null;
    return branchesOf(bank).byCode.get(c) ?? null;
  };

  return {
    async load() {
      await index();
    },
    async findBank(code) {
      const bank = await bankOf(code);
      return bank ? publicEntry(bank.entry) : null;
    },
    async searchBanks(query, limit) {
      return search((await index()).banks, query, limit);
    },
    async findBranch(bankCode, branchCode) {
      const bank = await bankOf(bankCode);
      const branch = bank ? findBranchIn(bank, branchCode) : null;
      return branch ? publicEntry(branch) : null;
    },
    async searchBranches(bankCode, query, limit) {
      const bank = await bankOf(bankCode);
      return bank ? search(branchesOf(bank).list, query, limit) : [];
    },
    async checkAccountCodes(bankCode, branchCode) {
      const idx = await index();
      const listName = `全銀コード一覧${dataDateOf(idx.version) ? `（${dataDateOf(idx.version)}版）` : ''}`;
      const bank = await bankOf(bankCode);
      if (!bank) {
        return { ok: false, field: 'bankCode', message: `金融機関コード「${String(bankCode)}」は${listName}にありません` };
      }
      const branch = findBranchIn(bank, branchCode);
      if (!branch) {
        return {
          ok: false,
          field: 'branchCode',
          message: `支店コード「${String(branchCode)}」は${bank.entry.name}（${bank.entry.code}）の支店として${listName}にありません`,
        };
      }
      return { ok: true, bank: publicEntry(bank.entry), branch: publicEntry(branch) };
    },
    async info() {
      const idx = await index();
      return { version: idx.version, dataDate: dataDateOf(idx.version), banks: idx.banks.length, branches: idx.branchCount };
    },
  };
}
