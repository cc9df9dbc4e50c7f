/**
 * Objects grouped by allocation site or by size class, within a scope: the reachable heap (default),
 * everything, the garbage, or what the selected root/object retains. Picking a group shows why its
 * objects are alive (merged shortest paths to GC roots) below the table.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import { describeError } from '../../../shared/errors';
import type { HeapScope } from '../../../shared/heap/analysis';
import type { AllocSiteRow, SizeClassRow } from '../../../shared/heap/types';
import { formatBytes, formatCount, formatPercent } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, textColumn } from '../grid/columns';
import { PctBar } from '../grid/PctBar';
import { MergedPaths } from './MergedPaths';
import type { HeapSelection } from './selection';
import { usePaged, type PageFetcher } from './usePaged';
import { SiteSourceLink } from '../source/HeapSource';

export type ScopeChoice = { kind: 'reachable' } | { kind: 'all' } | { kind: 'garbage' } | { kind: 'retainedBy'; node: number; label: string };

export function toHeapScope(s: ScopeChoice): HeapScope {
  return s.kind === 'retainedBy' ? { kind: 'retainedBy', node: s.node } : s;
}

export function scopeLabel(s: ScopeChoice): string {
  switch (s.kind) {
    case 'reachable':
      return 'Reachable objects';
    case 'all':
      return 'All objects (with garbage)';
    case 'garbage':
      return 'Garbage only';
    case 'retainedBy':
      return `Retained by ${s.label}`;
  }
}

const PAGE = 500;

export interface ScopePickerProps {
  scope: ScopeChoice;
  onChange(s: ScopeChoice): void;
  selection: HeapSelection | null;
}

export function ScopePicker({ scope, onChange, selection }: ScopePickerProps) {
  const options: ScopeChoice[] = [{ kind: 'reachable' }, { kind: 'all' }, { kind: 'garbage' }];
  if (scope.kind === 'retainedBy') options.push(scope);
  if (selection && !(scope.kind === 'retainedBy' && scope.node === selection.node)) options.push({ kind: 'retainedBy', node: selection.node, label: selection.label });
  const key = (s: ScopeChoice) => (s.kind === 'retainedBy' ? `r${s.node}` : s.kind);
  return (
    <label className="field">
      <span className="field__label">Scope</span>
      <select
        className="select select--scope"
        data-testid="grouping-scope"
        aria-label="Which objects to group"
        value={key(scope)}
        onChange={(e) => {
          const s = options.find((o) => key(o) === e.target.value);
          if (s) onChange(s);
        }}
      >
        {options.map((o) => (
          <option key={key(o)} value={key(o)}>
            {scopeLabel(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

type GroupRow = (AllocSiteRow & { key: string; group: 'site' }) | (SizeClassRow & { key: string; group: 'size' });

const h = gridHelper<GroupRow>();

/** What a table of the dump's objects grouped some way takes: the scope it groups and the selection. */
export interface ScopedTableProps {
  client: ApiClient;
  handle: string;
  scope: ScopeChoice;
  onScopeChange(s: ScopeChoice): void;
  /** Offered as a scope ("retained by …"). */
  selection: HeapSelection | null;
  selectedNode: number | null;
  onSelectObject(node: number, address: string): void;
}

export interface GroupingsProps extends ScopedTableProps {
  mode: 'sites' | 'sizes';
}

export function Groupings({ client, handle, mode, scope, onScopeChange, selection, selectedNode, onSelectObject }: GroupingsProps) {
  const scopeKey = JSON.stringify(toHeapScope(scope));
  const fetcher = useMemo<PageFetcher<GroupRow>>(() => {
    const s = JSON.parse(scopeKey) as HeapScope;
    return mode === 'sites'
      ? async (start, count, o) => {
          const p = await client.heapAllocSites({ handle, scope: s, start, count }, o);
          return { ...p, rows: p.rows.map((r) => ({ ...r, key: `s${r.site}`, group: 'site' as const })) };
        }
      : async (start, count, o) => {
          const p = await client.heapSizeClasses({ handle, scope: s, start, count }, o);
          return { ...p, rows: p.rows.map((r) => ({ ...r, key: `z${r.size}`, group: 'size' as const })) };
        };
  }, [client, handle, mode, scopeKey]);
  const list = usePaged(fetcher, mode === 'sites' ? 'Grouping by allocation site' : 'Grouping by size class', PAGE);
  const [activeKey, setActiveKey] = useState<string | null>(null);

  const allLoaded = list.loaded && !list.hasMore;
  const totalBytes = useMemo(() => list.rows.reduce((a, r) => a + r.bytes, 0), [list.rows]);
  const totalObjects = useMemo(() => list.rows.reduce((a, r) => a + r.objects, 0), [list.rows]);

  const columns = useMemo(
    () =>
      h.columns([
        textColumn(h, 'label', mode === 'sites' ? 'Allocation site' : 'Size class', (r) => r.label, (_v, r) => {
          const title = r.group === 'site' && r.stack.length ? r.stack.map((f) => `${f.func}\n    ${f.file}:${f.line}`).join('\n') : r.label;
          return (
            <span className={r.group === 'site' && r.site >= 0 ? 'mono' : r.group === 'site' ? 'text-muted' : 'mono'} title={title}>
              {r.label}
              {r.group === 'site' ? <SiteSourceLink stack={r.stack} /> : null}
            </span>
          );
        }),
        h.accessor('objects', { id: 'objects', header: 'Objects', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatCount(c.getValue()) }),
        h.accessor('bytes', { id: 'bytes', header: 'Bytes', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatBytes(c.getValue()) }),
        h.accessor('bytes', {
          id: 'bytesPct',
          header: '% of scope',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) =>
            allLoaded ? (
              <>
                <PctBar part={c.getValue()} whole={totalBytes} />
                <span className="pct-text">{formatPercent(c.getValue(), totalBytes)}</span>
              </>
            ) : (
              '–'
            ),
        }),
      ]),
    [mode, allLoaded, totalBytes],
  );

  const active = list.rows.find((r) => r.key === activeKey) ?? null;
  const groupScope: HeapScope | null = active ? (active.group === 'site' ? { kind: 'allocSite', site: active.site } : { kind: 'sizeClass', size: active.size }) : null;
  const onActive = useCallback((r: GroupRow) => setActiveKey(r.key), []);

  return (
    <div className={`groupings${active ? ' has-detail' : ''}`}>
      <div className="groupings__head">
        <ScopePicker scope={scope} onChange={onScopeChange} selection={selection} />
        <span
          className="groupings__summary text-muted"
          aria-live="polite"
          title={mode === 'sites' ? 'Objects with no allocation sample are grouped as one row' : 'Objects above 32 KiB are grouped by power of two'}
        >
          {list.loaded ? (
            <>
              {formatCount(list.total)} {mode === 'sites' ? (list.total === 1 ? 'site' : 'sites') : list.total === 1 ? 'size class' : 'size classes'}
              {allLoaded ? ` · ${formatCount(totalObjects)} objects · ${formatBytes(totalBytes)}` : ''}
            </>
          ) : null}
        </span>
      </div>
      {list.error && list.loaded ? <ErrorBanner error={list.error} onRetry={list.loadMore} onDismiss={list.clearError} /> : null}
      <div className="groupings__table">
        <DataGrid<GroupRow>
          columns={columns}
          data={list.rows}
          getRowId={(r) => r.key}
          template="minmax(200px, 1fr) 80px 90px 120px"
          numeric={['objects', 'bytes', 'bytesPct']}
          ariaLabel={mode === 'sites' ? 'Objects by allocation site' : 'Objects by size class'}
          testId={mode === 'sites' ? 'alloc-sites-table' : 'size-classes-table'}
          rowTestId={mode === 'sites' ? 'alloc-site-row' : 'size-class-row'}
          activeId={activeKey}
          onActiveChange={onActive}
          onActivate={onActive}
          sortable
          total={list.total}
          hasMore={list.hasMore}
          loadingMore={list.busy && list.loaded}
          onLoadMore={list.loadMore}
          loading={list.busy && !list.loaded}
          empty={list.error ? <span className="text-warning">{describeError(list.error)}</span> : 'No objects in this scope.'}
          rowData={(r) => ({ 'data-key': r.key })}
        />
      </div>
      {active && groupScope ? (
        <MergedPaths client={client} handle={handle} scope={groupScope} title={active.label} selectedNode={selectedNode} onSelectObject={onSelectObject} />
      ) : (
        <p className="groupings__hint text-muted">Select a row to see why its objects are alive (their shortest paths from GC roots, merged).</p>
      )}
    </div>
  );
}
