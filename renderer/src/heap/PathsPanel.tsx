/**
 * Paths to GC roots for the selected object (k shortest, each from a distinct root), drawn top to
 * bottom: the root, then each object down to the selected one. Each edge says where the pointer
 * sits in its referrer (`+0x20`, `main.pinned+0x0`, `frame main.worker sp+0x38`), and can be
 * ignored: the engine then finds the next-shortest path without it. Ignored edges are chips.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { PathStep, PathsResult } from '../../../shared/heap/types';
import { formatBytes, plural } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { offsetLabel } from './format';
import { RootBadge } from './RootBadge';
import type { HeapSelection } from './selection';

export const PATHS_K = 5;

type Edge = [number, number];
const NO_EDGES: Edge[] = [];

function stepLabel(s: PathStep): string {
  return s.root ? s.root.name : s.address ?? `#${s.node}`;
}

/** "frame main.worker sp+0x38" → ["frame", "main.worker", "sp+0x38"]; anything else as is. */
function viaParts(via: string | undefined, offset: number | undefined): { frame: string | null; where: string } {
  if (via && via.startsWith('frame ')) {
    const rest = via.slice(6);
    const sp = rest.lastIndexOf(' ');
    return sp > 0 ? { frame: rest.slice(0, sp), where: rest.slice(sp + 1) } : { frame: rest, where: '' };
  }
  return { frame: null, where: via ?? (offset !== undefined ? offsetLabel(offset) : '') };
}

export interface PathsPanelProps {
  client: ApiClient;
  handle: string;
  target: HeapSelection | null;
  onInspect(node: number, address: string): void;
}

export function PathsPanel({ client, handle, target, onInspect }: PathsPanelProps) {
  const call = useApiCall();
  const node = target?.kind === 'object' ? target.node : null;
  // Ignored edges and results belong to one object: a new object starts afresh.
  const [ignoreState, setIgnoreState] = useState<{ node: number | null; edges: Edge[] }>({ node: null, edges: [] });
  const ignore = ignoreState.node === node ? ignoreState.edges : NO_EDGES;
  const setIgnore = useCallback((f: (l: Edge[]) => Edge[]) => setIgnoreState((st) => ({ node, edges: f(st.node === node ? st.edges : NO_EDGES) })), [node]);
  const [resultState, setResult] = useState<PathsResult | null>(null);
  const result = resultState && resultState.target === node ? resultState : null;
  const [which, setWhich] = useState(0);
  /** Labels of nodes seen on paths (for the ignored-edge chips). */
  const labels = useRef(new Map<number, string>());

  const ignoreKey = JSON.stringify(ignore);
  const load = useCallback(() => {
    if (node === null) return;
    const ign = JSON.parse(ignoreKey) as Edge[];
    void call
      .run('Finding paths to GC roots', (o) => client.heapPaths({ handle, object: node, k: PATHS_K, ...(ign.length ? { ignore: ign } : {}) }, o))
      .then((r) => {
        if (!r) return;
        for (const p of r.paths) for (const s of p) labels.current.set(s.node, stepLabel(s));
        setResult(r);
        setWhich(0);
      });
  }, [call.run, client, handle, node, ignoreKey]);
  useEffect(load, [load]);

  const path = result?.paths[which] ?? null;
  const edges = useMemo(() => new Set(ignore.map(([a, b]) => `${a}>${b}`)), [ignore]);
  const addIgnore = (e: Edge) => {
    if (!edges.has(`${e[0]}>${e[1]}`)) setIgnore((l) => [...l, e]);
  };
  const label = (n: number) => labels.current.get(n) ?? `#${n}`;

  return (
    <section className="panel heap-paths" aria-label="Paths to GC roots" data-testid="heap-paths">
      <div className="panel__toolbar">
        <span className="section-title">Paths to GC roots</span>
        {target ? (
          <span className={`heap-paths__target${target.kind === 'object' ? ' mono' : ''}`} title={target.label}>
            {target.label}
          </span>
        ) : null}
        <div className="toolbar-spacer" />
        {result && result.paths.length ? (
          <span className="text-muted heap-paths__count">
            {result.more ? `${PATHS_K}+ roots` : plural(result.paths.length, 'root')} · shortest first
          </span>
        ) : null}
      </div>
      {ignore.length ? (
        <div className="heap-paths__ignored">
          <span className="field__label">Ignoring</span>
          <ul className="chips" aria-label="Ignored edges" data-testid="ignored-edges">
            {ignore.map(([a, b]) => (
              <li key={`${a}>${b}`} className="chip chip--edge" data-testid="ignored-edge">
                <code className="chip__value" title={`${label(a)} → ${label(b)}`}>
                  {label(a)} → {label(b)}
                </code>
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Stop ignoring the edge ${label(a)} → ${label(b)}`}
                  onClick={() => setIgnore((l) => l.filter(([x, y]) => !(x === a && y === b)))}
                >
                  ×
                </button>
              </li>
            ))}
            {ignore.length > 1 ? (
              <li>
                <button type="button" className="btn btn--small btn--ghost" onClick={() => setIgnore(() => [])}>
                  Clear all
                </button>
              </li>
            ) : null}
          </ul>
        </div>
      ) : null}
      {call.error ? <ErrorBanner title="Paths" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <div className={`heap-paths__body${call.busy ? ' is-loading' : ''}`}>
        {!target ? (
          <div className="panel__empty">Select an object (dominator tree, tables, inspector) to see what keeps it alive.</div>
        ) : target.kind === 'root' ? (
          <div className="panel__empty">
            <strong>{target.label}</strong> is a GC root: nothing has to keep it alive. What it retains is listed in the inspector.
          </div>
        ) : result && !result.reachable ? (
          <div className="panel__empty" data-testid="paths-unreachable">
            No GC root reaches <code>{result.address}</code>: it is garbage (allocated or dropped since the last GC), excluded from retained sizes.
          </div>
        ) : result && result.paths.length === 0 ? (
          <div className="panel__empty" data-testid="paths-none" role="status">
            <strong>No other path.</strong> Every path from a GC root to <code>{result.address}</code> goes through an ignored edge
            {ignore.length ? ': remove a chip above to see it again.' : '.'}
          </div>
        ) : path ? (
          <>
            {result!.paths.length > 1 ? (
              <div className="path-tabs" role="tablist" aria-label="Paths, one per root">
                {result!.paths.map((p, i) => (
                  <button
                    key={i}
                    type="button"
                    role="tab"
                    aria-selected={i === which}
                    className={`path-tab${i === which ? ' is-selected' : ''}`}
                    onClick={() => setWhich(i)}
                    data-testid="path-tab"
                    title={`${p[0] ? stepLabel(p[0]) : ''} · ${plural(p.length - 1, 'hop')}`}
                  >
                    <span className="path-tab__n">{i + 1}</span>
                    <span className="path-tab__root">{p[0] ? stepLabel(p[0]) : ''}</span>
                    <span className="text-muted">{p.length - 1}</span>
                  </button>
                ))}
              </div>
            ) : null}
            <PathDrawing path={path} onInspect={onInspect} onIgnore={addIgnore} />
          </>
        ) : null}
      </div>
    </section>
  );
}

function PathDrawing({ path, onInspect, onIgnore }: { path: PathStep[]; onInspect(node: number, address: string): void; onIgnore(e: Edge): void }) {
  return (
    <ol className="heap-path" data-testid="heap-path" aria-label="Path from the GC root (top) to the object (bottom)">
      {path.map((s, i) => {
        const prev = i > 0 ? path[i - 1]! : null;
        const last = i === path.length - 1;
        const via = viaParts(s.via, s.offset);
        return (
          <li key={`${s.node}-${i}`} className="heap-path__item">
            {prev ? (
              <div className="path-edge" data-testid="path-edge" data-from={prev.node} data-to={s.node}>
                <span className="path-edge__line" aria-hidden="true" />
                <span className="path-edge__text">
                  {via.frame ? (
                    <>
                      <span className="text-muted">frame</span> <code className="path-edge__frame">{via.frame}</code>{' '}
                    </>
                  ) : null}
                  {via.where ? (
                    <code className="path-edge__where" title="Where the pointer sits in the referrer above">
                      {via.where}
                    </code>
                  ) : null}
                  {s.field && !s.root && prev && !prev.root ? (
                    <code className="path-edge__field" data-testid="path-field" title="The field of the referrer above holding the pointer">
                      {' '}
                      {s.field}
                    </code>
                  ) : null}
                  {s.interiorOffset ? (
                    <span className="path-edge__interior" title="The pointer points inside the object (a sub-slice or a field), which keeps the whole object alive">
                      {' '}
                      → interior {offsetLabel(s.interiorOffset)}
                    </span>
                  ) : null}
                </span>
                <button
                  type="button"
                  className="btn btn--small btn--ghost path-edge__ignore"
                  onClick={() => onIgnore([prev.node, s.node])}
                  aria-label={`Ignore the edge ${stepLabel(prev)} → ${stepLabel(s)} and find another path`}
                  title="Ignore this edge: find the next-shortest path without it"
                  data-testid="ignore-edge"
                >
                  Ignore edge
                </button>
              </div>
            ) : null}
            {s.root ? (
              <div className="path-step path-step--root" data-testid="path-step" data-node={s.node}>
                <RootBadge kind={s.root.kind} />
                <span className="path-step__root" title={s.root.name}>
                  {s.root.name}
                </span>
              </div>
            ) : (
              <div className={`path-step${last ? ' path-step--target' : ''}`} data-testid="path-step" data-node={s.node}>
                <div className="path-step__line">
                  <button type="button" className="link-button mono" onClick={() => s.address && onInspect(s.node, s.address)} title="Open in the inspector">
                    {s.address}
                  </button>
                  {s.type ? (
                    <span className="type-name mono" data-testid="path-type" title={s.type}>
                      {s.type}
                    </span>
                  ) : null}
                  {s.size !== undefined ? <span className="path-step__size">{formatBytes(s.size)}</span> : null}
                  {s.retainedBytes !== undefined && s.retainedBytes !== s.size ? <span className="text-muted">retains {formatBytes(s.retainedBytes)}</span> : null}
                  {last ? <span className="path-step__tag">selected</span> : null}
                </div>
                <div className="path-step__site mono text-muted" title={s.allocSite ?? 'no allocation sample'}>
                  {s.allocSite ?? 'allocation site not sampled'}
                </div>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
