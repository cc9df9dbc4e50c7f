/**
 * GC roots ranked by retained size (what each root alone keeps alive), paged from the engine:
 * the next page loads as the last rows scroll into view. The selection follows the cursor.
 */
import { useMemo } from 'react';
import { describeError } from '../../../shared/errors';
import type { RootRow } from '../../../shared/heap/types';
import { formatBytes, formatCount, formatPercent } from '../lib/format';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper } from '../grid/columns';
import { PctBar } from '../grid/PctBar';
import { RootBadge } from './RootBadge';
import type { PagedList } from './usePaged';

const h = gridHelper<RootRow>();

export interface RootsTableProps {
  roots: PagedList<RootRow>;
  reachableBytes: number;
  selectedNode: number | null;
  onSelect(r: RootRow): void;
  /** Enter / double-click: show what the root retains. */
  onOpen(r: RootRow): void;
}

export function RootsTable({ roots, reachableBytes, selectedNode, onSelect, onOpen }: RootsTableProps) {
  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('kind', { id: 'kind', header: 'Kind', cell: (c) => <RootBadge kind={c.getValue()} /> }),
        h.accessor('name', {
          id: 'name',
          header: 'Root',
          cell: (c) => (
            <span className="root-name" title={c.row.original.type ? `${c.getValue()} ${c.row.original.type}` : c.getValue()}>
              {c.getValue()}
              {c.row.original.type ? <span className="type-name mono">{c.row.original.type}</span> : null}
            </span>
          ),
        }),
        h.accessor('retainedBytes', { id: 'retained', header: 'Retained', cell: (c) => formatBytes(c.getValue()) }),
        h.accessor('retainedBytes', {
          id: 'retainedPct',
          header: '% of reachable',
          cell: (c) => (
            <>
              <PctBar part={c.getValue()} whole={reachableBytes} />
              <span className="pct-text">{formatPercent(c.getValue(), reachableBytes)}</span>
            </>
          ),
        }),
        h.accessor('retainedObjects', { id: 'objects', header: 'Objects', cell: (c) => formatCount(c.getValue()) }),
      ]),
    [reachableBytes],
  );
  return (
    <DataGrid<RootRow>
      columns={columns}
      data={roots.rows}
      getRowId={(r) => String(r.node)}
      template="96px minmax(200px, 1fr) 84px 120px 72px"
      numeric={['retained', 'retainedPct', 'objects']}
      ariaLabel="GC roots by retained size (Enter: what the root retains, by allocation site)"
      testId="roots-table"
      rowTestId="root-row"
      activeId={selectedNode === null ? null : String(selectedNode)}
      onActiveChange={onSelect}
      onActivate={onOpen}
      total={roots.total}
      hasMore={roots.hasMore}
      loadingMore={roots.busy && roots.loaded}
      onLoadMore={roots.loadMore}
      loading={roots.busy && !roots.loaded}
      stale={!!roots.error}
      empty={roots.error ? <span className="text-warning">{describeError(roots.error)}</span> : 'No GC roots.'}
      rowData={(r) => ({ 'data-node': String(r.node), 'data-kind': r.kind })}
    />
  );
}
