/**
 * The heap dump view: "why is this still alive?". A summary header; on the left, the dominator tree,
 * the GC roots by retained size, and groupings by allocation site / size class; on the right, the
 * paths to GC roots of the selected object and the object inspector. One selection (an object or a
 * root) drives both right-hand panels, with Back through earlier selections.
 *
 * Every string from the dump (root names, frames, allocation sites, contents) is rendered as text.
 * Mounted with key={item.handle}.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import type { HeapSummary, RootRow } from '../../../shared/heap/types';
import { formatBytes, formatCount, formatSize, plural } from '../lib/format';
import { resolveHeapFocus, type HeapInitialSelection } from '../findings/heapFocus';
import { ChooseBinary } from '../live/ChooseBinary';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { DominatorTree } from './DominatorTree';
import { basename } from './format';
import { Groupings, type ScopeChoice, type ScopedTableProps } from './Groupings';
import { ObjectInspector } from './ObjectInspector';
import { PathsPanel } from './PathsPanel';
import { HeapSourceProvider } from '../source/HeapSource';
import { RootsTable } from './RootsTable';
import { TypesTable } from './TypesTable';
import { fromDomRow, fromRootRow, objectSelection, type HeapSelection } from './selection';
import { usePaged, type PageFetcher } from './usePaged';
import { useLatest } from '../lib/useLatest';
import { ViewTabs } from '../controls/ViewTabs';

type HeapTab = 'dominators' | 'types' | 'roots' | 'sites' | 'sizes';

const TABS: Array<{ id: HeapTab; label: string; help: string }> = [
  { id: 'dominators', label: 'Dominator tree', help: 'What keeps memory alive: each object under the one root or object that alone retains it' },
  { id: 'types', label: 'Types', help: 'Objects by Go type (from the binary\'s DWARF): count, shallow and retained bytes' },
  { id: 'roots', label: 'GC roots', help: 'Globals, goroutines and finalizers, ranked by what each alone keeps alive' },
  { id: 'sites', label: 'Allocation sites', help: 'Objects grouped by the code that allocated them' },
  { id: 'sizes', label: 'Size classes', help: 'Objects grouped by size' },
];

const ROOTS_PAGE = 100;
const HISTORY_MAX = 50;

export interface HeapViewProps {
  client: ApiClient;
  item: LoadedItem;
  /** The dump was reloaded (a binary named its globals): the workspace keeps the new item. */
  onItemChange?(item: LoadedItem): void;
  /** Open on this root / object / allocation site (a finding's "Open"), read once on mount. */
  initialSelection?: HeapInitialSelection | undefined;
}

/** Allocation frames (sites, the inspector's stack) open their source in a dialog over the view (source/HeapSource.tsx). */
export function HeapView(props: HeapViewProps) {
  return (
    <HeapSourceProvider client={props.client} handle={props.item.handle}>
      <HeapViewBody {...props} />
    </HeapSourceProvider>
  );
}

function HeapViewBody({ client, item, onItemChange, initialSelection }: HeapViewProps) {
  const handle = item.handle;
  const summaryCall = useApiCall();
  const [summary, setSummary] = useState<HeapSummary | null>(null);
  const loadSummary = useCallback(() => {
    void summaryCall.run('Reading the heap dump summary', (o) => client.heapSummary({ handle }, o)).then((s) => s && setSummary(s));
  }, [client, handle, summaryCall.run]);
  useEffect(loadSummary, [loadSummary]);

  const [tab, setTabState] = useState<HeapTab>('dominators');
  const [visited, setVisited] = useState<ReadonlySet<HeapTab>>(() => new Set(['dominators']));
  const setTab = useCallback((t: HeapTab) => {
    setTabState(t);
    setVisited((v) => (v.has(t) ? v : new Set([...v, t])));
  }, []);
  const [sel, setSel] = useState<HeapSelection | null>(null);
  const [history, setHistory] = useState<HeapSelection[]>([]);
  const selRef = useLatest(sel);
  const [scope, setScope] = useState<ScopeChoice>({ kind: 'reachable' });

  const select = useCallback((s: HeapSelection) => {
    const cur = selRef.current;
    if (cur && cur.node !== s.node) setHistory((h) => [...h.slice(-(HISTORY_MAX - 1)), cur]);
    setSel(s);
  }, []);
  const historyRef = useLatest(history);
  const back = useCallback(() => {
    const h = historyRef.current;
    const prev = h[h.length - 1];
    if (!prev) return;
    setHistory(h.slice(0, -1));
    setSel(prev);
  }, []);

  const fetchRoots = useMemo<PageFetcher<RootRow>>(() => (start, count, o) => client.heapRoots({ handle, start, count }, o), [client, handle]);
  const roots = usePaged(fetchRoots, 'Ranking GC roots by retained size', ROOTS_PAGE);
  const rootInfo = useMemo(() => (sel?.kind === 'root' ? roots.rows.find((r) => r.node === sel.node) : undefined), [sel, roots.rows]);

  // Open on the root that retains the most: the inspector shows what it keeps alive.
  const autoSelected = useRef(false);
  useEffect(() => {
    if (autoSelected.current || !roots.rows.length) return;
    autoSelected.current = true;
    if (!selRef.current) setSel(fromRootRow(roots.rows[0]!));
  }, [roots.rows]);

  // A finding's selection: its object (else the biggest object of its site), else its root.
  const focusCall = useApiCall();
  const initialRef = useRef(initialSelection);
  useEffect(() => {
    const want = initialRef.current;
    if (!want || !(want.root || want.object || want.allocSite)) return;
    autoSelected.current = true;
    void focusCall.run('Finding the selection in the heap dump', (o) => resolveHeapFocus(client, handle, want, o)).then((r) => {
      if (!r) return;
      if (r.object) setSel(objectSelection(r.object.node, r.object.address));
      else if (r.root) setSel(fromRootRow(r.root));
      if (want.allocSite) {
        setScope(r.root ? { kind: 'retainedBy', node: r.root.node, label: r.root.name } : { kind: 'reachable' });
        setTab('sites');
      } else if (r.root && !r.object) setTab('roots');
    });
  }, [client, handle, focusCall.run, setTab]);

  const reachableBytes = summary?.reachableBytes ?? item.heap?.reachableBytes ?? 0;
  const selectObject = useCallback((node: number, address: string) => select(objectSelection(node, address)), [select]);
  const groupRetained = useCallback((s: HeapSelection, mode: 'sites' | 'sizes') => {
    setScope({ kind: 'retainedBy', node: s.node, label: s.label });
    setTab(mode);
  }, []);
  // What the by-site, by-size and by-type tables share.
  const scoped: ScopedTableProps = { client, handle, scope, onScopeChange: setScope, selection: sel, selectedNode: sel?.node ?? null, onSelectObject: selectObject };

  return (
    <div className="heap-view" data-testid="heap-view">
      <HeapSummaryHeader item={item} summary={summary} exeChooser={onItemChange ? <ChooseBinary client={client} item={item} onAttached={onItemChange} /> : null} />
      {summaryCall.error ? <ErrorBanner title="Heap dump summary" error={summaryCall.error} onRetry={loadSummary} onDismiss={summaryCall.clearError} /> : null}
      {focusCall.error ? <ErrorBanner title="The finding's selection" error={focusCall.error} onDismiss={focusCall.clearError} /> : null}
      <div className="heap-body">
        <section className="panel heap-main" aria-label="Heap dump analyses">
          <div className="panel__toolbar heap-tabs">
            <ViewTabs
              tabs={TABS}
              value={tab}
              onChange={setTab}
              label="Heap dump views"
              testPrefix="heap-tab"
              panelPrefix="heap-tabpanel"
              className="tabs"
              badge={(id) => (id === 'roots' && roots.loaded ? <span className="count-badge">{formatCount(roots.total)}</span> : null)}
            />
          </div>
          {/* Panels mount on first visit and then stay (hidden): expansion, scroll and pages survive tab switches. */}
          {TABS.filter((t) => visited.has(t.id)).map((t) => (
            <div
              key={t.id}
              className="heap-tabpanel"
              role="tabpanel"
              id={`heap-tabpanel-${t.id}`}
              aria-labelledby={`heap-tab-${t.id}`}
              hidden={t.id !== tab}
            >
              {t.id === 'dominators' ? (
                <DominatorTree client={client} handle={handle} reachableBytes={reachableBytes} selectedNode={sel?.node ?? null} onSelect={(r) => select(fromDomRow(r))} />
              ) : t.id === 'roots' ? (
                <>
                  {roots.error && roots.loaded ? <ErrorBanner title="GC roots" error={roots.error} onRetry={roots.loadMore} onDismiss={roots.clearError} /> : null}
                  <RootsTable
                    roots={roots}
                    reachableBytes={reachableBytes}
                    selectedNode={sel?.kind === 'root' ? sel.node : null}
                    onSelect={(r) => select(fromRootRow(r))}
                    onOpen={(r) => {
                      select(fromRootRow(r));
                      groupRetained(fromRootRow(r), 'sites');
                    }}
                  />
                </>
              ) : t.id === 'types' ? (
                <TypesTable {...scoped} />
              ) : (
                <Groupings {...scoped} mode={t.id} />
              )}
            </div>
          ))}
        </section>
        <PathsPanel client={client} handle={handle} target={sel} onInspect={selectObject} />
        <ObjectInspector
          client={client}
          handle={handle}
          target={sel}
          rootInfo={rootInfo}
          reachableBytes={reachableBytes}
          ptrSize={summary?.ptrSize ?? 8}
          onNavigate={select}
          canGoBack={history.length > 0}
          onBack={back}
          onGroupRetained={groupRetained}
        />
      </div>
    </div>
  );
}

function Stat({ label, value, sub, testId, tone, title }: { label: string; value: ReactNode; sub?: ReactNode; testId: string; tone?: 'warn' | 'ok'; title?: string }) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`} data-testid={testId} title={title}>
      <div className="stat__label">{label}</div>
      <div className="stat__value">{value}</div>
      {sub ? <div className="stat__sub">{sub}</div> : null}
    </div>
  );
}

function HeapSummaryHeader({ item, summary, exeChooser }: { item: LoadedItem; summary: HeapSummary | null; exeChooser?: ReactNode }) {
  const h = item.heap;
  const goVersion = summary?.goVersion ?? h?.goVersion ?? '';
  const goarch = summary?.goarch ?? h?.goarch ?? '';
  const objects = summary?.objects ?? h?.objects ?? 0;
  const reachableBytes = summary?.reachableBytes ?? h?.reachableBytes ?? 0;
  const reachableObjects = summary?.reachableObjects ?? h?.reachableObjects ?? 0;
  const garbageObjects = summary?.garbageObjects ?? h?.garbageObjects ?? 0;
  const garbageBytes = summary?.garbageBytes ?? h?.garbageBytes ?? 0;
  const goroutines = summary?.goroutines ?? h?.goroutines ?? 0;
  const complete = summary?.complete ?? h?.complete ?? true;
  const named = summary ? summary.globalsNamed : !!h?.exe;
  const exe = h?.exe ?? null;
  const warnings = summary?.warnings ?? item.warnings;
  return (
    <header className="heap-summary v-stack" data-testid="heap-summary" aria-label="Heap dump summary">
      <div className="heap-summary__title">
        <span className="kind-badge kind-badge--heapdump">heap dump</span>
        <h2 title={item.name}>{item.name}</h2>
        <span className="heap-summary__meta dot-list text-muted">
          {goVersion ? <span data-testid="heap-go-version">{goVersion}</span> : null}
          {goarch ? <span data-testid="heap-goarch">{goarch}</span> : null}
          <span>{formatSize(item.sizeBytes)} file</span>
          {summary ? <span>{plural(summary.roots, 'root')}</span> : null}
          {summary ? <span title="Objects with an allocation sample (all of them when MemProfileRate = 1)">{formatCount(summary.sampledObjects)} with alloc site</span> : null}
        </span>
      </div>
      <div className="heap-summary__stats">
        <Stat label="Objects" value={formatCount(objects)} sub={summary ? `${formatBytes(summary.bytes)} in the dump` : undefined} testId="heap-stat-objects" />
        <Stat label="Reachable" value={formatBytes(reachableBytes)} sub={`${formatCount(reachableObjects)} objects`} testId="heap-stat-reachable" />
        <Stat
          label="Garbage excluded"
          value={formatCount(garbageObjects)}
          sub={formatBytes(garbageBytes)}
          testId="heap-stat-garbage"
          title={`Allocated or dropped since the last GC: in the dump, but not alive (left out of retained sizes)${
            summary && 'unavailable' in summary.stackObjects ? `. Goroutines' address-taken locals were not scanned (${summary.stackObjects.unavailable}): what only they hold is counted here` : ''
          }`}
        />
        <Stat label="Goroutines" value={formatCount(goroutines)} testId="heap-stat-goroutines" />
        <Stat
          label="Globals"
          value={named ? 'named' : 'unnamed'}
          sub={named ? (exe ? `from ${basename(exe)}` : 'from the binary') : 'global @0x…'}
          tone={named ? 'ok' : 'warn'}
          testId="heap-stat-globals"
          {...(exe ? { title: exe } : {})}
        />
      </div>
      {!named ? (
        <div className="heap-hint" data-testid="heap-exe-hint" role="note">
          Globals show as <code>global @0x…</code>
          {exe ? (
            <>
              {' '}
              (<span className="mono" title={exe}>
                {basename(exe)}
              </span>{' '}
              did not name them: stripped, or not the program that wrote the dump)
            </>
          ) : null}
          : open the program's binary to name globals (the unstripped executable that wrote the dump, placed beside it or chosen here).
          {exeChooser}
        </div>
      ) : null}
      {!complete || warnings.length ? (
        <div className="warning-note" role="note">
          {!complete ? (
            <div data-testid="heap-incomplete">
              ⚠ <strong>Incomplete dump:</strong> the file ends early. Heapscope shows what it read; objects, roots and retained sizes may be missing.
            </div>
          ) : null}
          {warnings.map((w, i) => (
            <div key={i}>⚠ {w}</div>
          ))}
        </div>
      ) : null}
    </header>
  );
}
