/**
 * Column definitions for `DataGrid`: the TanStack Table features every grid has (sorting), the
 * column helper, and what a column may say about its cells (`GridColumnMeta`).
 */
import type { ReactNode } from 'react';
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  type ColumnDef,
  type ColumnHelper,
  type RowData,
} from '@tanstack/react-table';

/** What a column says about its cells, beyond TanStack's own column definition. */
export interface GridColumnMeta {
  /** Every cell of the column (its header too) also gets this class: tests and per-table styles select on it. */
  className?: string;
  /** A bar behind the whole cell, |value| / barWhole wide (the column's value is a number). */
  barWhole?: number;
}

export const gridFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
  columnMeta: {} as GridColumnMeta,
});
export type GridFeatures = typeof gridFeatures;
/** One column of any value type: a column list mixes them, as TanStack's own `ColumnDef[]` does. */
export type GridColumn<T extends RowData> = ColumnDef<GridFeatures, T, any>;

export function gridHelper<T extends RowData>() {
  return createColumnHelper<GridFeatures, T>();
}

/** A number column (sorted biggest first on the first click), its cells `format`ted. */
export function numberColumn<T extends RowData>(h: ColumnHelper<GridFeatures, T>, id: string, header: string, value: (r: T) => number, format: (v: number, r: T) => ReactNode) {
  return h.accessor(value, { id, header, sortFn: 'basic', sortDescFirst: true, cell: (c) => format(c.getValue(), c.row.original) });
}

/** A text column (sorted as text, numbers inside in numeric order), its cells drawn by `cell`. */
export function textColumn<T extends RowData>(h: ColumnHelper<GridFeatures, T>, id: string, header: string, value: (r: T) => string, cell: (v: string, r: T) => ReactNode, meta?: GridColumnMeta) {
  return h.accessor(value, { id, header, sortFn: 'alphanumeric', ...(meta ? { meta } : {}), cell: (c) => cell(c.getValue(), c.row.original) });
}

/** The largest |value| of the rows (0 for none): the full width of their bars. */
export function maxAbs<T>(rows: readonly T[], value: (r: T) => number): number {
  return rows.reduce((m, r) => Math.max(m, Math.abs(value(r))), 0);
}

/** A grid whose rows are a flattened tree (ARIA treegrid). */
export interface GridTree<T> {
  /** 1-based depth (aria-level). */
  level(r: T): number;
  expandable(r: T): boolean;
  expanded(r: T): boolean;
  toggle(r: T, expand: boolean): void;
  /** Row id of the parent row, or null at the top. */
  parentId(r: T): string | null;
}
