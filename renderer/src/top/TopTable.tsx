/**
 * The top table (pprof's `top`): flat, flat%, cum, cum%, name, in the one `DataGrid` (sorting,
 * virtual rows, keyboard: TopGrid.tsx). A name filter narrows the rows; the selected function is
 * handed to the flame graph and offered to Focus / Ignore / Hide.
 *
 * The grid is a lazy chunk fetched once the page is idle: before its first result the table shows
 * an empty grid area that is loading, so a fresh page's first screen (the flame graph) needs
 * neither TanStack Table nor the virtualizer.
 */
import { useEffect, useMemo, useState } from 'react';
import type { TopResult, TopRow } from '../../../shared/api/types';
import { filterCount, FilterField } from '../grid/FilterField';
import { whenIdle } from '../lib/idle';
import { lazyComponent } from '../lib/lazy';
import { escapeRegExp } from '../lib/regex';
import { formatNumber } from '../lib/format';

const loadingGrid = <div className="grid-scroll is-loading" aria-busy="true" />;
const TopGrid = lazyComponent(() => import('./TopGrid').then((m) => m.TopGrid), loadingGrid);
const EMPTY: TopRow[] = [];
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
  const data = result?.rows ?? EMPTY;
  const [filterText, setFilterText] = useState('');
  useEffect(() => whenIdle(TopGrid.preload), []);

  // Row ids are positions in the result (names are shown, not keyed on); the filter keeps them.
  const ids = useMemo(() => new Map(data.map((r, i) => [r, String(i)])), [data]);
  const rows = useMemo(() => {
    const f = filterText.toLowerCase();
    return f ? data.filter((r) => r.name.toLowerCase().includes(f)) : data;
  }, [data, filterText]);
  const selectedRow = selected === null ? null : rows.find((r) => r.name === selected) ?? null;
  const activeId = selectedRow ? ids.get(selectedRow)! : null;
  const emptyText = result ? (filterText ? 'No function matches the name filter.' : filtered ? 'No samples match the refine filters.' : 'No samples.') : 'No data yet.';

  return (
    <section className="panel top-panel" aria-label="Top functions">
      <div className="panel__toolbar">
        <FilterField value={filterText} onChange={setFilterText} label="Filter top table by name" testId="top-filter" />
        <span className="text-muted top-count" aria-live="polite">
          {result ? filterCount(rows.length, data.length, !!filterText, `${formatNumber(data.length)} rows`) : ''}
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
      {/* Before the first result (the call is starting or running), the grid area is loading. */}
      {!result && !stale ? (
        loadingGrid
      ) : (
        <TopGrid rows={rows} ids={ids} activeId={activeId} result={result} onSelect={onSelect} empty={emptyText} loading={!!loading && !result} stale={!!stale || (!!loading && !!result)} />
      )}
    </section>
  );
}
