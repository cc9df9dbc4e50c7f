/**
 * The heap view's one table component: TanStack Table v9 for columns (and sorting where it makes
 * sense), TanStack Virtual for rows (only the visible ones are in the DOM), ARIA grid / treegrid
 * semantics with one tab stop and aria-activedescendant.
 *
 * Keyboard: ↑/↓, PageUp/PageDown, Home/End move the active row; Enter activates it. In tree mode
 * (`tree`), → expands (or steps into the first child), ← collapses (or steps to the parent).
 * Paged data: `onLoadMore` runs when the last rows scroll into view (and from a "Load more" row).
 *
 * Cells render through React (text nodes): dump strings never become markup.
 */
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';

export const gridFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});
export type GridFeatures = typeof gridFeatures;
export type GridColumn<T extends RowData> = ColumnDef<GridFeatures, T, any>;
export function gridHelper<T extends RowData>() {
  return createColumnHelper<GridFeatures, T>();
}

export interface GridTree<T> {
  /** 1-based depth (aria-level). */
  level(r: T): number;
  expandable(r: T): boolean;
  expanded(r: T): boolean;
  toggle(r: T, expand: boolean): void;
  /** Row id of the parent row, or null at the top. */
  parentId(r: T): string | null;
}

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
  /** A selection distinct from the cursor (tree: Enter selects). */
  selectedId?: string | null;
  /** Enter or double-click (and a click, with `activateOnClick`). */
  onActivate?(r: T): void;
  activateOnClick?: boolean;
  sortable?: boolean;
  initialSorting?: SortingState;
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
const INDENT = 14;
/** Deeper levels (a linked list's chain) stop indenting; a depth marker says how deep. */
const MAX_INDENT_LEVELS = 10;

function indentOf(level: number): number {
  return Math.min(level - 1, MAX_INDENT_LEVELS) * INDENT;
}

export function DataGrid<T extends RowData>(props: DataGridProps<T>) {
  const {
    columns,
    data,
    getRowId,
    template,
    numeric = [],
    ariaLabel,
    testId,
    rowTestId,
    activeId,
    onActiveChange,
    selectedId,
    onActivate,
    activateOnClick,
    sortable,
    initialSorting,
    total,
    hasMore,
    loadingMore,
    onLoadMore,
    loading,
    stale,
    empty,
    tree,
    fullRow,
    rowData,
    rowClass,
    rowHeight = 26,
  } = props;
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
      enableSortingRemoval: true,
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

  // Keep the cursor in view when it moves.
  const virtualizerRef = useRef(virtualizer);
  virtualizerRef.current = virtualizer;
  useEffect(() => {
    if (activeIndex >= 0) virtualizerRef.current.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex]);

  // Load the next page when its placeholder row scrolls into view.
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length ? items[items.length - 1]!.index : -1;
  useEffect(() => {
    if (hasMore && !loadingMore && onLoadMore && lastVisible >= rows.length - 3 && rows.length > 0) onLoadMore();
  }, [hasMore, loadingMore, onLoadMore, lastVisible, rows.length]);

  const move = (to: number) => {
    if (!rows.length) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    onActiveChange(rows[i]!.original);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / rowHeight) - 1);
    const cur = activeIndex;
    const r = cur >= 0 ? rows[cur]!.original : null;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        move(cur < 0 ? 0 : cur + 1);
        break;
      case 'ArrowUp':
        move(cur < 0 ? 0 : cur - 1);
        break;
      case 'PageDown':
        move((cur < 0 ? 0 : cur) + page);
        break;
      case 'PageUp':
        move((cur < 0 ? 0 : cur) - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!tree || !r) {
          handled = false;
          break;
        }
        if (tree.expandable(r) && !tree.expanded(r)) tree.toggle(r, true);
        else if (tree.expanded(r) && cur + 1 < rows.length && tree.level(rows[cur + 1]!.original) > tree.level(r)) move(cur + 1);
        break;
      case 'ArrowLeft': {
        if (!tree || !r) {
          handled = false;
          break;
        }
        if (tree.expandable(r) && tree.expanded(r)) tree.toggle(r, false);
        else {
          const p = tree.parentId(r);
          const pi = p === null ? -1 : indexById.get(p) ?? -1;
          if (pi >= 0) move(pi);
        }
        break;
      }
      case 'Enter':
      case ' ':
        if (r && onActivate) onActivate(r);
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
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
          const canSort = sortable && h.column.getCanSort();
          return (
            <div
              key={h.id}
              role="columnheader"
              className={`grid-cell grid-cell--${h.column.id}${numeric.includes(h.column.id) ? ' grid-cell--num' : ''}`}
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
            >
              {canSort ? (
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
                      Load more ({(count - rows.length).toLocaleString()} left)
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
                onActiveChange(r);
                if (activateOnClick) onActivate?.(r);
                scrollRef.current?.focus({ preventScroll: true });
              }}
              onDoubleClick={() => {
                if (tree && canExpand) tree.toggle(r, !isExpanded);
                else onActivate?.(r);
              }}
            >
              {span !== null ? (
                <div role="gridcell" className="grid-cell grid-cell--span">
                  <span className="tree-indent" style={{ width: indentOf(level) + 18 }} aria-hidden="true" />
                  {span}
                </div>
              ) : (
                row.getAllCells().map((cell, ci) => (
                  <div
                    key={cell.id}
                    role="gridcell"
                    className={`grid-cell grid-cell--${cell.column.id}${numeric.includes(cell.column.id) ? ' grid-cell--num' : ''}`}
                  >
                    {tree && ci === 0 ? (
                      <>
                        <span className="tree-indent" style={{ width: indentOf(level) }} aria-hidden="true" />
                        {level - 1 > MAX_INDENT_LEVELS ? (
                          <span className="tree-depth" title={`Depth ${level}`} aria-hidden="true">
                            {level}
                          </span>
                        ) : null}
                        {canExpand ? (
                          <button
                            type="button"
                            className={`tree-toggle${isExpanded ? ' is-expanded' : ''}`}
                            tabIndex={-1}
                            aria-hidden="true"
                            onClick={(e) => {
                              e.stopPropagation();
                              tree.toggle(r, !isExpanded);
                              onActiveChange(r);
                              scrollRef.current?.focus({ preventScroll: true });
                            }}
                          >
                            <svg viewBox="0 0 10 10">
                              <path d="M3 1.5 7 5 3 8.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
                            </svg>
                          </button>
                        ) : (
                          <span className="tree-toggle tree-toggle--leaf" aria-hidden="true" />
                        )}
                      </>
                    ) : null}
                    <span className="grid-cell__text">
                      <table.FlexRender cell={cell} />
                    </span>
                  </div>
                ))
              )}
            </div>
          );
        })}
      </div>
      {!loading && rows.length === 0 && empty ? <div className="panel__empty">{empty}</div> : null}
    </div>
  );
}

/** A percentage bar behind a cell's text (decorative). */
export function PctBar({ part, whole }: { part: number; whole: number }) {
  const f = whole > 0 ? Math.max(0, Math.min(1, part / whole)) : 0;
  return <span className="pct-bar" aria-hidden="true" style={{ width: `calc((100% - 6px) * ${f})` }} />;
}
