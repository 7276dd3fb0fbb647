import { createColumnHelper } from '@tanstack/react-table';
import type { ResidentSummary } from '../../../../shared/ipc/contract';
import { SEX_LABELS } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';
import { DataTable } from '../../ui/DataTable';

const col = createColumnHelper<ResidentSummary>();

const columns = [
  col.accessor('atenaNo', { header: '宛名番号' }),
  col.accessor('nameKanji', {
    header: '氏名',
    cell: (c) => (
      <>
        {c.getValue()}
        {c.row.original.aliasName && <span className="muted">（通称 {c.row.original.aliasName}）</span>}
      </>
    ),
  }),
  col.accessor('nameKana', { header: 'カナ氏名' }),
  col.accessor('birthDate', { header: '生年月日', cell: (c) => formatWareki(c.getValue()) }),
  col.accessor('sex', { header: '性別', cell: (c) => SEX_LABELS[c.getValue()] }),
  col.accessor('address', {
    header: '住所',
    enableSorting: false,
    cell: (c) => (c.row.original.flags.dvSupport || c.row.original.flags.nonDisclosure ? <span className="flag">{c.getValue()}</span> : c.getValue()),
  }),
];

interface Props {
  rows: ResidentSummary[];
  onOpen(r: ResidentSummary): void;
  focusFirst: number;
}

/** Sortable results; rows are reachable by Tab/↑/↓ and open with Enter. No 個人番号 column exists. */
export function ResultsTable({ rows, onOpen, focusFirst }: Props) {
  return <DataTable rows={rows} columns={columns} label="検索結果" onOpen={onOpen} openWith="doubleClick" rowData={(r) => ({ 'data-atena': r.atenaNo })} focusFirst={focusFirst} />;
}
