/**
 * Two profiles compared. Tabs:
 * - Overlay: the differential flame graph (compareFlame: one graph, width base + target, colour the
 *   change, new/gone hatched, a legend naming the base) next to the delta table (compareTop); a row
 *   selected in the table is highlighted in the graph (exact-name search). pprof's -diff_base (default)
 *   or -base, and -normalize.
 * - Side by side: both flame graphs with the same sample type, granularity and refine filters, one
 *   search box, zoom kept in sync by frame path (the same stack of names on the other side; when that
 *   stack is absent there, that graph says so and shows everything).
 * - Goroutines (two goroutine profiles/dumps): by stack and by state / wait reason.
 *
 * Layout: header (A ⇄ B, sample type, granularity) → tabs (+ diff mode) → filters → shared search /
 * zoom toolbar → body. Search, zoom and icicle are shared by the tabs.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { FlameResult, Granularity, LoadedItem, ValueType } from '../../../shared/api/types';
import type { CompareMode, DiffFlameResult, DiffTopResult } from '../../../shared/compare/types';
import { FlameGraph, type FlameSearch } from '../flame/FlameGraph';
import { formatValue, sampleTypeLabel } from '../lib/format';
import { FilterBar } from '../profile/FilterBar';
import { MIN_FRACTION } from '../profile/ProfileView';
import { toProfileFilters, type ViewSettings } from '../profile/settings';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { CompareTitle, ViewTabs, type TabDef } from './CompareHeader';
import { Delta } from './Delta';
import { DeltaTable } from './DeltaTable';
import { FunctionPanel } from '../sandwich/FunctionPanel';
import { DiffFlame, DiffLegend } from './DiffFlame';
import { GoroutineCompare } from './GoroutineCompare';
import { isGoroutineProfile } from './pairs';

const GRANULARITIES: Array<{ value: Granularity; label: string }> = [
  { value: 'functions', label: 'Functions' },
  { value: 'files', label: 'Files' },
  { value: 'lines', label: 'Lines' },
];

export type CompareTab = 'overlay' | 'side' | 'goroutines';

/** What a finding's "Open" asks of the comparison (the function itself arrives as the search). */
export interface CompareFocus {
  nonce: number;
  tab?: CompareTab;
  function?: string;
  state?: string;
}

/**
 * The profile tab a comparison opens on, remembered for the session. Side by side first (the
 * UI end-to-end walk expects it); a finding opens the overlay.
 */
let lastProfileTab: 'overlay' | 'side' = 'side';

/** Sample types both profiles have (same name and unit), in A's order. */
export function commonSampleTypes(a: LoadedItem, b: LoadedItem): ValueType[] {
  return a.sampleTypes.filter((t) => b.sampleTypes.some((u) => u.type === t.type && u.unit === t.unit));
}

/** The user's sample type when both have it, else A's default when B has it, else the first common one. */
export function pickCommonType(a: LoadedItem, b: LoadedItem, wanted: string | null): ValueType | null {
  const common = commonSampleTypes(a, b);
  return (
    common.find((t) => t.type === wanted) ??
    common.find((t) => t.type === a.sampleTypes[a.defaultSampleIndex]?.type) ??
    common[0] ??
    null
  );
}

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

export interface CompareViewProps {
  client: ApiClient;
  a: LoadedItem;
  b: LoadedItem;
  settings: ViewSettings;
  onSettingsChange(s: ViewSettings): void;
  onSwap(): void;
  /** View one of the two alone. */
  onView(handle: string): void;
  focus?: CompareFocus | undefined;
}

export function CompareView({ client, a, b, settings, onSettingsChange, onSwap, onView, focus }: CompareViewProps) {
  const type = pickCommonType(a, b, settings.sampleType);
  const common = useMemo(() => commonSampleTypes(a, b), [a, b]);
  const filters = useMemo(() => toProfileFilters(settings.filters), [settings.filters]);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const update = useCallback((patch: Partial<ViewSettings>) => onSettingsChange({ ...settingsRef.current, ...patch }), [onSettingsChange]);

  const goroutines = isGoroutineProfile(a) && isGoroutineProfile(b);
  const tabs = useMemo<TabDef<CompareTab>[]>(
    () => [
      ...(goroutines ? [{ id: 'goroutines' as const, label: 'Goroutines', help: 'By stack and by state / wait reason, with the change of each' }] : []),
      { id: 'overlay', label: 'Differential', help: 'One flame graph coloured by the change, and the change per function' },
      { id: 'side', label: 'Side by side', help: 'Both flame graphs, zoomed together' },
    ],
    [goroutines],
  );
  const [tabState, setTabState] = useState<CompareTab>(() => focus?.tab ?? (goroutines ? 'goroutines' : lastProfileTab));
  const tab: CompareTab = tabState === 'goroutines' && !goroutines ? lastProfileTab : tabState;
  const setTab = useCallback((t: CompareTab) => {
    if (t !== 'goroutines') lastProfileTab = t;
    setTabState(t);
  }, []);
  useEffect(() => {
    if (focus?.tab) setTab(focus.tab);
  }, [focus?.nonce, focus?.tab, setTab]);

  const [mode, setMode] = useState<CompareMode>('diff_base');
  const [normalize, setNormalize] = useState(false);
  const [zoomPath, setZoomPath] = useState<string[] | null>(null);
  const [inverted, setInverted] = useState(false);
  const [totals, setTotals] = useState<Record<string, number>>({});
  const [overlayTotals, setOverlayTotals] = useState<{ base: number; target: number } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // A new pair, sample type, granularity or filter set starts unzoomed.
  const pairKey = [a.handle, b.handle].sort().join('|');
  useEffect(() => setZoomPath(null), [pairKey, type?.type, settings.granularity, filters]);

  const onTotal = useCallback((handle: string, total: number) => setTotals((t) => (t[handle] === total ? t : { ...t, [handle]: total })), []);

  // Keyboard: "/" or Ctrl/Cmd+F focus the search; Escape resets the zoom.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && (e.ctrlKey || e.metaKey) && !e.altKey) {
        if (!searchRef.current) return;
        e.preventDefault();
        searchRef.current.focus();
        searchRef.current.select();
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        if (!searchRef.current) return;
        e.preventDefault();
        searchRef.current.focus();
      } else if (e.key === 'Escape') {
        setZoomPath(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const search = settings.search;
  const setSearch = (s: FlameSearch) => update({ search: s });
  const unit = type?.unit ?? '';
  const ta = tab === 'overlay' && overlayTotals && !normalize ? overlayTotals.base : totals[a.handle];
  const tb = tab === 'overlay' && overlayTotals && !normalize ? overlayTotals.target : totals[b.handle];
  const profileTab = tab !== 'goroutines';

  return (
    <div className="profile-view compare-view" data-testid="compare-view" data-tab={tab}>
      <div className="profile-header">
        <CompareTitle a={a} b={b} onSwap={onSwap} onView={onView} />
        <div className="toolbar-spacer" />
        {profileTab && common.length ? (
          <label className="field">
            <span className="field__label">Sample</span>
            <select
              className="select"
              data-testid="compare-sample-type"
              aria-label="Sample type (both profiles)"
              value={type?.type ?? ''}
              onChange={(e) => update({ sampleType: e.target.value })}
            >
              {common.map((t) => (
                <option key={t.type} value={t.type}>
                  {sampleTypeLabel(t)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {profileTab ? (
          <label className="field">
            <span className="field__label">Granularity</span>
            <select
              className="select"
              aria-label="Granularity (both profiles)"
              value={settings.granularity}
              onChange={(e) => update({ granularity: e.target.value as Granularity })}
            >
              {GRANULARITIES.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="compare-tabs">
        <ViewTabs tabs={tabs} value={tab} onChange={setTab} label="Comparison views" testPrefix="compare-tab" />
        <div className="toolbar-spacer" />
        {tab === 'overlay' ? (
          <div className="diff-options" role="group" aria-label="Comparison mode">
            <div className="segmented" role="radiogroup" aria-label="pprof mode">
              <button
                type="button"
                role="radio"
                aria-checked={mode === 'diff_base'}
                className={`segmented__item${mode === 'diff_base' ? ' is-selected' : ''}`}
                onClick={() => setMode('diff_base')}
                title="pprof -diff_base: B − A, percentages of A's total"
                data-testid="diff-mode-diff_base"
              >
                -diff_base
              </button>
              <button
                type="button"
                role="radio"
                aria-checked={mode === 'base'}
                className={`segmented__item${mode === 'base' ? ' is-selected' : ''}`}
                onClick={() => setMode('base')}
                title="pprof -base: B − A as a profile of its own (cumulative profiles such as allocs), percentages of Σ|change|"
                data-testid="diff-mode-base"
              >
                -base
              </button>
            </div>
            <label className="check" title="pprof -normalize: scale B so its total equals A's (compare shapes, not sizes)">
              <input type="checkbox" checked={normalize} onChange={(e) => setNormalize(e.target.checked)} data-testid="diff-normalize" />
              Normalize
            </label>
          </div>
        ) : null}
      </div>
      {profileTab ? <FilterBar filters={settings.filters} onChange={(f) => update({ filters: f })} /> : null}
      {!profileTab ? (
        <GoroutineCompare client={client} a={a} b={b} focus={focus} />
      ) : !type ? (
        <div className="panel__empty panel__empty--page" data-testid="compare-incompatible">
          <strong>Nothing to compare</strong>
          <span>
            {a.name} ({a.sampleTypes.map((t) => t.type).join(', ') || 'no samples'}) and {b.name} ({b.sampleTypes.map((t) => t.type).join(', ') || 'no samples'})
            have no sample type in common.
          </span>
        </div>
      ) : (
        <>
          <div className="compare-toolbar" role="group" aria-label="Search and zoom, both graphs">
            <div className="search-field">
              <svg className="search-field__icon" viewBox="0 0 16 16" aria-hidden="true">
                <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
                <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              </svg>
              <input
                ref={searchRef}
                type="search"
                className="search-field__input"
                data-testid="compare-search"
                aria-label={tab === 'overlay' ? 'Search frames in the differential flame graph' : 'Search frames in both flame graphs'}
                placeholder={search.mode === 'regex' ? 'Search (regex)  /' : tab === 'overlay' ? 'Search frames  /' : 'Search both graphs  /'}
                value={search.text}
                spellCheck={false}
                onChange={(e) => setSearch({ text: e.target.value, mode: search.mode === 'regex' ? 'regex' : 'substring' })}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && search.text) setSearch({ text: '', mode: search.mode === 'regex' ? 'regex' : 'substring' });
                }}
              />
              {search.mode === 'exact' && search.text ? <span className="search-field__badge">exact</span> : null}
              <button
                type="button"
                className="icon-toggle"
                aria-pressed={search.mode === 'regex'}
                aria-label="Use regular expression"
                title="Use regular expression"
                onClick={() => setSearch({ text: search.text, mode: search.mode === 'regex' ? 'substring' : 'regex' })}
              >
                .*
              </button>
            </div>
            <span className="text-muted compare-toolbar__note">
              {tab === 'overlay' ? 'Select a row to highlight it · click a frame to zoom' : 'Click a frame to zoom both graphs to the same stack'}
            </span>
            <div className="toolbar-spacer" />
            {ta !== undefined && tb !== undefined ? (
              <span className="compare-delta" data-testid="compare-total-delta" title={`B − A, ${type.type}`}>
                <span className="text-muted">B − A</span> <Delta value={tb - ta} base={ta} unit={unit} />
              </span>
            ) : null}
            <button
              type="button"
              className="btn btn--small"
              onClick={() => setZoomPath(null)}
              disabled={!zoomPath}
              aria-label="Reset zoom (Escape)"
              title="Reset zoom (Esc)"
              data-testid="compare-reset-zoom"
            >
              Reset zoom
            </button>
            <button type="button" className="btn btn--small" aria-pressed={inverted} onClick={() => setInverted(!inverted)} aria-label="Icicle: draw the roots at the top">
              Icicle
            </button>
          </div>
          {tab === 'overlay' ? (
            <OverlayBody
              client={client}
              a={a}
              b={b}
              type={type}
              granularity={settings.granularity}
              filters={filters}
              mode={mode}
              normalize={normalize}
              search={search}
              onSearchChange={setSearch}
              zoomPath={zoomPath}
              onZoomChange={setZoomPath}
              inverted={inverted}
              onInvertedChange={setInverted}
              onTotals={setOverlayTotals}
            />
          ) : (
            <div className="compare-body compare-body--side-by-side">
              {[a, b].map((item, i) => (
                <ComparePane
                  key={item.handle}
                  client={client}
                  item={item}
                  letter={i === 0 ? 'A' : 'B'}
                  type={type}
                  granularity={settings.granularity}
                  filters={filters}
                  search={search}
                  onSearchChange={setSearch}
                  zoomPath={zoomPath}
                  onZoomChange={setZoomPath}
                  inverted={inverted}
                  onInvertedChange={setInverted}
                  onTotal={onTotal}
                  otherTotal={i === 0 ? undefined : ta}
                />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}

interface OverlayBodyProps {
  client: ApiClient;
  a: LoadedItem;
  b: LoadedItem;
  type: ValueType;
  granularity: Granularity;
  filters: ReturnType<typeof toProfileFilters>;
  mode: CompareMode;
  normalize: boolean;
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  zoomPath: string[] | null;
  onZoomChange(p: string[] | null): void;
  inverted: boolean;
  onInvertedChange(v: boolean): void;
  onTotals(t: { base: number; target: number } | null): void;
}

/** The delta table and the differential flame graph, one call each. */
function OverlayBody({ client, a, b, type, granularity, filters, mode, normalize, search, onSearchChange, zoomPath, onZoomChange, inverted, onInvertedChange, onTotals }: OverlayBodyProps) {
  const topCall = useApiCall();
  const flameCall = useApiCall();
  const [top, setTop] = useState<DiffTopResult | null>(null);
  const [flame, setFlame] = useState<DiffFlameResult | null>(null);
  const query = useMemo(
    () => ({ base: a.handle, target: b.handle, mode, normalize, sampleIndex: type.type, granularity, ...(filters ? { filters } : {}) }),
    [a.handle, b.handle, mode, normalize, type.type, granularity, filters],
  );
  const loadTop = useCallback(() => {
    void topCall.run(`Computing the change per function (${a.name} → ${b.name})`, (o) => client.compareTop(query, o)).then((r) => {
      if (!r) return;
      setTop(r);
      onTotals({ base: r.baseTotal, target: r.targetTotal });
    });
  }, [client, query, a.name, b.name, topCall.run, onTotals]);
  const loadFlame = useCallback(() => {
    void flameCall.run(`Building the differential flame graph (${a.name} → ${b.name})`, (o) => client.compareFlame({ ...query, minFraction: MIN_FRACTION }, o)).then((r) => r && setFlame(r));
  }, [client, query, a.name, b.name, flameCall.run]);
  useEffect(() => {
    loadTop();
    loadFlame();
  }, [loadTop, loadFlame]);
  useEffect(() => () => onTotals(null), [onTotals]);

  const selected = search.mode === 'exact' && search.text ? search.text : null;
  const onSelect = useCallback((name: string | null) => onSearchChange(name ? { text: name, mode: 'exact' } : { text: '', mode: 'substring' }), [onSearchChange]);
  const unit = flame?.sampleType.unit ?? type.unit;

  const heading = (
    <div className="compare-pane__heading" title={flame ? `${a.name}: ${formatValue(flame.baseTotal, unit)} → ${b.name}: ${formatValue(flame.targetTotal, unit)}${normalize ? ' (normalized)' : ''}` : undefined}>
      <span className="compare-letter compare-letter--b" aria-hidden="true">
        B
      </span>
      <span className="text-muted">vs</span>
      <span className="compare-letter compare-letter--a" aria-hidden="true">
        A
      </span>
    </div>
  );

  return (
    <>
    <div className="compare-body compare-body--overlay" data-testid="compare-overlay">
      <div className="panel-slot">
        {topCall.error ? <ErrorBanner title="Delta table" error={topCall.error} onRetry={loadTop} onDismiss={topCall.clearError} /> : null}
        <DeltaTable
          result={top}
          loading={topCall.busy}
          stale={!!topCall.error}
          filtered={!!filters}
          baseName={a.name}
          targetName={b.name}
          selected={selected}
          onSelect={onSelect}
        />
      </div>
      <div className="panel-slot">
        {flameCall.error ? <ErrorBanner title="Differential flame graph" error={flameCall.error} onRetry={loadFlame} onDismiss={flameCall.clearError} /> : null}
        <DiffLegend baseName={a.name} targetName={b.name} baseTotal={flame?.baseTotal ?? top?.baseTotal ?? null} unit={unit} normalize={normalize} mode={mode} />
        <DiffFlame
          diff={flame}
          baseName={a.name}
          targetName={b.name}
          loading={flameCall.busy}
          stale={!!flameCall.error}
          search={search}
          onSearchChange={onSearchChange}
          minFraction={MIN_FRACTION}
          zoomPath={zoomPath}
          onZoomChange={onZoomChange}
          inverted={inverted}
          onInvertedChange={onInvertedChange}
          heading={heading}
        />
      </div>
    </div>
    {selected ? (
      <FunctionPanel
        key={selected}
        client={client}
        target={{ handle: b.handle, base: a.handle, baseName: a.name, targetName: b.name, fn: selected, sampleIndex: type.type, granularity, filters }}
        onClose={() => onSelect(null)}
      />
    ) : null}
    </>
  );
}

interface ComparePaneProps {
  client: ApiClient;
  item: LoadedItem;
  letter: 'A' | 'B';
  type: ValueType;
  granularity: Granularity;
  filters: ReturnType<typeof toProfileFilters>;
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  zoomPath: string[] | null;
  onZoomChange(p: string[] | null): void;
  inverted: boolean;
  onInvertedChange(v: boolean): void;
  onTotal(handle: string, total: number): void;
  otherTotal: number | undefined;
}

function ComparePane({ client, item, letter, type, granularity, filters, search, onSearchChange, zoomPath, onZoomChange, inverted, onInvertedChange, onTotal, otherTotal }: ComparePaneProps) {
  const call = useApiCall();
  const [flame, setFlame] = useState<FlameResult | null>(null);
  const load = useCallback(() => {
    void call
      .run(`Building flame graph (${letter}: ${item.name})`, (o) =>
        client.flameGraph({ handle: item.handle, sampleIndex: type.type, granularity, ...(filters ? { filters } : {}), minFraction: MIN_FRACTION }, o),
      )
      .then((r) => {
        if (!r) return;
        setFlame(r);
        onTotal(item.handle, r.total);
      });
  }, [client, item.handle, item.name, letter, type.type, granularity, filters, call.run, onTotal]);
  useEffect(load, [load]);

  const heading = (
    <div className="compare-pane__heading">
      <span className={`compare-letter compare-letter--${letter.toLowerCase()}`} aria-hidden="true">
        {letter}
      </span>
      <span className="compare-pane__name" title={item.name}>
        {item.name}
      </span>
      {flame ? (
        <span className="compare-pane__total text-muted">
          {formatValue(flame.total, flame.sampleType.unit)}
          {otherTotal !== undefined ? (
            <>
              {' '}
              <Delta value={flame.total - otherTotal} base={otherTotal} unit={flame.sampleType.unit} />
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );

  return (
    <div className="panel-slot compare-pane" data-testid={`compare-${letter.toLowerCase()}`} data-handle={item.handle} aria-label={`${letter}: ${item.name}`} role="region">
      {call.error ? <ErrorBanner title={`Flame graph ${letter}`} error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <FlameGraph
        result={flame}
        loading={call.busy}
        stale={!!call.error}
        search={search}
        onSearchChange={onSearchChange}
        minFraction={MIN_FRACTION}
        zoomPath={zoomPath}
        onZoomChange={onZoomChange}
        inverted={inverted}
        onInvertedChange={onInvertedChange}
        toolbar="compact"
        heading={heading}
      />
    </div>
  );
}
