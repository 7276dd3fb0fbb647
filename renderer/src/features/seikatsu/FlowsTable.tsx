import { createColumnHelper } from '@tanstack/react-table';
import type { FujoSummary } from '../../../../shared/ipc/seikatsu-contract';
import { dateJa } from '../../lib/format';
import { DataTable } from '../../ui/DataTable';

const col = createColumnHelper<FujoSummary>();
const COLUMNS = [
  col.accessor('flowNo', { header: '受付番号' }),
  col.accessor('kindLabel', { header: '種類' }),
  col.accessor('residentName', { header: '対象者' }),
  col.accessor('appliedOn', { header: '申請日', cell: (c) => dateJa(c.getValue()) }),
  col.accessor('stateLabel', { header: '状態' }),
];

/** A list of 扶助 flows (a person's, or a 要確認・要決裁 list): sortable, rows by Tab/↑/↓, Enter or a click opens. */
export function FlowsTable({ rows, onOpen, label }: { rows: FujoSummary[]; onOpen(f: FujoSummary): void; label: string }) {
  return <DataTable rows={rows} columns={COLUMNS} label={label} className="fujo-flows" onOpen={onOpen} openWith="click" rowData={(f) => ({ 'data-flow': f.flowNo })} />;
}
