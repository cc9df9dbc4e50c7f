/**
 * The dominator tree: node 0 is the super-root, whose children are the GC roots (and objects that
 * several roots share). Each level loads when it is first expanded, a page at a time; the end of a
 * partly loaded level is a "show N more" row. Retained % is of the reachable heap.
 *
 * Keyboard (DataGrid treegrid): ↑/↓ move, → expands, ← collapses, Enter selects (paths + inspector).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { ErrorInfo } from '../../../shared/errors';
import { describeError } from '../../../shared/errors';
import type { DomRow } from '../../../shared/heap/types';
import { formatBytes, formatCount, formatPercent, formatNumber } from '../lib/format';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, type GridTree } from '../grid/columns';
import { PctBar } from '../grid/PctBar';
import { RootBadge } from './RootBadge';
import { useKeyedCalls } from './useKeyedCalls';

export const DOM_PAGE = 100;

const CANCELLED: ErrorInfo = { code: 'CANCELLED', message: 'loading cancelled' };

interface Level {
  rows: DomRow[];
  total: number;
  loading: boolean;
  error: ErrorInfo | null;
}

export type DomItem =
  | { kind: 'node'; id: string; row: DomRow; level: number; parent: number }
  | { kind: 'more'; id: string; parent: number; level: number; remaining: number; loading: boolean; error: ErrorInfo | null };

/** The visible rows: loaded children of expanded nodes, depth first (no recursion). */
export function flattenTree(levels: ReadonlyMap<number, Level>, expanded: ReadonlySet<number>): DomItem[] {
  const out: DomItem[] = [];
  const stack: Array<{ parent: number; level: number; i: number }> = [{ parent: 0, level: 1, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const lv = levels.get(top.parent);
    const rows = lv?.rows ?? [];
    if (top.i < rows.length) {
      const row = rows[top.i++]!;
      out.push({ kind: 'node', id: `n${row.node}`, row, level: top.level, parent: top.parent });
      if (row.children > 0 && expanded.has(row.node)) stack.push({ parent: row.node, level: top.level + 1, i: 0 });
      continue;
    }
    stack.pop();
    if (lv && (lv.loading || lv.error || rows.length < lv.total)) {
      out.push({ kind: 'more', id: `m${top.parent}`, parent: top.parent, level: top.level, remaining: lv.total - rows.length, loading: lv.loading, error: lv.error });
    }
  }
  return out;
}

const h = gridHelper<DomItem>();

export interface DominatorTreeProps {
  client: ApiClient;
  handle: string;
  reachableBytes: number;
  selectedNode: number | null;
  onSelect(row: DomRow): void;
}

export function DominatorTree({ client, handle, reachableBytes, selectedNode, onSelect }: DominatorTreeProps) {
  const calls = useKeyedCalls();
  const [levels, setLevels] = useState<Map<number, Level>>(() => new Map());
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const [activeId, setActiveId] = useState<string | null>(null);

  /** The newest request per node: an answer to an older one (superseded) changes nothing. */
  const latest = useRef(new Map<number, number>());
  const loadLevel = useCallback(
    (node: number, start: number) => {
      const mine = (latest.current.get(node) ?? 0) + 1;
      latest.current.set(node, mine);
      setLevels((m) => {
        const next = new Map(m);
        const cur = m.get(node);
        next.set(node, { rows: cur?.rows ?? [], total: cur?.total ?? 0, loading: true, error: null });
        return next;
      });
      const label = node === 0 ? 'Loading GC roots (dominator tree)' : `Loading dominated objects of node ${node}`;
      void calls.run(`dom:${node}`, label, (o) => client.heapDominators({ handle, node, start, count: DOM_PAGE }, o)).then((r) => {
        if (latest.current.get(node) !== mine) return;
        setLevels((m) => {
          const next = new Map(m);
          const cur = m.get(node) ?? { rows: [], total: 0, loading: false, error: null };
          if (r.ok) next.set(node, { rows: [...cur.rows.slice(0, start), ...r.value.rows], total: r.value.total, loading: false, error: null });
          // Cancelled (the status bar's Cancel): said on the level's last row, with a Retry.
          else next.set(node, { ...cur, loading: false, error: r.error ?? CANCELLED });
          return next;
        });
        // A level's first page loaded from its last row (a Retry after a cancel): the cursor goes to
        // the level's first row, not along with that row to the end of the page.
        const first = r.ok && start === 0 ? r.value.rows[0] : undefined;
        if (first) setActiveId((a) => (a === `m${node}` ? `n${first.node}` : a));
      });
    },
    [calls.run, client, handle],
  );

  useEffect(() => {
    setLevels(new Map());
    setExpanded(new Set());
    loadLevel(0, 0);
  }, [loadLevel]);

  const items = useMemo(() => flattenTree(levels, expanded), [levels, expanded]);

  // The cursor starts on the first row.
  useEffect(() => {
    if (activeId === null && items.length && items[0]!.kind === 'node') setActiveId(items[0]!.id);
  }, [activeId, items]);

  const toggle = useCallback(
    (it: DomItem, expand: boolean) => {
      if (it.kind !== 'node' || it.row.children === 0) return;
      const node = it.row.node;
      setExpanded((s) => {
        const next = new Set(s);
        if (expand) next.add(node);
        else next.delete(node);
        return next;
      });
      if (expand && !levels.has(node)) loadLevel(node, 0);
    },
    [levels, loadLevel],
  );

  const tree = useMemo<GridTree<DomItem>>(
    () => ({
      level: (it) => it.level,
      expandable: (it) => it.kind === 'node' && it.row.children > 0,
      expanded: (it) => it.kind === 'node' && expanded.has(it.row.node),
      toggle,
      parentId: (it) => (it.parent === 0 ? null : `n${it.parent}`),
    }),
    [expanded, toggle],
  );

  const loadMore = useCallback(
    (it: DomItem) => {
      if (it.kind !== 'more' || it.loading) return;
      loadLevel(it.parent, levels.get(it.parent)?.rows.length ?? 0);
    },
    [levels, loadLevel],
  );

  const columns = useMemo(
    () =>
      h.columns([
        h.display({
          id: 'label',
          header: 'Object / root',
          cell: (c) => {
            const it = c.row.original;
            if (it.kind !== 'node') return null;
            const r = it.row;
            return (
              <span className="dom-label">
                {r.rootKind ? <RootBadge kind={r.rootKind} /> : null}
                <span className={r.kind === 'object' ? 'mono' : 'dom-label__root'} title={r.label}>
                  {r.label}
                </span>
                {r.type ? (
                  <span className="type-name mono" data-testid="dom-type" title={r.type}>
                    {r.type}
                  </span>
                ) : null}
                {r.children > 0 ? (
                  <span className="dom-label__count text-muted" title={`Dominates ${formatNumber(r.children)} ${r.children === 1 ? 'object' : 'objects'} directly`}>
                    {formatCount(r.children)}
                  </span>
                ) : null}
              </span>
            );
          },
        }),
        h.display({ id: 'size', header: 'Size', cell: (c) => (c.row.original.kind === 'node' && c.row.original.row.kind === 'object' ? formatBytes(c.row.original.row.size) : '') }),
        h.display({ id: 'retained', header: 'Retained', cell: (c) => (c.row.original.kind === 'node' ? formatBytes(c.row.original.row.retainedBytes) : '') }),
        h.display({
          id: 'retainedPct',
          header: 'Retained %',
          cell: (c) => {
            const it = c.row.original;
            if (it.kind !== 'node') return null;
            return (
              <>
                <PctBar part={it.row.retainedBytes} whole={reachableBytes} />
                <span className="pct-text">{formatPercent(it.row.retainedBytes, reachableBytes)}</span>
              </>
            );
          },
        }),
        h.display({
          id: 'allocSite',
          header: 'Allocation site',
          cell: (c) => {
            const it = c.row.original;
            if (it.kind !== 'node') return null;
            return it.row.allocSite ? (
              <span className="mono" title={it.row.allocSite}>
                {it.row.allocSite}
              </span>
            ) : it.row.kind === 'object' ? (
              <span className="text-muted">not sampled</span>
            ) : null;
          },
        }),
      ]),
    [reachableBytes],
  );

  const root = levels.get(0);
  return (
    <DataGrid<DomItem>
      columns={columns}
      data={items}
      getRowId={(it) => it.id}
      template="minmax(240px, 3fr) 66px 74px 90px minmax(90px, 1.2fr)"
      numeric={['size', 'retained', 'retainedPct']}
      ariaLabel="Dominator tree: what keeps memory alive, by retained size"
      testId="dominator-tree"
      rowTestId="dom-row"
      activeId={activeId}
      onActiveChange={(it) => setActiveId(it.id)}
      selectedId={selectedNode === null ? null : `n${selectedNode}`}
      onActivate={(it) => (it.kind === 'node' ? onSelect(it.row) : loadMore(it))}
      activateOnClick
      tree={tree}
      loading={!!root?.loading && !root.rows.length}
      total={items.length}
      empty={root?.error ? <span className="text-warning">{describeError(root.error)}</span> : root?.loading ? null : 'The dump has no reachable objects.'}
      rowData={(it): Record<string, string> => (it.kind === 'node' ? { 'data-node': String(it.row.node), 'data-kind': it.row.kind } : { 'data-more': String(it.parent) })}
      rowClass={(it) => (it.kind === 'more' ? 'grid-row--more' : it.row.kind === 'object' ? '' : 'dom-row--root')}
      fullRow={(it) =>
        it.kind === 'more' ? (
          it.loading ? (
            <span className="text-muted">Loading…</span>
          ) : it.error ? (
            <span className="text-warning">
              {describeError(it.error)}{' '}
              <span className="link-button">Retry</span>
            </span>
          ) : (
            // The row's click (and Enter) loads the next page.
            <span className="link-button" data-testid="dom-more">
              Show {formatNumber(Math.min(DOM_PAGE, it.remaining))} more
              <span className="text-muted"> of {formatNumber(it.remaining)} left</span>
            </span>
          )
        ) : null
      }
    />
  );
}
