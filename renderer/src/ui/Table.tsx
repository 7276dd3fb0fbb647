import type { ReactNode } from 'react';

/** The header of a column of buttons: read by a screen reader, not shown. */
export const ACTIONS_HEADER = <span className="visually-hidden">操作</span>;

interface TableProps {
  /** The table's classes, e.g. 'history vaccinations'. */
  className: string;
  /** One header row: a th per column. */
  headers: readonly ReactNode[];
  /** Marks each header th scope="col". */
  scoped?: boolean;
  'aria-label'?: string;
  'data-testid'?: string;
  /** The body's rows. */
  children: ReactNode;
}

/** A plain table with one header row (records, histories, lists without sorting). */
export function Table({ className, headers, scoped, children, ...attributes }: TableProps) {
  return (
    <table className={className} {...attributes}>
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={i} scope={scoped ? 'col' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
