/**
 * The top table (pprof's `top`): flat, flat%, cum, cum%, name, in the one `DataGrid` (sorting,
 * virtual rows, keyboard). A name filter narrows the rows; the selected function is handed to the
 * flame graph and offered to Focus / Ignore / Hide.
 */
import { useMemo, useState } from 'react';
import type { TopResult, TopRow } from '../../../shared/api/types';
import { gridHelper, textColumn } from '../grid/columns';
import { DataGrid } from '../grid/DataGrid';
import { filterCount, FilterField } from '../grid/FilterField';
import { formatPercent, formatValue } from '../lib/format';
import { escapeRegExp } from '../lib/regex';

const h = gridHelper<TopRow>();
const EMPTY: TopRow[] = [];
const SORT_BY_FLAT = [{ id: 'flat', desc: true }];
const REFINE_KINDS = ['focus', 'ignore', 'hide'] as const;

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
  const [filterText, setFilterText] = useState('');

  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('flat', { id: 'flat', header: 'Flat', sortDescFirst: true, sortFn: 'basic', meta: { className: 'top-cell--flat' }, cell: (c) => formatValue(c.getValue(), unit) }),
        h.accessor((r) => r.flat, {
          id: 'flatPct',
          header: 'Flat%',
          sortDescFirst: true,
          sortFn: 'basic',
          meta: { className: 'top-cell--flatPct', barWhole: total },
          cell: (c) => formatPercent(c.getValue(), total),
        }),
        h.accessor('cum', { id: 'cum', header: 'Cum', sortDescFirst: true, sortFn: 'basic', meta: { className: 'top-cell--cum' }, cell: (c) => formatValue(c.getValue(), unit) }),
        h.accessor((r) => r.cum, {
          id: 'cumPct',
          header: 'Cum%',
          sortDescFirst: true,
          sortFn: 'basic',
          meta: { className: 'top-cell--cumPct', barWhole: total },
          cell: (c) => formatPercent(c.getValue(), total),
        }),
        textColumn(h, 'name', 'Name', (r) => r.name, (v) => <span title={v}>{v}</span>, { className: 'top-cell--name' }),
      ]),
    [unit, total],
  );

  // Row ids are positions in the result (names are shown, not keyed on); the filter keeps them.
  const ids = useMemo(() => new Map(data.map((r, i) => [r, String(i)])), [data]);
  const rows = useMemo(() => {
    const f = filterText.toLowerCase();
    return f ? data.filter((r) => r.name.toLowerCase().includes(f)) : data;
  }, [data, filterText]);
  const selectedRow = selected === null ? null : rows.find((r) => r.name === selected) ?? null;
  const activeId = selectedRow ? ids.get(selectedRow)! : null;

  return (
    <section className="panel top-panel" aria-label="Top functions">
      <div className="panel__toolbar">
        <FilterField value={filterText} onChange={setFilterText} label="Filter top table by name" testId="top-filter" />
        <span className="text-muted top-count" aria-live="polite">
          {result ? filterCount(rows.length, data.length, !!filterText, `${data.length.toLocaleString()} rows`) : ''}
        </span>
        <div className="toolbar-spacer" />
        {onRefine ? (
          <div className="refine-actions" role="group" aria-label="Refine on the selected function">
            {REFINE_KINDS.map((k) => (
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
      <DataGrid<TopRow>
        columns={columns}
        data={rows}
        getRowId={(r) => ids.get(r)!}
        template="78px 66px 78px 66px minmax(160px, 1fr)"
        numeric={['flat', 'flatPct', 'cum', 'cumPct']}
        ariaLabel={`Top functions by ${result?.sampleType.type ?? 'value'}`}
        testId="top-table"
        rowTestId="top-row"
        activeId={activeId}
        onActiveChange={(r) => onSelect(r.name)}
        onClear={() => onSelect(null)}
        sortable
        sortRemoval={false}
        initialSorting={SORT_BY_FLAT}
        loading={!!loading && !result}
        stale={!!stale || (!!loading && !!result)}
        rowHeight={24}
        empty={result ? (filterText ? 'No function matches the name filter.' : filtered ? 'No samples match the refine filters.' : 'No samples.') : 'No data yet.'}
      />
    </section>
  );
}
