/**
 * Import of one interface file into the central server (docs/interfaces/README.md). The file is applied whole,
 * in ONE transaction, or not at all: a sequence gap, a repeat with other content, a count or hash mismatch, an
 * unknown item or record kind, or an invalid line is a 連携エラー that names the line (and item) and changes
 * nothing. The identical file offered again is a no-op. Every offer is written to import_log with the server's
 * clock, whatever became of it.
 *
 * How: the lines are checked and copied into a temporary staging table in batches (multi-row INSERT … SELECT FROM
 * unnest(), no COPY dependency), then applied set-based: 住民記録 become residents entity versions (pulled by the
 * terminals of the municipality, 消除 as tombstones) plus the items terminals have no column for (juki_residents);
 * 国保 資格 rows go to kokuho_shikaku; 保護受給 rows to seiho_jukyu. Each interface has its own apply step (APPLY).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rollback, withTransaction, type Pool, type PoolClient } from '../db';
import { ENTITY_WRITE_LOCK, errorSummary, sqlState } from '../sync';
import { refreshPopulationIn } from '../population';
import { FILE_KINDS, parseLine, type InterfaceDefinition, type ItemValue } from '../../shared/interfaces/definition';
import { normalizeKana } from '../../shared/domain/kana';
import { ImportError, byteLines, checkItemRecord, decodeLine, readHeader, splitCsv, type FileHeader } from './file';

/** Serialises imports (all interfaces): the sequence check and the apply of one file never interleave with another's. */
export const IMPORT_LOCK = 0x6d616469; // 'madi'

/** Lines per staging INSERT. */
const BATCH = 10_000;
/** Problems listed in one 連携エラー before the check stops. */
const MAX_PROBLEMS = 10;

export type ImportOutcome = 'applied' | 'noop' | 'error';

export interface ImportCounts {
  inserted: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** SEIHO: lines kept on the server only, their 宛名番号 not (yet) among the municipality's residents. */
  held?: number;
}

export interface ImportResult {
  result: ImportOutcome;
  /** Its row in import_log. */
  importId: number;
  fileName: string;
  interface: string | null;
  municipality: string | null;
  seq: number | null;
  dataLines: number | null;
  counts: ImportCounts;
  /** Japanese, for IT: what was done, or the 連携エラー naming the line and item. */
  message: string;
}

export interface ImportProgress {
  phase: 'read' | 'apply';
  /** Data lines read so far (read), or the apply step's name. */
  lines: number;
  /** Share of the file read (0–100). */
  percent: number;
  linesPerSecond: number;
  step?: string;
}

export interface ImportOptions {
  /** The server's clock (import_log times, the records' created_at/updated_at). */
  clock: { now(): Date };
  source: 'cli' | 'inbox';
  onProgress?: (p: ImportProgress) => void;
}

const ZERO: ImportCounts = { inserted: 0, updated: 0, removed: 0, unchanged: 0 };

/** A stable UUID-shaped record ID for a resident of a municipality, from its 宛名番号 (like profileRecordId). */
export function residentRecordId(municipality: string, atenaNo: string): string {
  const h = createHash('sha256').update(`resident:${municipality}:${atenaNo}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function importFile(pool: Pool, path: string, opts: ImportOptions): Promise<ImportResult> {
  return importBuffer(pool, await readFile(path), basename(path), opts);
}

/** Imports `buf` as the file `fileName`; never throws for a 連携エラー (it is the result), only when the database is unreachable. */
export async function importBuffer(pool: Pool, buf: Buffer, fileName: string, opts: ImportOptions): Promise<ImportResult> {
  const startedAt = opts.clock.now();
  const fileSha256 = createHash('sha256').update(buf).digest('hex');
  let header: FileHeader | null = null;
  let dataLines: number | null = null;
  let dataSha256: string | null = null;
  const base = { fileName, counts: ZERO };
  try {
    header = readHeader(buf, fileName);
    const h = header;
    return await withTransaction<ImportResult>(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const done = await c.query<{ import_id: string; file_sha256: string; finished_at: Date }>(
        `SELECT import_id, file_sha256, finished_at FROM import_log WHERE result = 'applied' AND interface = $1 AND municipality = $2 AND seq = $3`,
        [h.def.id, h.municipality, h.seq],
      );
      const same = done.rows[0];
      if (same) {
        if (same.file_sha256 !== fileSha256) {
          throw new ImportError(`ファイル連番 ${h.seq} は取込済みで（取込番号 ${same.import_id}）、このファイルは内容が異なります。同じ連番で別の内容は受け取りません（送信元で連番を確認してください）`);
        }
        return new Rollback<ImportResult>({
          ...base, result: 'noop', importId: 0, interface: h.def.id, municipality: h.municipality, seq: h.seq, dataLines: null,
          message: `変更なし: 同じファイル（連番 ${h.seq}）は取込番号 ${same.import_id} で取込済みです`,
        });
      }
      const last = await c.query<{ seq: string | null }>(
        `SELECT max(seq) AS seq FROM import_log WHERE result = 'applied' AND interface = $1 AND municipality = $2`, [h.def.id, h.municipality],
      );
      const lastSeq = Number(last.rows[0]?.seq ?? 0);
      if (h.seq !== lastSeq + 1) {
        throw new ImportError(lastSeq === 0
          ? `ファイル連番が ${h.seq} です。${h.def.title}（団体コード ${h.municipality}）の最初のファイルは連番 1 です`
          : `ファイル連番が飛んでいます: 取込済みの最後は ${lastSeq}、このファイルは ${h.seq} です（連番 ${lastSeq + 1} から順に取り込んでください）`);
      }
      const log = await c.query<{ import_id: string }>(
        `INSERT INTO import_log (file_name, source, interface, municipality, file_kind, seq, file_sha256, result, started_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied', $8, $8) RETURNING import_id`,
        [fileName, opts.source, h.def.id, h.municipality, h.kind, h.seq, fileSha256, startedAt],
      );
      const importId = Number(log.rows[0]!.import_id);
      const staged = await stage(c, buf, h, opts);
      dataLines = staged.lines;
      dataSha256 = staged.sha256;
      const apply = APPLY[h.def.id];
      if (!apply) throw new ImportError(`${h.def.title}（${h.def.id}）を反映する処理が中央サーバにありません`);
      const counts = await apply(c, h, importId, opts);
      // 保護受給 lines held for a 宛名番号 not yet among the residents become records once the resident is here.
      if (h.def.id === 'JUKI') await linkHeldSeiho(c, h.municipality, importId, opts.clock.now().toISOString());
      // Who each 事務's terminals hold follows the new records at once (issue 16 §1), in the same transaction.
      step(opts, '端末が保持する対象者を更新', 0);
      await refreshPopulationIn(c, h.municipality, opts.clock.now());
      await c.query(
        `UPDATE import_log SET data_sha256 = $2, data_lines = $3, inserted = $4, updated = $5, removed = $6, unchanged = $7, message = $8, finished_at = $9
         WHERE import_id = $1`,
        [importId, staged.sha256, staged.lines, counts.inserted, counts.updated, counts.removed, counts.unchanged, appliedMessage(h, staged.lines, counts), opts.clock.now()],
      );
      return {
        ...base, result: 'applied', importId, interface: h.def.id, municipality: h.municipality, seq: h.seq, dataLines: staged.lines, counts,
        message: appliedMessage(h, staged.lines, counts),
      };
    }).then(async (r) => (r.result === 'noop' ? { ...r, importId: await writeLog(pool, r, opts, startedAt, fileSha256, header, null) } : r));
  } catch (err) {
    const message = err instanceof ImportError
      ? `連携エラー: ${err.message}。ファイルは取り込んでいません（中央サーバの記録は変わっていません）`
      : `連携エラー: 取込中に中央サーバでエラーが発生しました（${describe(err)}）。ファイルは取り込んでいません（中央サーバの記録は変わっていません）`;
    const r: ImportResult = {
      ...base, result: 'error', importId: 0, interface: header?.def.id ?? null, municipality: header?.municipality ?? null, seq: header?.seq ?? null, dataLines, message,
    };
    r.importId = await writeLog(pool, r, opts, startedAt, fileSha256, header, dataSha256);
    return r;
  }
}

function describe(err: unknown): string {
  const state = sqlState(err);
  if (state) return `SQLSTATE ${state}`;
  const s = errorSummary(err);
  return s.code ? `${s.type} ${s.code}` : s.type;
}

function appliedMessage(h: FileHeader, lines: number, n: ImportCounts): string {
  const held = n.held ? `（うち宛名番号が住民記録にない ${n.held} 行は中央サーバで保留し、住民記録が届いてから端末に配信）` : '';
  return `取込済み: ${h.def.title}（${FILE_KINDS[h.kind]}）連番 ${h.seq}、${lines}行 — 追加 ${n.inserted}、更新 ${n.updated}、消除 ${n.removed}、変更なし ${n.unchanged}${held}`;
}

/** The import_log row of a no-op or a 連携エラー (an applied file wrote its own, inside its transaction). */
async function writeLog(pool: Pool, r: ImportResult, opts: ImportOptions, startedAt: Date, fileSha256: string, h: FileHeader | null, dataSha256: string | null): Promise<number> {
  const row = await pool.query<{ import_id: string }>(
    `INSERT INTO import_log (file_name, source, interface, municipality, file_kind, seq, file_sha256, data_sha256, data_lines, result, message, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING import_id`,
    [r.fileName.slice(0, 255), opts.source, r.interface, r.municipality, h?.kind ?? null, r.seq, fileSha256, dataSha256, r.dataLines, r.result, r.message, startedAt, opts.clock.now()],
  );
  return Number(row.rows[0]!.import_id);
}

/** Staging columns beyond the items: JUKI computes the record ID and the カナ search key once, in one place. */
const EXTRA_COLUMNS: Record<string, readonly string[]> = { JUKI: ['new_id', 'name_kana_key'], KOKUHO: [], SEIHO: [] };

function withExtras(h: FileHeader, v: Record<string, ItemValue | number>, line: number): Record<string, ItemValue | number> {
  v.line = line;
  if (h.def.id === 'JUKI') {
    v.new_id = residentRecordId(h.municipality, v.atena_no as string);
    v.name_kana_key = normalizeKana(v.name_kana as string);
  }
  return v;
}

/** The values a data line contributes, after the item rules: カナ in full width (half-width kana as sent is folded). */
function normalise(def: InterfaceDefinition, v: Record<string, ItemValue>): Record<string, ItemValue> {
  if (def.id === 'JUKI' && v.name_kana) v.name_kana = v.name_kana.normalize('NFKC');
  return v;
}

/**
 * Reads the lines after the header, checks each, and copies the data lines into the temporary table `stage`.
 * Checks the trailer (count and SHA-256 of the data lines' bytes). Throws ImportError naming the line.
 */
async function stage(c: PoolClient, buf: Buffer, h: FileHeader, opts: ImportOptions): Promise<{ lines: number; sha256: string }> {
  const def = h.def;
  const columns = [...def.items.map((i) => i.id), ...EXTRA_COLUMNS[def.id]!];
  await c.query(`CREATE TEMP TABLE stage (line INTEGER NOT NULL, ${columns.map((col) => `${col} TEXT`).join(', ')}) ON COMMIT DROP`);
  // A batch travels as one JSON text (JSON.stringify and PostgreSQL's JSON parser are native; no per-value escaping in JS).
  const insert = 'INSERT INTO stage SELECT * FROM json_populate_recordset(NULL::stage, $1::json)';
  let batch: Record<string, unknown>[] = [];
  // The next batch is checked while the previous one is written (one INSERT in flight; pg queues on the client).
  let inFlight: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    await inFlight;
    if (!batch.length) return;
    const q = c.query(insert, [JSON.stringify(batch)]);
    q.catch(() => undefined); // awaited at the next flush; a file refused before then is rolled back anyway
    inFlight = q;
    batch = [];
  };
  const hash = createHash('sha256');
  const LF = Buffer.from([0x0a]);
  const problems: string[] = [];
  const keys = new Map<string, number>();
  const t0 = performance.now();
  let lineNo = 0;
  let data = 0;
  let trailer: { lineNo: number; fields: string[] } | null = null;
  for (const [s, e] of byteLines(buf)) {
    lineNo++;
    if (lineNo === 1) continue; // the header, read already
    if (trailer) throw new ImportError(`${lineNo}行目: トレーラ（T）の後に行があります`);
    const kindByte = buf[s];
    if (lineNo === 2) {
      checkItemRecord(splitCsv(decodeLine(buf, s, e, h.encoding, lineNo)), def);
      continue;
    }
    if (kindByte === 0x44 /* D */ && buf[s + 1] === 0x2c /* , */) {
      data++;
      hash.update(buf.subarray(s, e));
      hash.update(LF);
      if (problems.length >= MAX_PROBLEMS) continue;
      const fields = splitCsv(decodeLine(buf, s, e, h.encoding, lineNo));
      if (!fields) {
        problems.push(`${lineNo}行目: 引用符（"）の対応が正しくありません`);
        continue;
      }
      const parsed = parseLine(def, fields.slice(1), h.kind);
      if (!parsed.ok) {
        problems.push(...parsed.problems.map((p) => `${lineNo}行目: ${p}`));
        continue;
      }
      const v = normalise(def, parsed.values);
      if (h.kind === 'FULL') {
        const key = def.key.map((k) => v[k]).join('\u0000');
        const first = keys.get(key);
        if (first !== undefined) {
          problems.push(`${lineNo}行目: ${def.key.map((k) => `項目「${def.items.find((i) => i.id === k)!.name}」`).join('と')}が${first}行目と同じです（全件ファイルでは1行ずつです）`);
          continue;
        }
        keys.set(key, lineNo);
      }
      if (problems.length) continue; // nothing more is staged once the file is known to be refused
      batch.push(withExtras(h, v, lineNo));
      if (batch.length >= BATCH) {
        await flush();
        const secs = (performance.now() - t0) / 1000;
        opts.onProgress?.({ phase: 'read', lines: data, percent: Math.floor((e / buf.length) * 100), linesPerSecond: Math.round(data / Math.max(secs, 0.001)) });
      }
    } else if (kindByte === 0x54 /* T */ && buf[s + 1] === 0x2c) {
      trailer = { lineNo, fields: splitCsv(decodeLine(buf, s, e, h.encoding, lineNo)) ?? [] };
    } else {
      const shown = decodeLine(buf, s, Math.min(e, s + 10), h.encoding, lineNo).split(',')[0] ?? '';
      throw new ImportError(`${lineNo}行目: レコード種別「${shown.slice(0, 5)}」は定義にありません（H・I・D・T のいずれかです）`);
    }
  }
  if (problems.length) throw new ImportError(problems.slice(0, MAX_PROBLEMS).join('\n'));
  if (lineNo < 2) throw new ImportError('2行目: 項目レコード（I）がありません');
  if (!trailer) throw new ImportError(`トレーラ（T）がありません（ファイルが途中で切れている可能性があります。最終行は${lineNo}行目）`);
  const [, count, sha] = trailer.fields;
  if (trailer.fields.length !== 3 || !/^[0-9]{1,9}$/.test(count ?? '') || !/^[0-9a-fA-F]{64}$/.test(sha ?? '')) {
    throw new ImportError(`${trailer.lineNo}行目（トレーラ）: T,<データ件数>,<SHA-256（16進64桁）> の形ではありません`);
  }
  if (Number(count) !== data) throw new ImportError(`${trailer.lineNo}行目（トレーラ）: データ件数が ${count} ですが、データ行（D）は ${data} 行あります（行の欠落または過剰）`);
  const digest = hash.digest('hex');
  if (sha!.toLowerCase() !== digest) throw new ImportError(`${trailer.lineNo}行目（トレーラ）: データ行の SHA-256 が一致しません（転送中の欠落・改変の可能性があります）`);
  await flush();
  await inFlight;
  const secs = (performance.now() - t0) / 1000;
  opts.onProgress?.({ phase: 'read', lines: data, percent: 100, linesPerSecond: Math.round(data / Math.max(secs, 0.001)) });
  await c.query('ANALYZE stage');
  step(opts, '読込完了（ANALYZE）', data);
  return { lines: data, sha256: digest };
}

function step(opts: ImportOptions, name: string, lines: number): void {
  opts.onProgress?.({ phase: 'apply', lines, percent: 100, linesPerSecond: 0, step: name });
}

/** The residents fields an imported line sets (its other fields — non_disclosure, view_suspended — are the terminals'). */
const RESIDENT_FIELDS = (s: string) => `jsonb_build_object(
  'atena_no', ${s}.atena_no, 'name_kanji', ${s}.name, 'name_kana', ${s}.name_kana, 'name_kana_key', ${s}.name_kana_key,
  'alias_name', ${s}.alias_name, 'birth_date', ${s}.birth_date, 'sex', ${s}.sex, 'postal_code', ${s}.postal_code,
  'address', ${s}.address, 'katagaki', coalesce(${s}.katagaki, ''), 'household_no', ${s}.household_no,
  'my_number', ${s}.my_number, 'dv_support', ${s}.dv_support::int, 'deleted', ${s}.removed::int)`;

const SAME_RESIDENT = (s: string) => `e.entity = 'residents' AND e.municipality = $1 AND e.payload->>'atena_no' = ${s}.atena_no`;

/**
 * 住民記録 → residents entity versions in the store terminals pull from, set-based. A resident already held (found by
 * 宛名番号 in the municipality, whoever created it) gets a new version when anything it carries changed; one not held
 * is inserted under a stable ID; 消除 makes the record a tombstone. The entity write lock is held from here to
 * commit, as for a push, so server_seq stays in commit order.
 */
async function applyJuki(c: PoolClient, h: FileHeader, importId: number, opts: ImportOptions): Promise<ImportCounts> {
  const at = opts.clock.now().toISOString();
  let t = 'stage';
  if (h.kind === 'DIFF') {
    // Several 異動 of one person in a day: the last line is the person's state; every line goes into the history.
    await c.query(`CREATE TEMP TABLE cur ON COMMIT DROP AS SELECT DISTINCT ON (atena_no) * FROM stage ORDER BY atena_no, line DESC`);
    await c.query('ANALYZE cur');
    await c.query(
      `INSERT INTO juki_ido (import_id, line_no, municipality, atena_no, ido_reason, ido_date, notified_on, removed)
       SELECT $2, line, $1, atena_no, ido_reason, ido_date::date, notified_on::date, removed = '1' FROM stage`,
      [h.municipality, importId],
    );
    t = 'cur';
  }
  await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  step(opts, '住民: 既存の記録を探す', 0);
  // The residents already held, found by 宛名番号 one index probe per line (LATERAL … LIMIT 1: no plan can turn it
  // into a scan of every resident), into a table of their own whose statistics the planner then has. The merged
  // record is kept only where something changed (a full file sent again must not copy every record).
  await c.query(
    `CREATE TEMP TABLE m ON COMMIT DROP AS
     SELECT atena_no, entity_id, version, was_deleted, removing, changed, CASE WHEN changed THEN merged END AS merged, held_number, proposed_number
     FROM (
       SELECT s.atena_no, x.entity_id, x.version, x.deleted AS was_deleted, s.removed = '1' AS removing, y.merged,
              y.merged <> x.payload OR x.deleted <> (s.removed = '1') AS changed,
              CASE WHEN k.keep THEN x.payload->>'my_number' END AS held_number, NULLIF(s.my_number, '') AS proposed_number
       FROM ${t} s
       CROSS JOIN LATERAL (SELECT e.entity_id, e.version, e.payload, e.deleted FROM entities e WHERE ${SAME_RESIDENT('s')} LIMIT 1) x
       -- Seed 001: a person who has a 個人番号 keeps it when a line brings another or none; the change waits for a
       -- supervisor (mynumber_confirmations, below).
       CROSS JOIN LATERAL (SELECT NULLIF(x.payload->>'my_number', '') IS NOT NULL AND NULLIF(x.payload->>'my_number', '') IS DISTINCT FROM NULLIF(s.my_number, '') AS keep) k
       CROSS JOIN LATERAL (SELECT x.payload || ${RESIDENT_FIELDS('s')} || CASE WHEN k.keep THEN jsonb_build_object('my_number', x.payload->'my_number') ELSE '{}'::jsonb END AS merged) y
     ) q`,
    [h.municipality],
  );
  await c.query('ANALYZE m');
  // Not for a 消除 (the record keeps its number as a tombstone): there is nothing to link.
  await c.query(
    `INSERT INTO mynumber_confirmations (municipality, atena_no, entity_id, import_id, held_number, proposed_number, created_at)
     SELECT $1, atena_no, entity_id, $2, held_number, proposed_number, $3 FROM m WHERE held_number IS NOT NULL AND NOT removing`,
    [h.municipality, importId, at],
  );
  // Each staged 宛名番号 with the record it went to.
  await c.query('CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT atena_no, entity_id FROM m');
  step(opts, '住民: 既存の記録を更新', 0);
  const up = await c.query<{ updated: string; removed: string; matched: string }>(
    `WITH u AS (
       UPDATE entities e SET version = m.version + 1,
              payload = m.merged || jsonb_build_object('version', m.version + 1, 'updated_at', $1::text, 'updated_by', 'IMPORT'),
              deleted = m.removing, updated_by_terminal = 'SERVER',
              server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
       FROM m WHERE e.entity = 'residents' AND e.entity_id = m.entity_id AND m.changed
       RETURNING m.removing, m.was_deleted
     )
     SELECT count(*) FILTER (WHERE removing AND NOT was_deleted) AS removed,
            count(*) FILTER (WHERE NOT (removing AND NOT was_deleted)) AS updated,
            (SELECT count(*) FROM m) AS matched
     FROM u`,
    [at],
  );
  step(opts, '住民: 新しい記録を追加', 0);
  await c.query('ANALYZE ids');
  const ins = await c.query<{ inserted: string; removed: string }>(
    `WITH i AS (
       INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
       SELECT 'residents', s.new_id, 1,
              jsonb_build_object('id', s.new_id, 'version', 1, 'created_at', $2::text, 'created_by', 'IMPORT', 'updated_at', $2::text,
                                 'updated_by', 'IMPORT', 'non_disclosure', 0, 'view_suspended', 0) || ${RESIDENT_FIELDS('s')},
              'SERVER', s.removed = '1', $1, NULL, NULL
       FROM ${t} s WHERE NOT EXISTS (SELECT 1 FROM ids WHERE ids.atena_no = s.atena_no)
       RETURNING deleted, entity_id, payload->>'atena_no' AS atena_no
     ), kept AS (
       INSERT INTO ids SELECT atena_no, entity_id FROM i
     ) SELECT count(*) FILTER (WHERE NOT deleted) AS inserted, count(*) FILTER (WHERE deleted) AS removed FROM i`,
    [h.municipality, at],
  );
  step(opts, '住民: 住民記録の項目（サーバのみ）を保存', 0);
  await c.query(
    `INSERT INTO juki_residents (municipality, atena_no, entity_id, relationship, true_name, became_resident_on, ido_reason, ido_date, notified_on, removed, removed_on, import_id)
     SELECT $1, s.atena_no, e.entity_id, s.relationship, s.true_name, s.became_resident_on::date, s.ido_reason, s.ido_date::date,
            s.notified_on::date, s.removed = '1', s.removed_on::date, $2
     FROM ${t} s JOIN ids e ON e.atena_no = s.atena_no
     ON CONFLICT (municipality, atena_no) DO UPDATE SET entity_id = excluded.entity_id, relationship = excluded.relationship,
       true_name = excluded.true_name, became_resident_on = excluded.became_resident_on, ido_reason = excluded.ido_reason,
       ido_date = excluded.ido_date, notified_on = excluded.notified_on, removed = excluded.removed, removed_on = excluded.removed_on,
       import_id = excluded.import_id`,
    [h.municipality, importId],
  );
  step(opts, '住民: 完了', 0);
  const u = up.rows[0] ?? { updated: '0', removed: '0', matched: '0' };
  const changed = Number(u.updated) + Number(u.removed);
  return {
    inserted: Number(ins.rows[0]!.inserted),
    updated: Number(u.updated),
    removed: Number(u.removed) + Number(ins.rows[0]!.removed),
    unchanged: Number(u.matched) - changed,
  };
}

const KOKUHO_COLUMNS = ['household_no', 'head_atena_no', 'insurer_no', 'symbol', 'number', 'branch', 'acquire_reason', 'acquire_notified_on',
  'lost_on', 'lose_reason', 'lose_notified_on', 'income_class'] as const;
const KOKUHO_DATES = new Set(['acquire_notified_on', 'lost_on', 'lose_notified_on']);

/** 国保 資格 → kokuho_shikaku (server-side), one row per person and 資格取得年月日; a changed row is overwritten. */
async function applyKokuho(c: PoolClient, h: FileHeader, importId: number, opts: ImportOptions): Promise<ImportCounts> {
  let t = 'stage';
  if (h.kind === 'DIFF') {
    await c.query(`CREATE TEMP TABLE cur ON COMMIT DROP AS SELECT DISTINCT ON (atena_no, acquired_on) * FROM stage ORDER BY atena_no, acquired_on, line DESC`);
    t = 'cur';
  }
  step(opts, '国保資格: 追加・更新', 0);
  const col = (k: string) => (KOKUHO_DATES.has(k) ? `s.${k}::date` : `s.${k}`);
  const r = await c.query<{ inserted: string; updated: string; total: string }>(
    `WITH up AS (
       INSERT INTO kokuho_shikaku (municipality, atena_no, acquired_on, ${KOKUHO_COLUMNS.join(', ')}, import_id)
       SELECT $1, s.atena_no, s.acquired_on::date, ${KOKUHO_COLUMNS.map(col).join(', ')}, $2 FROM ${t} s
       ON CONFLICT (municipality, atena_no, acquired_on) DO UPDATE SET ${KOKUHO_COLUMNS.map((k) => `${k} = excluded.${k}`).join(', ')}, import_id = excluded.import_id
       WHERE (${KOKUHO_COLUMNS.map((k) => `kokuho_shikaku.${k}`).join(', ')}) IS DISTINCT FROM (${KOKUHO_COLUMNS.map((k) => `excluded.${k}`).join(', ')})
       RETURNING (xmax = 0) AS fresh
     ) SELECT count(*) FILTER (WHERE fresh) AS inserted, count(*) FILTER (WHERE NOT fresh) AS updated, (SELECT count(*) FROM ${t}) AS total FROM up`,
    [h.municipality, importId],
  );
  const row = r.rows[0]!;
  step(opts, '国保資格: 端末に送る記録', 0);
  await kokuhoEntities(c, h.municipality, importId, opts.clock.now().toISOString());
  return { inserted: Number(row.inserted), updated: Number(row.updated), removed: 0, unchanged: Number(row.total) - Number(row.inserted) - Number(row.updated) };
}

/** The ID of the record terminals hold for one 資格 period: stable per municipality, 宛名番号 and 資格取得年月日. */
const KOKUHO_RECORD_ID = (m: string, atena: string, acquired: string) => `md5('kokuho:' || ${m} || ':' || ${atena} || ':' || ${acquired})::uuid::text`;

/**
 * The 資格 rows this import wrote (new or changed) become versions of 'kokuho_shikaku' entities, scoped to the 事務
 * 国保: only terminals serving 国保 pull them, and no terminal may push one (SERVER_ONLY_ENTITIES). Under the entity
 * write lock, as any change terminals pull.
 */
async function kokuhoEntities(c: PoolClient, municipality: string, importId: number, at: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  const d = (k: string) => `to_char(k.${k}, 'YYYY-MM-DD')`;
  await c.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     SELECT 'kokuho_shikaku', x.id, 1,
            jsonb_build_object('id', x.id, 'version', 1, 'created_at', $3::text, 'created_by', 'IMPORT', 'updated_at', $3::text, 'updated_by', 'IMPORT',
              'deleted', 0, 'atena_no', k.atena_no, 'household_no', k.household_no, 'insurer_no', k.insurer_no, 'symbol', k.symbol,
              'number', k.number, 'branch', k.branch, 'acquired_on', ${d('acquired_on')}, 'acquire_reason', k.acquire_reason,
              'acquire_notified_on', ${d('acquire_notified_on')}, 'lost_on', ${d('lost_on')}, 'lose_reason', k.lose_reason,
              'lose_notified_on', ${d('lose_notified_on')}, 'income_class', k.income_class),
            'SERVER', false, $1, 'kokuho', NULL
     FROM kokuho_shikaku k CROSS JOIN LATERAL (SELECT ${KOKUHO_RECORD_ID('k.municipality', 'k.atena_no', "to_char(k.acquired_on, 'YYYY-MM-DD')")} AS id) x
     WHERE k.municipality = $1 AND k.import_id = $2
     ON CONFLICT (entity, entity_id) DO UPDATE SET
       version = entities.version + 1,
       payload = excluded.payload || jsonb_build_object('version', entities.version + 1, 'created_at', entities.payload->'created_at',
                                                        'created_by', entities.payload->'created_by'),
       deleted = false, updated_by_terminal = 'SERVER',
       server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()`,
    [municipality, importId, at],
  );
}

type ApplyStep = (c: PoolClient, h: FileHeader, importId: number, opts: ImportOptions) => Promise<ImportCounts>;

/** The apply step of each registered interface (shared/interfaces/index.ts), by インタフェースID. */
const APPLY: Readonly<Record<string, ApplyStep>> = { JUKI: applyJuki, KOKUHO: applyKokuho, SEIHO: applySeiho };

const SEIHO_COLUMNS = ['household_no', 'head_flag', 'changed_on', 'ended_on', 'change_reason', 'caseworker', 'aid_kinds', 'office_code'] as const;
const SEIHO_DATES = new Set(['changed_on', 'ended_on']);

/** The resident (entity ID) of a 宛名番号 in the municipality $1, or NULL (one index probe: entities_resident_atena). */
const RESIDENT_OF = (atena: string) =>
  `(SELECT e.entity_id FROM entities e WHERE e.entity = 'residents' AND e.municipality = $1 AND e.payload->>'atena_no' = ${atena} LIMIT 1)`;

/**
 * 保護受給 → seiho_jukyu (server-side), one row per ケース番号, 宛名番号 and 保護開始年月日; a changed row is overwritten
 * (開始 inserts, 変更 and 廃止 update the row of the same key), as for 国保: a FULL file does not delete rows it does
 * not carry. Each row names its resident, found by 宛名番号; a line whose 宛名番号 is not among the municipality's
 * residents is NOT a 連携エラー (as a 国保 line for an unknown 宛名番号 is not): it is kept here with resident_id NULL
 * (held) and becomes a terminal record when its resident arrives (the next SEIHO or JUKI import, linkHeldSeiho).
 */
async function applySeiho(c: PoolClient, h: FileHeader, importId: number, opts: ImportOptions): Promise<ImportCounts> {
  let t = 'stage';
  if (h.kind === 'DIFF') {
    await c.query(`CREATE TEMP TABLE cur ON COMMIT DROP AS SELECT DISTINCT ON (case_no, atena_no, started_on) * FROM stage ORDER BY case_no, atena_no, started_on, line DESC`);
    t = 'cur';
  }
  step(opts, '保護受給: 追加・更新', 0);
  const col = (k: string) => (SEIHO_DATES.has(k) ? `s.${k}::date` : `s.${k}`);
  const tracked = [...SEIHO_COLUMNS, 'resident_id'];
  const r = await c.query<{ inserted: string; updated: string; total: string }>(
    `WITH up AS (
       INSERT INTO seiho_jukyu (municipality, case_no, atena_no, started_on, ${SEIHO_COLUMNS.join(', ')}, resident_id, import_id)
       SELECT $1, s.case_no, s.atena_no, s.started_on::date, ${SEIHO_COLUMNS.map(col).join(', ')}, ${RESIDENT_OF('s.atena_no')}, $2 FROM ${t} s
       ON CONFLICT (municipality, case_no, atena_no, started_on) DO UPDATE SET ${SEIHO_COLUMNS.map((k) => `${k} = excluded.${k}`).join(', ')},
         resident_id = coalesce(excluded.resident_id, seiho_jukyu.resident_id), import_id = excluded.import_id
       WHERE (${tracked.map((k) => `seiho_jukyu.${k}`).join(', ')}) IS DISTINCT FROM (${SEIHO_COLUMNS.map((k) => `excluded.${k}`).join(', ')}, coalesce(excluded.resident_id, seiho_jukyu.resident_id))
       RETURNING (xmax = 0) AS fresh
     ) SELECT count(*) FILTER (WHERE fresh) AS inserted, count(*) FILTER (WHERE NOT fresh) AS updated, (SELECT count(*) FROM ${t}) AS total FROM up`,
    [h.municipality, importId],
  );
  const row = r.rows[0]!;
  step(opts, '保護受給: 端末に送る記録', 0);
  await linkHeldSeiho(c, h.municipality, importId, opts.clock.now().toISOString());
  const held = await c.query<{ n: string }>(
    `SELECT count(*) AS n FROM seiho_jukyu k JOIN ${t} s ON (k.case_no, k.atena_no, k.started_on) = (s.case_no, s.atena_no, s.started_on::date)
      WHERE k.municipality = $1 AND k.resident_id IS NULL`,
    [h.municipality],
  );
  return {
    inserted: Number(row.inserted), updated: Number(row.updated), removed: 0, unchanged: Number(row.total) - Number(row.inserted) - Number(row.updated),
    held: Number(held.rows[0]!.n),
  };
}

/** The ID of the record terminals hold for one 保護 period: stable per municipality, ケース番号, 宛名番号 and 保護開始年月日. */
const SEIHO_RECORD_ID = (m: string, caseNo: string, atena: string, started: string) =>
  `md5('seiho:' || ${m} || ':' || ${caseNo} || ':' || ${atena} || ':' || ${started})::uuid::text`;

/**
 * Held 保護受給 rows whose resident has arrived are linked to it; then the rows the import `importId` wrote or linked
 * become versions of 'seiho_jukyu' entities naming the resident (resident_id), scoped to the 事務 seikatsu: only
 * terminals serving 生活保護 pull them, no terminal may push one (SERVER_ONLY_ENTITIES), and the population of
 * seikatsu (records of the 事務 that name a person, server/population.ts) holds exactly the people they name.
 * 福祉事務所コード stays on the server. Under the entity write lock, as any change terminals pull.
 */
async function linkHeldSeiho(c: PoolClient, municipality: string, importId: number, at: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  await c.query(
    `UPDATE seiho_jukyu k SET resident_id = x.id, import_id = $2
       FROM (SELECT h.case_no, h.atena_no, h.started_on, ${RESIDENT_OF('h.atena_no')} AS id FROM seiho_jukyu h WHERE h.municipality = $1 AND h.resident_id IS NULL) x
      WHERE k.municipality = $1 AND (k.case_no, k.atena_no, k.started_on) = (x.case_no, x.atena_no, x.started_on) AND x.id IS NOT NULL`,
    [municipality, importId],
  );
  const d = (k: string) => `to_char(k.${k}, 'YYYY-MM-DD')`;
  await c.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     SELECT 'seiho_jukyu', x.id, 1,
            jsonb_build_object('id', x.id, 'version', 1, 'created_at', $3::text, 'created_by', 'IMPORT', 'updated_at', $3::text, 'updated_by', 'IMPORT',
              'deleted', 0, 'resident_id', k.resident_id, 'case_no', k.case_no, 'atena_no', k.atena_no, 'household_no', k.household_no,
              'head_flag', k.head_flag, 'started_on', ${d('started_on')}, 'changed_on', ${d('changed_on')}, 'ended_on', ${d('ended_on')},
              'change_reason', k.change_reason, 'caseworker', k.caseworker, 'aid_kinds', k.aid_kinds),
            'SERVER', false, $1, 'seikatsu', NULL
     FROM seiho_jukyu k CROSS JOIN LATERAL (SELECT ${SEIHO_RECORD_ID('k.municipality', 'k.case_no', 'k.atena_no', "to_char(k.started_on, 'YYYY-MM-DD')")} AS id) x
     WHERE k.municipality = $1 AND k.import_id = $2 AND k.resident_id IS NOT NULL
     ON CONFLICT (entity, entity_id) DO UPDATE SET
       version = entities.version + 1,
       payload = excluded.payload || jsonb_build_object('version', entities.version + 1, 'created_at', entities.payload->'created_at',
                                                        'created_by', entities.payload->'created_by'),
       deleted = false, updated_by_terminal = 'SERVER',
       server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()`,
    [municipality, importId, at],
  );
}
