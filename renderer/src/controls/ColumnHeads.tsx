/**
 * The header row of a small static table (not a DataGrid): one `<th scope="col">` per column;
 * a column written `{ label, numeric: true }` is right-aligned (class `num`).
 */
import type { ReactNode } from 'react';

export type ColumnHead = string | { label: ReactNode; numeric?: boolean };

export function ColumnHeads({ columns }: { columns: readonly ColumnHead[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === 'string' ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
