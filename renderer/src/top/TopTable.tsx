/**
 * The top table (pprof's `top`): flat, flat%, cum, cum%, name. TanStack Table v9 for sorting and
 * the name filter, TanStack Virtual for the rows (only the visible ~40 rows are in the DOM, so 50k
 * rows scroll smoothly). ARIA grid semantics; arrow keys, PageUp/PageDown, Home/End move the
 * selection, and the selected function is handed to the flame graph.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnFiltersState,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TopResult, TopRow } from '../../../shared/api/types';
import { formatPercent, formatValue } from '../lib/format';
import { escapeRegExp } from '../lib/regex';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
  columnFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { includesString: filterFn_includesString },
});

const helper = createColumnHelper<typeof features, TopRow>();

const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 28;
const EMPTY: TopRow[] = [];

export interface TopTableProps {
  result: TopResult | null;
  loading?: boolean;
  /** The last call failed: what is shown is from before. */
  stale?: boolean;
  /** Refine filters are active (changes the empty-state wording). */
  filtered?: boolean;
  selected: string | null;
  onSelect(name: string | null): void;
  /** Add a refine filter for a function (exact-name regex). */
  onRefine?(kind: 'focus' | 'ignore' | 'hide', regex: string): void;
}

export function TopTable({ result, loading, stale, filtered, selected, onSelect, onRefine }: TopTableProps) {
  const total = result?.total ?? 0;
  const unit = result?.sampleType.unit ?? '';
  const data = result?.rows ?? EMPTY;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('flat', { id: 'flat', header: 'Flat', sortDescFirst: true, sortFn: 'basic', cell: (c) => formatValue(c.getValue(), unit) }),
        helper.accessor((r) => r.flat, { id: 'flatPct', header: 'Flat%', sortDescFirst: true, sortFn: 'basic', cell: (c) => formatPercent(c.getValue(), total) }),
        helper.accessor('cum', { id: 'cum', header: 'Cum', sortDescFirst: true, sortFn: 'basic', cell: (c) => formatValue(c.getValue(), unit) }),
        helper.accessor((r) => r.cum, { id: 'cumPct', header: 'Cum%', sortDescFirst: true, sortFn: 'basic', cell: (c) => formatPercent(c.getValue(), total) }),
        helper.accessor('name', { id: 'name', header: 'Name', sortFn: 'alphanumeric', filterFn: 'includesString', cell: (c) => c.getValue() }),
      ]),
    [unit, total],
  );

  const [sorting, setSorting] = useState<SortingState>([{ id: 'flat', desc: true }]);
  const [filterText, setFilterText] = useState('');
  const columnFilters = useMemo<ColumnFiltersState>(() => (filterText ? [{ id: 'name', value: filterText }] : []), [filterText]);

  const table = useTable(
    {
      features,
      columns,
      data,
      getRowId: (_r, i) => String(i),
      state: { sorting, columnFilters },
      onSortingChange: setSorting,
      onColumnFiltersChange: () => undefined, // the name filter input owns this state
      enableSortingRemoval: false,
    },
    (s) => ({ sorting: s.sorting, columnFilters: s.columnFilters }),
  );

  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
  });

  const selectedIndex = useMemo(() => (selected === null ? -1 : rows.findIndex((r) => r.original.name === selected)), [rows, selected]);

  // Keep the selected row in view when it changes from outside (e.g. a new sort).
  const virtualizerRef = useRef(virtualizer);
  virtualizerRef.current = virtualizer;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizerRef.current.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex]);

  const move = (to: number) => {
    if (!rows.length) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    onSelect(rows[i]!.original.name);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const cur = selectedIndex;
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
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const activeId = selectedIndex >= 0 ? `top-row-${selectedIndex}` : undefined;
  const selectedRow = selectedIndex >= 0 ? rows[selectedIndex]!.original : null;

  return (
    <section className="panel top-panel" aria-label="Top functions">
      <div className="panel__toolbar">
        <div className="search-field search-field--compact">
          <svg className="search-field__icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M2 3h12L9.5 8.5V13l-3 1.5V8.5z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          </svg>
          <input
            type="search"
            className="search-field__input"
            placeholder="Filter names"
            aria-label="Filter top table by name"
            data-testid="top-filter"
            value={filterText}
            spellCheck={false}
            onChange={(e) => setFilterText(e.target.value)}
          />
        </div>
        <span className="text-muted top-count" aria-live="polite">
          {result ? (filterText ? `${rows.length.toLocaleString()} of ${data.length.toLocaleString()}` : `${data.length.toLocaleString()} rows`) : ''}
        </span>
        <div className="toolbar-spacer" />
        {onRefine ? (
          <div className="refine-actions" role="group" aria-label="Refine on the selected function">
            {(['focus', 'ignore', 'hide'] as const).map((k) => (
              <button
                key={k}
                type="button"
                className="btn btn--small btn--ghost"
                disabled={!selectedRow}
                onClick={() => selectedRow && onRefine(k, `^${escapeRegExp(selectedRow.name)}$`)}
                aria-label={selectedRow ? `${k} on ${selectedRow.name}` : `${k} on the selected function`}
                title={selectedRow ? `${k[0]!.toUpperCase()}${k.slice(1)} on ${selectedRow.name}` : 'Select a row first'}
              >
                {k[0]!.toUpperCase() + k.slice(1)}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <div
        ref={scrollRef}
        className={`top-scroll${loading ? ' is-loading' : stale ? ' is-stale' : ''}`}
        role="grid"
        aria-label={`Top functions by ${result?.sampleType.type ?? 'value'}`}
        aria-rowcount={rows.length + 1}
        aria-colcount={5}
        aria-activedescendant={activeId}
        tabIndex={0}
        data-testid="top-table"
        onKeyDown={onKeyDown}
      >
        <div className="top-row top-row--header" role="row" aria-rowindex={1}>
          {headers.map((h) => {
            const sorted = h.column.getIsSorted();
            return (
              <div
                key={h.id}
                role="columnheader"
                className={`top-cell top-cell--${h.column.id}`}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              >
                <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()} tabIndex={-1}>
                  <table.FlexRender header={h} />
                  <span className="sort-indicator" aria-hidden="true">
                    {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        <div className="top-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
          {virtualizer.getVirtualItems().map((vi) => {
            const row = rows[vi.index]!;
            const r = row.original;
            const isSel = vi.index === selectedIndex;
            return (
              <div
                key={vi.key}
                id={`top-row-${vi.index}`}
                role="row"
                aria-rowindex={vi.index + 2}
                aria-selected={isSel}
                className={`top-row${isSel ? ' is-selected' : ''}`}
                data-testid="top-row"
                style={{ transform: `translateY(${vi.start - HEADER_HEIGHT}px)` }}
                onClick={() => {
                  onSelect(isSel ? null : r.name);
                  scrollRef.current?.focus({ preventScroll: true });
                }}
              >
                {row.getAllCells().map((cell) => (
                  <div
                    key={cell.id}
                    role="gridcell"
                    className={`top-cell top-cell--${cell.column.id}`}
                    {...(cell.column.id === 'name' ? { title: r.name } : {})}
                  >
                    {cell.column.id === 'flatPct' || cell.column.id === 'cumPct' ? (
                      <span
                        className="pct-bar"
                        aria-hidden="true"
                        style={{ width: `calc((100% - 6px) * ${total ? Math.min(1, Math.abs(cell.column.id === 'flatPct' ? r.flat : r.cum) / total) : 0})` }}
                      />
                    ) : null}
                    <span className="top-cell__text">
                      <table.FlexRender cell={cell} />
                    </span>
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {result && rows.length === 0 ? <div className="panel__empty">{filterText ? 'No function matches the name filter.' : filtered ? 'No samples match the refine filters.' : 'No samples.'}</div> : null}
        {!result && !loading ? <div className="panel__empty">No data yet.</div> : null}
      </div>
    </section>
  );
}
