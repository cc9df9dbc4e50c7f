/**
 * The top table's grid: the columns (flat, flat%, cum, cum%, name) in the one `DataGrid`. A chunk of
 * its own (lib/lazy.tsx), with TanStack Table and the virtualizer: a fresh page's first screen
 * shows the flame graph before the top table has rows, so the boot bundle does without them.
 */
import { useMemo } from 'react';
import type { TopResult, TopRow } from '../../../shared/api/types';
import { gridHelper, textColumn } from '../grid/columns';
import { DataGrid } from '../grid/DataGrid';
import { formatPercent, formatValue } from '../lib/format';

const h = gridHelper<TopRow>();
const SORT_BY_FLAT = [{ id: 'flat', desc: true }];

export interface TopGridProps {
  rows: TopRow[];
  /** Row ids: positions in the result (names are shown, not keyed on). */
  ids: Map<TopRow, string>;
  activeId: string | null;
  /** The result (its total, unit and sample type); null before the first one. */
  result: TopResult | null;
  loading: boolean;
  stale: boolean;
  empty: string;
  onSelect(name: string | null): void;
}

export function TopGrid({ rows, ids, activeId, result, loading, stale, empty, onSelect }: TopGridProps) {
  const total = result?.total ?? 0;
  const unit = result?.sampleType.unit ?? '';
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

  return (
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
      loading={loading}
      stale={stale}
      rowHeight={24}
      empty={empty}
    />
  );
}
