/**
 * The renderer's one table component: TanStack Table v9 for columns and sorting, TanStack Virtual
 * for rows (only the visible ones are in the DOM, so 50k rows scroll smoothly), ARIA grid /
 * treegrid semantics with one tab stop and aria-activedescendant.
 *
 * Keyboard (`keyboard.ts`): ↑/↓, PageUp/PageDown, Home/End move the cursor; Enter activates it. In
 * tree mode (`tree`), → expands (or steps into the first child), ← collapses (or steps to the
 * parent). Paged data (rows a worker sends a page at a time): `onLoadMore` runs when the last rows
 * scroll into view (and from a "Load more" row).
 *
 * Cells render through React (text nodes): profile and dump strings never become markup.
 */
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { useTable, type RowData, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { gridFeatures, type GridColumn, type GridColumnMeta, type GridTree } from './columns';
import { gridKeyAction } from './keyboard';
import { PctBar } from './PctBar';
import { SpanIndent, TreePrefix } from './TreePrefix';
import './grid.css';
import { useLatest } from '../lib/useLatest';
import { formatNumber } from '../lib/format';

export interface DataGridProps<T extends RowData> {
  columns: GridColumn<T>[];
  data: T[];
  getRowId(r: T): string;
  /** CSS grid-template-columns of a row. */
  template: string;
  /** Right-aligned (numeric) column ids. */
  numeric?: readonly string[];
  ariaLabel: string;
  testId: string;
  rowTestId: string;
  /** The keyboard cursor (and, unless `selectedId` is given, the selection). */
  activeId: string | null;
  onActiveChange(r: T): void;
  /** A click on the selected row clears the selection (when given). */
  onClear?(): void;
  /** A selection distinct from the cursor (tree: Enter selects). */
  selectedId?: string | null;
  /** Enter or double-click (and a click, with `activateOnClick`). */
  onActivate?(r: T): void;
  activateOnClick?: boolean;
  sortable?: boolean;
  initialSorting?: SortingState;
  /** A third click on a sorted header returns to the data's own order (default true). */
  sortRemoval?: boolean;
  /** Rows in all pages (aria-rowcount; "N of M"). */
  total?: number;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?(): void;
  loading?: boolean;
  stale?: boolean;
  empty?: ReactNode;
  tree?: GridTree<T>;
  /** A row drawn as one spanning cell (e.g. "show 50 more"); null for a normal row. */
  fullRow?(r: T): ReactNode | null;
  /** Extra data-* attributes on a row (for tests and styling). */
  rowData?(r: T): Record<string, string>;
  rowClass?(r: T): string;
  rowHeight?: number;
}

const HEADER_HEIGHT = 28;

function cellClass(id: string, numeric: readonly string[], meta: GridColumnMeta | undefined): string {
  return `grid-cell grid-cell--${id}${numeric.includes(id) ? ' grid-cell--num' : ''}${meta?.className ? ` ${meta.className}` : ''}`;
}

export function DataGrid<T extends RowData>(props: DataGridProps<T>) {
  const { columns, data, getRowId, template, numeric = [], ariaLabel, testId, rowTestId, activeId, onActiveChange, onClear, selectedId, onActivate, activateOnClick } = props;
  const { sortable, initialSorting, sortRemoval = true, total, hasMore, loadingMore, onLoadMore, loading, stale, empty, tree, fullRow, rowData, rowClass, rowHeight = 26 } = props;
  const idPrefix = useId();
  const [sorting, setSorting] = useState<SortingState>(initialSorting ?? []);
  const table = useTable(
    {
      features: gridFeatures,
      columns,
      data,
      getRowId: (r) => getRowId(r),
      state: { sorting: sortable ? sorting : [] },
      onSortingChange: setSorting,
      enableSorting: !!sortable,
      enableSortingRemoval: sortRemoval,
    },
    (s) => ({ sorting: s.sorting }),
  );
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? `__more${i}`,
  });
  const indexById = useMemo(() => {
    const m = new Map<string, number>();
    rows.forEach((r, i) => m.set(r.id, i));
    return m;
  }, [rows]);
  const activeIndex = activeId === null ? -1 : indexById.get(activeId) ?? -1;
  const selId = selectedId === undefined ? activeId : selectedId;

  // Keep the cursor in view when it moves (also when it moves from outside, e.g. a new sort).
  const virtualizerRef = useLatest(virtualizer);
  useEffect(() => {
    if (activeIndex >= 0) virtualizerRef.current.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex]);

  // Load the next page when its placeholder row scrolls into view.
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length ? items[items.length - 1]!.index : -1;
  useEffect(() => {
    if (hasMore && !loadingMore && onLoadMore && lastVisible >= rows.length - 3 && rows.length > 0) onLoadMore();
  }, [hasMore, loadingMore, onLoadMore, lastVisible, rows.length]);

  const focusGrid = () => scrollRef.current?.focus({ preventScroll: true });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / rowHeight) - 1);
    const action = gridKeyAction(e.key, {
      rows: rows.map((r) => r.original),
      cursor: activeIndex,
      page,
      tree,
      indexOf: (id) => indexById.get(id) ?? -1,
      canActivate: !!onActivate,
    });
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'move') {
      onActiveChange(rows[action.to]!.original);
      virtualizer.scrollToIndex(action.to, { align: 'auto' });
    } else if (action.kind === 'toggle') tree?.toggle(action.row, action.expand);
    else if (action.kind === 'activate') onActivate?.(action.row);
  };

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const count = total ?? rows.length;
  const gridStyle = { '--grid-cols': template } as CSSProperties;

  return (
    <div
      ref={scrollRef}
      className={`grid-scroll${loading ? ' is-loading' : stale ? ' is-stale' : ''}`}
      style={gridStyle}
      role={tree ? 'treegrid' : 'grid'}
      aria-label={ariaLabel}
      aria-rowcount={count + 1}
      aria-colcount={headers.length}
      aria-activedescendant={activeIndex >= 0 ? `${idPrefix}-r${activeIndex}` : undefined}
      aria-busy={loading || loadingMore ? true : undefined}
      tabIndex={0}
      data-testid={testId}
      onKeyDown={onKeyDown}
    >
      <div className="grid-row grid-row--header" role="row" aria-rowindex={1}>
        {headers.map((h) => {
          const sorted = h.column.getIsSorted();
          return (
            <div
              key={h.id}
              role="columnheader"
              className={cellClass(h.column.id, numeric, h.column.columnDef.meta)}
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
            >
              {sortable && h.column.getCanSort() ? (
                <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()} tabIndex={-1}>
                  <table.FlexRender header={h} />
                  <span className="sort-indicator" aria-hidden="true">
                    {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                  </span>
                </button>
              ) : (
                <span className="grid-header-text">
                  <table.FlexRender header={h} />
                </span>
              )}
            </div>
          );
        })}
      </div>
      <div className="grid-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
        {items.map((vi) => {
          const style = { transform: `translateY(${vi.start - HEADER_HEIGHT}px)`, height: rowHeight };
          if (vi.index >= rows.length) {
            return (
              <div key={vi.key} role="row" className="grid-row grid-row--more" style={style} aria-rowindex={vi.index + 2}>
                <div role="gridcell" className="grid-cell grid-cell--span">
                  {loadingMore ? (
                    <span className="text-muted">Loading more…</span>
                  ) : (
                    <button type="button" className="link-button" onClick={onLoadMore} tabIndex={-1}>
                      Load more ({formatNumber(count - rows.length)} left)
                    </button>
                  )}
                </div>
              </div>
            );
          }
          const row = rows[vi.index]!;
          const r = row.original;
          const isActive = vi.index === activeIndex;
          const isSel = row.id === selId;
          const level = tree ? tree.level(r) : 1;
          const canExpand = tree ? tree.expandable(r) : false;
          const isExpanded = tree ? tree.expanded(r) : false;
          const span = fullRow?.(r) ?? null;
          const extra = rowClass?.(r);
          return (
            <div
              key={vi.key}
              id={`${idPrefix}-r${vi.index}`}
              role="row"
              aria-rowindex={vi.index + 2}
              aria-selected={isSel}
              {...(tree ? { 'aria-level': level, ...(canExpand ? { 'aria-expanded': isExpanded } : {}) } : {})}
              className={`grid-row${isSel ? ' is-selected' : ''}${isActive ? ' is-active' : ''}${extra ? ` ${extra}` : ''}`}
              data-testid={rowTestId}
              {...rowData?.(r)}
              style={style}
              onClick={() => {
                if (onClear && isSel) onClear();
                else onActiveChange(r);
                if (activateOnClick) onActivate?.(r);
                focusGrid();
              }}
              onDoubleClick={() => {
                if (tree && canExpand) tree.toggle(r, !isExpanded);
                else onActivate?.(r);
              }}
            >
              {span !== null ? (
                <div role="gridcell" className="grid-cell grid-cell--span">
                  <SpanIndent level={level} />
                  {span}
                </div>
              ) : (
                row.getAllCells().map((cell, ci) => {
                  const meta = cell.column.columnDef.meta;
                  return (
                    <div key={cell.id} role="gridcell" className={cellClass(cell.column.id, numeric, meta)}>
                      {tree && ci === 0 ? (
                        <TreePrefix
                          level={level}
                          expandable={canExpand}
                          expanded={isExpanded}
                          onToggle={() => {
                            tree.toggle(r, !isExpanded);
                            onActiveChange(r);
                            focusGrid();
                          }}
                        />
                      ) : null}
                      {meta?.barWhole !== undefined ? <PctBar part={Math.abs(Number(cell.getValue()))} whole={meta.barWhole} /> : null}
                      <span className="grid-cell__text">
                        <table.FlexRender cell={cell} />
                      </span>
                    </div>
                  );
                })
              )}
            </div>
          );
        })}
      </div>
      {!loading && rows.length === 0 && empty ? <div className="panel__empty">{empty}</div> : null}
    </div>
  );
}
