/**
 * Two heap dumps of one process, object by object (compareHeaps; Go never moves heap objects, so an
 * address identifies an object across dumps): objects new, freed and still alive, and the growth by
 * allocation site, by GC root and by top-level dominator. Plus their goroutines (compareGoroutines).
 * Also the view for a goroutine profile paired with a heap dump (goroutines only).
 * Dump strings (root names, sites, addresses) are rendered as text.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import type { HeapDiffDominatorRow, HeapDiffRootRow, HeapDiffSiteRow, HeapDiffSummary } from '../../../shared/compare/types';
import type { ColumnHelper } from '@tanstack/react-table';
import { gridHelper, maxAbs, numberColumn, textColumn, type GridFeatures } from '../grid/columns';
import { RootBadge } from '../heap/RootBadge';
import { formatBytes, formatCount, formatNumber } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { ViewTabs, type TabDef } from '../controls/ViewTabs';
import { CompareTitle } from './CompareHeader';
import { deltaClass, deltaColumn, PresenceTag, signedBytes, signedPercent } from './Delta';
import { DeltaGrid } from './DeltaGrid';
import { GoroutineCompare, type GoroutineFocus } from './GoroutineCompare';

export type HeapCompareTab = 'sites' | 'types' | 'roots' | 'dominators' | 'goroutines';

export interface HeapCompareFocus extends GoroutineFocus {
  tab?: HeapCompareTab;
  root?: string;
  allocSite?: string;
}

const TABS: TabDef<HeapCompareTab>[] = [
  { id: 'sites', label: 'By allocation site', help: 'Objects new, freed and still alive, grouped by the code that allocated them' },
  { id: 'types', label: 'By type', help: 'Objects new, freed and still alive, grouped by Go type (both dumps need their binary)' },
  { id: 'roots', label: 'By GC root', help: 'What each root alone keeps alive, in each dump' },
  { id: 'dominators', label: 'By dominator', help: 'Top-level dominators (objects one root or several keep alive), by change of retained size' },
  { id: 'goroutines', label: 'Goroutines', help: 'Goroutines of both dumps by stack and wait reason' },
];

export interface HeapCompareViewProps {
  client: ApiClient;
  a: LoadedItem;
  b: LoadedItem;
  onSwap(): void;
  onView(handle: string): void;
  focus?: (HeapCompareFocus & { nonce: number }) | undefined;
}

export function HeapCompareView({ client, a, b, onSwap, onView, focus }: HeapCompareViewProps) {
  const call = useApiCall();
  const [res, setRes] = useState<HeapDiffSummary | null>(null);
  const load = useCallback(() => {
    setRes(null);
    void call.run(`Comparing heap dumps (${a.name} → ${b.name})`, (o) => client.compareHeaps({ base: a.handle, target: b.handle }, o)).then((r) => r && setRes(r));
  }, [client, a.handle, b.handle, a.name, b.name, call.run]);
  useEffect(load, [load]);

  const [tab, setTab] = useState<HeapCompareTab>(focus?.tab ?? (focus?.root ? 'roots' : 'sites'));
  const [siteSel, setSiteSel] = useState<string | null>(null);
  const [rootSel, setRootSel] = useState<string | null>(null);
  const [domSel, setDomSel] = useState<string | null>(null);

  // A finding's focus: its tab and row (by root name / site label).
  useEffect(() => {
    if (!focus) return;
    if (focus.tab) setTab(focus.tab);
    else if (focus.allocSite) setTab('sites');
    else if (focus.root) setTab('roots');
  }, [focus?.nonce]);
  useEffect(() => {
    if (!res || !focus) return;
    if (focus.root) {
      const r = res.byRoot.find((x) => x.name === focus.root);
      if (r) setRootSel(r.key);
    }
    if (focus.allocSite) {
      const s = res.bySite.find((x) => x.site === focus.allocSite);
      if (s) setSiteSel(s.site);
    }
  }, [res, focus?.nonce]);

  return (
    <div className="profile-view compare-view heap-compare" data-testid="heap-compare-view">
      <div className="profile-header">
        <CompareTitle a={a} b={b} onSwap={onSwap} onView={onView} label="Compare heap dumps" />
      </div>
      {call.error ? <ErrorBanner title="Heap dump comparison" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <HeapDiffStats res={res} a={a} b={b} />
      <section className="panel heap-compare__main">
        <div className="panel__toolbar heap-tabs">
          <ViewTabs<HeapCompareTab> tabs={TABS} value={tab} onChange={setTab} label="Heap dump comparison views" testPrefix="heapdiff-tab" />
        </div>
        {tab === 'sites' ? (
          <SitesTable res={res} loading={call.busy} selected={siteSel} onSelect={setSiteSel} />
        ) : tab === 'types' ? (
          res && !res.byType ? (
            <p className="panel__empty text-muted" data-testid="heapdiff-types-unavailable">
              Object types need both dumps' program binaries (with DWARF): open each dump with its binary.
            </p>
          ) : (
            <SitesTable res={res ? { ...res, bySite: res.byType ?? [] } : null} loading={call.busy} selected={siteSel} onSelect={setSiteSel} byType />
          )
        ) : tab === 'roots' ? (
          <RootsDiffTable res={res} loading={call.busy} selected={rootSel} onSelect={setRootSel} />
        ) : tab === 'dominators' ? (
          <DominatorsDiffTable res={res} loading={call.busy} selected={domSel} onSelect={setDomSel} />
        ) : (
          <div className="heap-compare__goroutines">
            <GoroutineCompare client={client} a={a} b={b} focus={focus} />
          </div>
        )}
      </section>
    </div>
  );
}

function HeapDiffStats({ res, a, b }: { res: HeapDiffSummary | null; a: LoadedItem; b: LoadedItem }) {
  const d = res ? res.target.bytes - res.base.bytes : 0;
  return (
    <div className="diff-stats diff-stats--heap" data-testid="heapdiff-summary">
      <div className="stat" title={a.name} data-testid="heapdiff-stat-base">
        <div className="stat__label">
          Base · <span className="stat__name">{a.name}</span>
        </div>
        <div className="stat__value">{res ? formatBytes(res.base.bytes) : '…'}</div>
        <div className="stat__sub">{res ? `${formatCount(res.base.objects)} reachable objects` : ''}</div>
      </div>
      <div className="stat" title={b.name} data-testid="heapdiff-stat-target">
        <div className="stat__label">
          Target · <span className="stat__name">{b.name}</span>
        </div>
        <div className="stat__value">{res ? formatBytes(res.target.bytes) : '…'}</div>
        <div className="stat__sub">{res ? <span className={deltaClass(d)}>{`${signedBytes(d)} (${signedPercent(d, res.base.bytes)})`}</span> : ''}</div>
      </div>
      <div className="stat stat--new" data-testid="heapdiff-stat-new" title="Reachable in the target, not in the base (allocated after the base dump)">
        <div className="stat__label">New</div>
        <div className="stat__value">{res ? formatBytes(res.added.bytes) : '…'}</div>
        <div className="stat__sub">{res ? `${formatCount(res.added.objects)} objects` : ''}</div>
      </div>
      <div className="stat stat--gone" data-testid="heapdiff-stat-freed" title="Reachable in the base, gone from the target (freed)">
        <div className="stat__label">Freed</div>
        <div className="stat__value">{res ? formatBytes(res.freed.bytes) : '…'}</div>
        <div className="stat__sub">{res ? `${formatCount(res.freed.objects)} objects` : ''}</div>
      </div>
      <div className="stat" data-testid="heapdiff-stat-alive" title="The same objects (address, size, site) reachable in both dumps">
        <div className="stat__label">Still alive</div>
        <div className="stat__value">{res ? formatBytes(res.alive.bytes) : '…'}</div>
        <div className="stat__sub">{res ? `${formatCount(res.alive.objects)} objects` : ''}</div>
      </div>
    </div>
  );
}

const hSite = gridHelper<HeapDiffSiteRow>();
const hRoot = gridHelper<HeapDiffRootRow>();
const hDom = gridHelper<HeapDiffDominatorRow>();

function countBytes(objects: number, bytes: number) {
  return objects ? (
    <span title={`${formatNumber(objects)} objects, ${formatNumber(bytes)} B`}>
      {formatBytes(bytes)} <span className="text-muted">· {formatCount(objects)}</span>
    </span>
  ) : (
    <span className="text-muted">–</span>
  );
}

/** Base and target retained bytes of a root or a dominator. */
function retainedColumns<T extends { baseRetained: number; targetRetained: number }>(h: ColumnHelper<GridFeatures, T>) {
  return [numberColumn(h, 'base', 'Base retained', (r) => r.baseRetained, formatBytes), numberColumn(h, 'target', 'Target retained', (r) => r.targetRetained, formatBytes)];
}

interface TableProps {
  res: HeapDiffSummary | null;
  loading: boolean;
  selected: string | null;
  onSelect(key: string): void;
}

function SitesTable({ res, loading, selected, onSelect, byType }: TableProps & { byType?: boolean }) {
  const rows = res?.bySite ?? [];
  const max = useMemo(() => maxAbs(rows, (r) => r.deltaBytes), [rows]);
  const columns = useMemo(
    () =>
      hSite.columns([
        textColumn(hSite, 'site', byType ? 'Go type' : 'Allocation site', (r) => r.site, (v, r) => (
          <span className="delta-name" title={v}>
            <PresenceTag status={r.status} />
            <span className={`delta-name__text ${r.function ? 'mono' : 'text-muted'}`}>{v}</span>
          </span>
        )),
        numberColumn(hSite, 'added', 'New', (r) => r.added.bytes, (v, r) => countBytes(r.added.objects, v)),
        numberColumn(hSite, 'freed', 'Freed', (r) => r.freed.bytes, (v, r) => countBytes(r.freed.objects, v)),
        numberColumn(hSite, 'alive', 'Still alive', (r) => r.alive.bytes, (v, r) => countBytes(r.alive.objects, v)),
        deltaColumn(hSite, 'delta', 'Δ bytes', (r) => r.deltaBytes, { max, format: signedBytes }),
      ]),
    [max, byType],
  );
  return (
    <DeltaGrid<HeapDiffSiteRow>
      columns={columns}
      rows={rows}
      rowKey={(r) => r.site}
      template="minmax(240px, 1fr) 120px 120px 120px 110px"
      numeric={['added', 'freed', 'alive', 'delta']}
      names={byType ? ['Change by Go type', 'heapdiff-types-table', 'heapdiff-type-row'] : ['Change by allocation site', 'heapdiff-sites-table', 'heapdiff-site-row']}
      selected={selected}
      onSelect={onSelect}
      loading={loading && !res}
      empty="No reachable objects in either dump."
      attrs={(r) => ({ 'data-site': r.site })}
      status={(r) => r.status}
      delta={(r) => r.deltaBytes}
    />
  );
}

function RootsDiffTable({ res, loading, selected, onSelect }: TableProps) {
  const rows = res?.byRoot ?? [];
  const max = useMemo(() => maxAbs(rows, (r) => r.delta), [rows]);
  const columns = useMemo(
    () =>
      hRoot.columns([
        textColumn(hRoot, 'name', 'GC root', (r) => r.name, (v, r) => (
          <span className="delta-name" title={v}>
            <PresenceTag status={r.status} />
            <RootBadge kind={r.kind} />
            <span className="mono delta-name__text">{v}</span>
          </span>
        )),
        ...retainedColumns(hRoot),
        deltaColumn(hRoot, 'delta', 'Δ retained', (r) => r.delta, { max, format: signedBytes }),
      ]),
    [max],
  );
  return (
    <DeltaGrid<HeapDiffRootRow>
      columns={columns}
      rows={rows}
      rowKey={(r) => r.key}
      template="minmax(260px, 1fr) 128px 128px 128px"
      names={['Change of retained size by GC root', 'heapdiff-roots-table', 'heapdiff-root-row']}
      selected={selected}
      onSelect={onSelect}
      loading={loading && !res}
      empty="No roots."
      attrs={(r) => ({ 'data-root': r.name })}
      status={(r) => r.status}
      delta={(r) => r.delta}
    />
  );
}

function DominatorsDiffTable({ res, loading, selected, onSelect }: TableProps) {
  const rows = res?.byDominator ?? [];
  const max = useMemo(() => maxAbs(rows, (r) => r.delta), [rows]);
  const columns = useMemo(
    () =>
      hDom.columns([
        textColumn(hDom, 'address', 'Object', (r) => r.address, (v, r) => (
          <span className="delta-name">
            <PresenceTag status={r.status} />
            <span className="mono">{v}</span>
            <span className="text-muted"> · {formatBytes(r.size)}</span>
          </span>
        )),
        textColumn(hDom, 'site', 'Allocated at', (r) => r.allocSite ?? '', (v) => (v ? <span className="mono" title={v}>{v}</span> : <span className="text-muted">(no allocation sample)</span>)),
        ...retainedColumns(hDom),
        deltaColumn(hDom, 'delta', 'Δ retained', (r) => r.delta, { max, format: signedBytes }),
      ]),
    [max],
  );
  return (
    <DeltaGrid<HeapDiffDominatorRow>
      columns={columns}
      rows={rows}
      rowKey={(r) => `${r.address}/${r.status}`}
      template="minmax(180px, 0.8fr) minmax(180px, 1fr) 128px 128px 120px"
      names={['Change of retained size by top-level dominator', 'heapdiff-dominators-table', 'heapdiff-dominator-row']}
      selected={selected}
      onSelect={onSelect}
      loading={loading && !res}
      empty="No dominators."
      attrs={(r) => ({ 'data-address': r.address })}
      status={(r) => r.status}
      delta={(r) => r.delta}
    />
  );
}

/** A goroutine profile (or dump) paired with a heap dump: their goroutines. */
export function GoroutinePairView({ client, a, b, onSwap, onView, focus }: HeapCompareViewProps) {
  return (
    <div className="profile-view compare-view" data-testid="goroutine-pair-view">
      <div className="profile-header">
        <CompareTitle a={a} b={b} onSwap={onSwap} onView={onView} label="Compare goroutines" />
      </div>
      <GoroutineCompare client={client} a={a} b={b} focus={focus} />
    </div>
  );
}
