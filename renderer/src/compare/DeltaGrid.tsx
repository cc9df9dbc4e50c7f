/**
 * The grid of a comparison's changes by some key (allocation site or type, GC root, dominator,
 * goroutine stack or state): always sortable, selected by its key, each row carrying its own data-*
 * attributes then data-status (new, gone, both; when the rows have one) and data-delta, for tests and
 * styles.
 */
import type { ReactNode } from 'react';
import type { RowData } from '@tanstack/react-table';
import type { Presence } from '../../../shared/compare/types';
import { DataGrid } from '../grid/DataGrid';
import type { GridColumn } from '../grid/columns';

export interface DeltaGridProps<T extends RowData> {
  columns: GridColumn<T>[];
  rows: T[];
  rowKey(r: T): string;
  template: string;
  /** Right-aligned column ids (default: base, target, delta). */
  numeric?: readonly string[];
  /** The grid's aria-label, its test id and its rows' test id. */
  names: readonly [label: string, testId: string, rowTestId: string];
  selected: string | null;
  onSelect(key: string): void;
  loading?: boolean;
  empty?: ReactNode;
  /** What names the row, as data-* attributes. */
  attrs(r: T): Record<string, string>;
  status?(r: T): Presence;
  delta(r: T): number;
}

const BASE_TARGET_DELTA = ['base', 'target', 'delta'] as const;

export function DeltaGrid<T extends RowData>({ rows, rowKey, numeric = BASE_TARGET_DELTA, names: [label, testId, rowTestId], selected, onSelect, attrs, status, delta, ...grid }: DeltaGridProps<T>) {
  return (
    <DataGrid<T>
      {...grid}
      data={rows}
      getRowId={rowKey}
      numeric={numeric}
      ariaLabel={label}
      testId={testId}
      rowTestId={rowTestId}
      activeId={selected}
      onActiveChange={(r) => onSelect(rowKey(r))}
      sortable
      rowData={(r) => ({ ...attrs(r), ...(status ? { 'data-status': status(r) } : {}), 'data-delta': String(delta(r)) })}
    />
  );
}
