/**
 * The Types tab: objects by Go type (named from the binary's DWARF), with count, shallow bytes and
 * the retained bytes of the set (what would be freed if every object of the type were gone). Sorts
 * by any column, filters by text, groups by package; picking a type shows why its objects are alive
 * (merged shortest paths). Without DWARF it says why and how to get types.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HeapScope } from '../../../shared/heap/analysis';
import type { TypeRow, TypesInfo } from '../../../shared/heap/types';
import { formatBytes, formatCount, formatPercent } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, textColumn } from '../grid/columns';
import { PctBar } from '../grid/PctBar';
import { ScopePicker, toHeapScope, type ScopedTableProps } from './Groupings';
import { MergedPaths } from './MergedPaths';

type Row = TypeRow & { key: string; pkgRow: boolean };

const h = gridHelper<Row>();

export type TypesTableProps = ScopedTableProps;

/** Rows summed per package (retained: the sum of its types' sets, an upper bound). */
function byPackage(rows: TypeRow[]): Row[] {
  const m = new Map<string, Row>();
  for (const r of rows) {
    const k = r.package || '(builtin)';
    let p = m.get(k);
    if (!p) m.set(k, (p = { name: k, package: r.package, count: 0, bytes: 0, retainedBytes: 0, allocSite: null, unknown: r.unknown && !r.package, key: `p:${k}`, pkgRow: true }));
    p.count += r.count;
    p.bytes += r.bytes;
    p.retainedBytes += r.retainedBytes;
  }
  return [...m.values()].sort((a, b) => b.bytes - a.bytes);
}

export function TypesTable({ client, handle, scope, onScopeChange, selection, selectedNode, onSelectObject }: TypesTableProps) {
  const call = useApiCall();
  const [data, setData] = useState<{ info: TypesInfo; rows: TypeRow[]; total: number } | null>(null);
  const scopeKey = JSON.stringify(toHeapScope(scope));
  const load = useCallback(() => {
    const s = JSON.parse(scopeKey) as HeapScope;
    void call.run('Grouping objects by Go type', (o) => client.heapTypes({ handle, scope: s }, o)).then((r) => r && setData(r));
  }, [client, handle, scopeKey, call.run]);
  useEffect(load, [load]);
  const [filter, setFilter] = useState('');
  const [groupPkg, setGroupPkg] = useState(false);
  const [activeKey, setActiveKey] = useState<string | null>(null);

  const rows = useMemo<Row[]>(() => {
    if (!data) return [];
    const f = filter.trim().toLowerCase();
    const list = f ? data.rows.filter((r) => r.name.toLowerCase().includes(f) || (r.allocSite ?? '').toLowerCase().includes(f)) : data.rows;
    if (groupPkg) return byPackage(list);
    return list.map((r, i) => ({ ...r, key: `t${i}:${r.name}:${r.allocSite ?? ''}`, pkgRow: false }));
  }, [data, filter, groupPkg]);
  const totalBytes = useMemo(() => rows.reduce((a, r) => a + r.bytes, 0), [rows]);

  const columns = useMemo(
    () =>
      h.columns([
        textColumn(h, 'name', groupPkg ? 'Package' : 'Type', (r) => r.name, (_v, r) => {
          return (
            <span className={r.unknown ? 'text-muted mono' : 'mono'} title={r.allocSite ? `${r.name}\nallocated at ${r.allocSite}` : r.name}>
              {r.name}
              {r.allocSite ? <span className="text-muted"> · {r.allocSite}</span> : null}
            </span>
          );
        }),
        h.accessor('count', { id: 'count', header: 'Objects', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatCount(c.getValue()) }),
        h.accessor('bytes', { id: 'bytes', header: 'Shallow', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatBytes(c.getValue()) }),
        h.accessor('bytes', {
          id: 'bytesPct',
          header: '% of scope',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) => (
            <>
              <PctBar part={c.getValue()} whole={totalBytes} />
              <span className="pct-text">{formatPercent(c.getValue(), totalBytes)}</span>
            </>
          ),
        }),
        h.accessor('retainedBytes', {
          id: 'retained',
          header: groupPkg ? 'Retained (sum)' : 'Retained',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) => formatBytes(c.getValue()),
        }),
      ]),
    [groupPkg, totalBytes],
  );

  const active = rows.find((r) => r.key === activeKey) ?? null;
  const onActive = useCallback((r: Row) => setActiveKey(r.key), []);
  const info = data?.info;

  if (info && !info.available) {
    return (
      <div className="types-unavailable heap-hint" role="note" data-testid="types-unavailable">
        <strong>Object types are not named.</strong> {info.reason} Heapscope names every object by its Go type from the program binary's DWARF: open the unstripped
        executable that wrote the dump (not built with <code>-ldflags=-w</code> or <code>-s -w</code>).
      </div>
    );
  }

  return (
    <div className={`groupings types-tab${active ? ' has-detail' : ''}`} data-testid="types-tab">
      <div className="groupings__head">
        <ScopePicker scope={scope} onChange={onScopeChange} selection={selection} />
        <label className="field">
          <span className="field__label">Filter</span>
          <input className="input" type="search" value={filter} placeholder="main.Session, map.bucket, []uint8…" onChange={(e) => setFilter(e.target.value)} data-testid="types-filter" aria-label="Filter types" />
        </label>
        <label className="field field--inline">
          <input type="checkbox" checked={groupPkg} onChange={(e) => setGroupPkg(e.target.checked)} data-testid="types-group-package" /> by package
        </label>
        <span className="groupings__summary text-muted" aria-live="polite" data-testid="types-summary">
          {info ? (
            <>
              {formatCount(data!.total)} types · {(info.typedBytesShare * 100).toFixed(1)}% of reachable bytes typed
              {info.conflicts ? ` · ${formatCount(info.conflicts)} conflicting hints` : ''}
            </>
          ) : null}
        </span>
      </div>
      {call.error ? <ErrorBanner error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <div className="groupings__table">
        <DataGrid<Row>
          columns={columns}
          data={rows}
          getRowId={(r) => r.key}
          template="minmax(240px, 1fr) 80px 90px 100px 120px"
          numeric={['count', 'bytes', 'retained', 'bytesPct']}
          ariaLabel="Objects by Go type"
          testId="types-table"
          rowTestId="type-row"
          activeId={activeKey}
          onActiveChange={onActive}
          onActivate={onActive}
          sortable
          initialSorting={[{ id: 'retained', desc: true }]}
          total={rows.length}
          loading={call.busy && !data}
          empty="No objects in this scope."
          rowData={(r) => ({ 'data-type': r.name })}
        />
      </div>
      {active && !active.pkgRow ? (
        <MergedPaths client={client} handle={handle} scope={{ kind: 'type', name: active.name }} title={active.name} selectedNode={selectedNode} onSelectObject={onSelectObject} />
      ) : (
        <p className="groupings__hint text-muted">Select a type to see why its objects are alive (their shortest paths from GC roots, merged).</p>
      )}
    </div>
  );
}
