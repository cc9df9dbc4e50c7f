/**
 * Merged shortest paths of a set of objects (an allocation site, a size class): for each object its
 * shortest path from a GC root, merged into one tree (MAT's "merge shortest paths to GC roots").
 * Each row counts the objects of the set whose path goes through it. Rows with an address open in
 * the inspector.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { HeapScope } from '../../../shared/heap/analysis';
import type { MergedPathRow, MergedPathsResult } from '../../../shared/heap/types';
import { formatBytes, formatCount, plural, formatNumber } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, type GridTree } from '../grid/columns';
import { RootBadge } from './RootBadge';

const MAX_ROWS = 5000;
/** Open everything when the tree is small; else the first levels. */
const EXPAND_ALL_BELOW = 400;

interface Item {
  id: string;
  row: MergedPathRow;
  hasChildren: boolean;
}

const h = gridHelper<Item>();

export interface MergedPathsProps {
  client: ApiClient;
  handle: string;
  scope: HeapScope;
  /** What the set is ("main.cacheSession (main.go:97)"). */
  title: string;
  selectedNode: number | null;
  onSelectObject(node: number, address: string): void;
}

export function MergedPaths({ client, handle, scope, title, selectedNode, onSelectObject }: MergedPathsProps) {
  const call = useApiCall();
  const [result, setResult] = useState<MergedPathsResult | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const [activeId, setActiveId] = useState<string | null>(null);
  const scopeKey = JSON.stringify(scope);

  const load = useCallback(() => {
    setResult(null);
    void call
      .run(`Merging shortest paths (${title})`, (o) => client.heapMergedPaths({ handle, scope: JSON.parse(scopeKey) as HeapScope, maxRows: MAX_ROWS }, o))
      .then((r) => {
        if (!r) return;
        const parents = new Set(r.rows.map((x) => x.parent));
        const open = new Set<number>();
        for (const x of r.rows) if (parents.has(x.id) && (r.rows.length <= EXPAND_ALL_BELOW || x.depth < 2)) open.add(x.id);
        setExpanded(open);
        setActiveId(null);
        setResult(r);
      });
  }, [call.run, client, handle, scopeKey, title]);
  useEffect(load, [load]);

  const { items, byId } = useMemo(() => {
    const rows = result?.rows ?? [];
    const kids = new Map<number, MergedPathRow[]>();
    for (const r of rows) {
      let l = kids.get(r.parent);
      if (!l) kids.set(r.parent, (l = []));
      l.push(r);
    }
    const out: Item[] = [];
    const stack: MergedPathRow[] = [...(kids.get(-1) ?? [])].reverse();
    while (stack.length) {
      const r = stack.pop()!;
      const ch = kids.get(r.id);
      out.push({ id: `p${r.id}`, row: r, hasChildren: !!ch?.length });
      if (ch && expanded.has(r.id)) for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]!);
    }
    const m = new Map(rows.map((r) => [r.id, r] as const));
    return { items: out, byId: m };
  }, [result, expanded]);

  const tree = useMemo<GridTree<Item>>(
    () => ({
      level: (it) => it.row.depth + 1,
      expandable: (it) => it.hasChildren,
      expanded: (it) => expanded.has(it.row.id),
      toggle: (it, open) =>
        setExpanded((s) => {
          const next = new Set(s);
          if (open) next.add(it.row.id);
          else next.delete(it.row.id);
          return next;
        }),
      parentId: (it) => (it.row.parent >= 0 && byId.has(it.row.parent) ? `p${it.row.parent}` : null),
    }),
    [expanded, byId],
  );

  const columns = useMemo(
    () =>
      h.columns([
        h.display({
          id: 'label',
          header: 'Path from GC root',
          cell: (c) => {
            const r = c.row.original.row;
            return (
              <span className="dom-label">
                {r.rootKind ? <RootBadge kind={r.rootKind} /> : null}
                <span className={r.address ? 'mono' : 'dom-label__root'} title={r.label}>
                  {r.label}
                </span>
              </span>
            );
          },
        }),
        h.display({ id: 'objects', header: 'Objects', cell: (c) => formatCount(c.row.original.row.objects) }),
        h.display({ id: 'bytes', header: 'Bytes', cell: (c) => formatBytes(c.row.original.row.bytes) }),
        h.display({ id: 'size', header: 'Own size', cell: (c) => (c.row.original.row.address ? formatBytes(c.row.original.row.size) : '') }),
      ]),
    [],
  );

  const open = (it: Item) => {
    if (it.row.address) onSelectObject(it.row.node, it.row.address);
  };

  return (
    <section className="merged-paths" aria-label={`Merged shortest paths to GC roots: ${title}`} data-testid="merged-paths">
      <div className="merged-paths__head">
        <span className="section-title">Why alive</span>
        <span className="merged-paths__title mono" title={title}>
          {title}
        </span>
        <span className="toolbar-spacer" />
        {result ? (
          <span className="text-muted merged-paths__note">
            shortest path of each object, merged
            {result.unreachable ? ` · ${plural(result.unreachable, 'object')} unreachable (garbage)` : ''}
            {result.truncated ? ` · first ${formatNumber(MAX_ROWS)} rows` : ''}
          </span>
        ) : null}
      </div>
      {call.error ? <ErrorBanner title="Merged paths" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <DataGrid<Item>
        columns={columns}
        data={items}
        getRowId={(it) => it.id}
        template="minmax(220px, 1fr) 72px 84px 84px"
        numeric={['objects', 'bytes', 'size']}
        ariaLabel={`Merged shortest paths for ${title}`}
        testId="merged-paths-tree"
        rowTestId="merged-row"
        activeId={activeId}
        onActiveChange={(it) => setActiveId(it.id)}
        selectedId={selectedNode === null ? null : items.find((it) => it.row.node === selectedNode)?.id ?? null}
        onActivate={open}
        activateOnClick
        tree={tree}
        loading={call.busy}
        empty={result && result.unreachable ? 'No GC root reaches these objects: they are garbage.' : 'No objects.'}
        rowData={(it) => ({ 'data-node': String(it.row.node) })}
      />
    </section>
  );
}
