/**
 * The delta table (compareTop): per function, the change of flat and cum values, base and target,
 * and whether it is new, gone or in both. Sortable, virtualized (the one DataGrid), filtered by
 * name; the selected row is highlighted in the differential flame graph (exact-name search).
 */
import { useMemo, useState } from 'react';
import type { DiffTopResult, DiffTopRow } from '../../../shared/compare/types';
import { DataGrid } from '../grid/DataGrid';
import { filterCount, FilterField } from '../grid/FilterField';
import { gridHelper, maxAbs, textColumn } from '../grid/columns';
import { formatValue, formatNumber } from '../lib/format';
import { deltaColumn, PresenceTag, signed, signedPercent } from './Delta';

const h = gridHelper<DiffTopRow>();
const EMPTY: DiffTopRow[] = [];
const STATUS_RANK = { new: 0, gone: 1, both: 2 } as const;

export interface DeltaTableProps {
  result: DiffTopResult | null;
  loading?: boolean;
  stale?: boolean;
  filtered?: boolean;
  baseName: string;
  targetName: string;
  selected: string | null;
  onSelect(name: string | null): void;
}

export function DeltaTable({ result, loading, stale, filtered, baseName, targetName, selected, onSelect }: DeltaTableProps) {
  const unit = result?.sampleType.unit ?? '';
  const total = result?.total ?? 0;
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const all = result?.rows ?? EMPTY;
    const f = filter.trim().toLowerCase();
    return f ? all.filter((r) => r.name.toLowerCase().includes(f)) : all;
  }, [result, filter]);
  const maxFlat = useMemo(() => maxAbs(rows, (r) => r.flat), [rows]);
  const maxCum = useMemo(() => maxAbs(rows, (r) => r.cum), [rows]);
  const counts = useMemo(() => {
    const c = { new: 0, gone: 0 };
    for (const r of result?.rows ?? EMPTY) if (r.status !== 'both') c[r.status]++;
    return c;
  }, [result]);

  const columns = useMemo(() => {
    const ofBase = (v: number) => `${signedPercent(v, total)} of the base total`;
    return h.columns([
      textColumn(h, 'name', 'Function', (r) => r.name, (v) => (
        <span className="mono" title={v}>
          {v}
        </span>
      )),
      h.accessor((r) => STATUS_RANK[r.status], {
        id: 'status',
        header: 'Status',
        sortFn: 'basic',
        cell: (c) =>
          c.row.original.status === 'both' ? (
            <span className="status-text" title="In both profiles">
              both
            </span>
          ) : (
            <PresenceTag status={c.row.original.status} />
          ),
      }),
      deltaColumn(h, 'flat', 'Δ flat', (r) => r.flat, { max: maxFlat, format: (v) => signed(v, unit), title: ofBase, testId: 'delta-flat' }),
      deltaColumn(h, 'cum', 'Δ cum', (r) => r.cum, { max: maxCum, format: (v) => signed(v, unit), title: ofBase }),
      h.accessor('baseFlat', {
        id: 'base',
        header: 'Base',
        sortFn: 'basic',
        sortDescFirst: true,
        cell: (c) => <span title={`${baseName}: flat ${formatValue(c.row.original.baseFlat, unit)}, cum ${formatValue(c.row.original.baseCum, unit)}`}>{formatValue(c.getValue(), unit)}</span>,
      }),
      h.accessor('targetFlat', {
        id: 'target',
        header: 'Target',
        sortFn: 'basic',
        sortDescFirst: true,
        cell: (c) => (
          <span title={`${targetName}: flat ${formatValue(c.row.original.targetFlat, unit)}, cum ${formatValue(c.row.original.targetCum, unit)}`}>{formatValue(c.getValue(), unit)}</span>
        ),
      }),
    ]);
  }, [unit, total, maxFlat, maxCum, baseName, targetName]);

  return (
    <section className="panel delta-panel" aria-label="Delta table">
      <div className="panel__toolbar">
        <FilterField value={filter} onChange={setFilter} label="Filter the delta table by name" testId="delta-filter" />
        <span className="text-muted top-count" aria-live="polite">
          {result ? filterCount(rows.length, result.rows.length, !!filter, `${formatNumber(result.rows.length)} changed`) : ''}
        </span>
        {counts.new ? <span className="pill presence-count presence-count--new">{counts.new} new</span> : null}
        {counts.gone ? <span className="pill presence-count presence-count--gone">{counts.gone} gone</span> : null}
        <div className="toolbar-spacer" />
        {selected ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => onSelect(null)} title="Clear the selection (and the highlight in the flame graph)">
            Clear selection
          </button>
        ) : null}
      </div>
      <DataGrid<DiffTopRow>
        columns={columns}
        data={rows}
        getRowId={(r) => r.name}
        template="minmax(180px, 1fr) 60px 100px 100px 80px 80px"
        numeric={['flat', 'cum', 'base', 'target']}
        ariaLabel={`Change per function, ${result?.sampleType.type ?? ''}`}
        testId="delta-table"
        rowTestId="delta-row"
        activeId={selected}
        onActiveChange={(r) => onSelect(r.name)}
        sortable
        loading={!!loading && !result}
        stale={!!stale || (!!loading && !!result)}
        empty={filter ? 'No function matches the name filter.' : filtered ? 'Nothing changed under the refine filters.' : 'Nothing changed.'}
        rowData={(r) => ({ 'data-name': r.name, 'data-status': r.status, 'data-delta-flat': String(r.flat), 'data-delta-cum': String(r.cum) })}
        rowClass={(r) => `delta-row--${r.status}`}
      />
    </section>
  );
}
