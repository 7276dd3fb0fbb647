/**
 * Interface files as the municipality's systems write them (docs/interfaces/README.md), for the import tests and
 * bench/import.bench.ts: header, item record, data lines, trailer with the count and the SHA-256 of the data lines,
 * in UTF-8 or CP932 (encoding-japanese, independent of the server's decoder).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Encoding from 'encoding-japanese';
import type { Pool } from '../server/db';
import { importFile, type ImportOptions, type ImportResult } from '../server/import/import';

import { INTERFACES } from '../shared/interfaces';
import { makeMyNumber } from './seed';

export interface FileSpec {
  interface: 'JUKI' | 'KOKUHO' | 'SEIHO';
  municipality?: string;
  kind?: 'FULL' | 'DIFF';
  seq: number;
  createdOn?: string; // YYYYMMDD
  system?: string;
  encoding?: 'UTF-8' | 'CP932';
  /** The item record's IDs (default: the definition's). */
  items?: string[];
  /** Replaces the trailer's count or hash (a file damaged in transit). */
  trailerCount?: number;
  trailerSha?: string;
  /** Lines written as they are between the data and the trailer (an unknown record kind …). */
  extraLines?: string[];
}

const csvField = (v: string): string => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function encode(s: string, encoding: 'UTF-8' | 'CP932'): Buffer {
  if (encoding === 'UTF-8') return Buffer.from(s, 'utf8');
  return Buffer.from(Encoding.convert(Encoding.stringToCode(s), { to: 'SJIS', from: 'UNICODE' }));
}

/** The file name the header requires. */
export function fileName(spec: FileSpec): string {
  return `${spec.interface}_${spec.municipality ?? '271004'}_${spec.createdOn ?? '20261122'}_${spec.seq}.csv`;
}

/** The file's bytes in chunks (data lines in batches), so a million-line file need not be one string. */
export function* fileChunks(spec: FileSpec, rows: Iterable<readonly string[]>): Generator<Buffer> {
  const enc = spec.encoding ?? 'UTF-8';
  const def = INTERFACES[spec.interface]!;
  const header = ['H', enc, spec.interface, spec.kind ?? 'FULL', spec.municipality ?? '271004', spec.system ?? '住民記録システム', spec.createdOn ?? '20261122', String(spec.seq)];
  yield encode(`${header.map(csvField).join(',')}\r\n${['I', ...(spec.items ?? def.items.map((i) => i.id))].join(',')}\r\n`, enc);
  const hash = createHash('sha256');
  let n = 0;
  let batch: string[] = [];
  const out = (): Buffer => {
    const b = encode(batch.join(''), enc);
    batch = [];
    return b;
  };
  for (const row of rows) {
    const line = `D,${row.map(csvField).join(',')}`;
    hash.update(encode(line, enc));
    hash.update('\n');
    batch.push(`${line}\r\n`);
    n++;
    if (batch.length >= 5000) yield out();
  }
  if (batch.length) yield out();
  if (spec.extraLines?.length) yield encode(spec.extraLines.map((l) => `${l}\r\n`).join(''), enc);
  yield encode(`T,${spec.trailerCount ?? n},${spec.trailerSha ?? hash.digest('hex')}\r\n`, enc);
}

export function buildFile(spec: FileSpec, rows: Iterable<readonly string[]>): { name: string; bytes: Buffer } {
  return { name: fileName(spec), bytes: Buffer.concat([...fileChunks(spec, rows)]) };
}

/** A 住民記録 line in the definition's order: a valid resident numbered `n`, with `over` replacing items by ID. */
export function jukiRow(n: number, over: Record<string, string> = {}): string[] {
  const v: Record<string, string> = {
    atena_no: String(100000000 + n),
    household_no: String(500000000 + Math.floor(n / 3)),
    relationship: n % 3 === 0 ? '世帯主' : n % 3 === 1 ? '妻' : '子',
    name: `窓口 太郎${n}`,
    name_kana: 'マドグチ タロウ',
    alias_name: '',
    true_name: '',
    birth_date: `19${String(50 + (n % 50)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}`,
    sex: n % 2 === 0 ? '1' : '2',
    postal_code: '5300001',
    address: `大阪府大阪市北区梅田${1 + (n % 9)}丁目${1 + (n % 20)}番${1 + (n % 30)}号`,
    katagaki: n % 5 === 0 ? `梅田ハイツ${100 + (n % 50)}号室` : '',
    became_resident_on: '20100401',
    ido_reason: '00',
    ido_date: '20100401',
    notified_on: '',
    removed: '0',
    removed_on: '',
    dv_support: '0',
    my_number: makeMyNumber(n),
    ...over,
  };
  return INTERFACES.JUKI!.items.map((i) => v[i.id] ?? '');
}

/** A 国保 資格 line: person `n` insured from 2024-04-01, with `over` replacing items by ID. */
export function kokuhoRow(n: number, over: Record<string, string> = {}): string[] {
  const v: Record<string, string> = {
    atena_no: String(100000000 + n),
    household_no: String(500000000 + Math.floor(n / 3)),
    head_atena_no: String(100000000 + n - (n % 3)),
    insurer_no: '270009',
    symbol: '北',
    number: String(10000 + n),
    branch: String((n % 3) + 1).padStart(2, '0'),
    acquired_on: '20240401',
    acquire_reason: '02',
    acquire_notified_on: '20240405',
    lost_on: '',
    lose_reason: '',
    lose_notified_on: '',
    income_class: '03',
    ...over,
  };
  return INTERFACES.KOKUHO!.items.map((i) => v[i.id] ?? '');
}

/** A 保護受給 line: person `n` (宛名番号 as jukiRow's) in case 70000000 + ⌊n/3⌋, 保護 from 2025-04-01 (全件), with `over` replacing items by ID. */
export function seihoRow(n: number, over: Record<string, string> = {}): string[] {
  const v: Record<string, string> = {
    case_no: String(70000000 + Math.floor(n / 3)),
    atena_no: String(100000000 + n),
    household_no: String(500000000 + Math.floor(n / 3)),
    head_flag: n % 3 === 0 ? '1' : '2',
    started_on: '20250401',
    changed_on: '',
    ended_on: '',
    change_reason: '00',
    caseworker: 'W3001',
    aid_kinds: '01 03 04',
    office_code: '271004',
    ...over,
  };
  return INTERFACES.SEIHO!.items.map((i) => v[i.id] ?? '');
}

/**
 * A 国保 資格 file (FULL, sequence `seq`) giving each of `atenaNos` a current 資格 from 2020-04-01 (所得区分 区分ウ),
 * imported into the central server: for tests whose terminal syncs (a snapshot keeps only what the server holds, and
 * a terminal cannot push 資格).
 */
export async function importKokuhoMembers(pool: Pool, atenaNos: readonly string[], clock: ImportOptions['clock'], seq = 1): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'madoguchi-kokuho-'));
  try {
    const r = await importBuilt(pool, dir, { interface: 'KOKUHO', seq }, atenaNos.map((a) => kokuhoRow(0, { atena_no: a, head_atena_no: a, acquired_on: '20200401' })), clock);
    if (r.result !== 'applied') throw new Error(`test setup: the 国保 file was not applied: ${r.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file `spec` with `rows`, written into `dir` under its interface name and imported as the CLI would. */
export async function importBuilt(pool: Pool, dir: string, spec: FileSpec, rows: Iterable<readonly string[]>, clock: ImportOptions['clock']): Promise<ImportResult> {
  const f = buildFile(spec, rows);
  await writeFile(join(dir, f.name), f.bytes);
  return importFile(pool, join(dir, f.name), { clock, source: 'cli' });
}
