/**
 * Two profiles side by side: the same sample type, granularity and refine filters on both, one
 * search box for both, and zoom kept in sync by frame path (the same stack of names on the other
 * side; when that stack is absent there, that graph says so and shows everything).
 *
 * Layout: header (A ⇄ B, sample type, granularity) → filters → shared flame toolbar → body. The body
 * is where the diff engine's views (overlay differential flame graph, delta table, new/gone frames,
 * findings) will mount next to "side by side" once their API methods exist; nothing stands in for
 * them until then.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { FlameResult, Granularity, LoadedItem, ValueType } from '../../../shared/api/types';
import { FlameGraph, type FlameSearch } from '../flame/FlameGraph';
import { formatPercent, formatValue, sampleTypeLabel } from '../lib/format';
import { FilterBar } from '../profile/FilterBar';
import { MIN_FRACTION } from '../profile/ProfileView';
import { toProfileFilters, type ViewSettings } from '../profile/settings';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';

const GRANULARITIES: Array<{ value: Granularity; label: string }> = [
  { value: 'functions', label: 'Functions' },
  { value: 'files', label: 'Files' },
  { value: 'lines', label: 'Lines' },
];

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
}

export function CompareView({ client, a, b, settings, onSettingsChange, onSwap, onView }: CompareViewProps) {
  const type = pickCommonType(a, b, settings.sampleType);
  const common = useMemo(() => commonSampleTypes(a, b), [a, b]);
  const filters = useMemo(() => toProfileFilters(settings.filters), [settings.filters]);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const update = useCallback((patch: Partial<ViewSettings>) => onSettingsChange({ ...settingsRef.current, ...patch }), [onSettingsChange]);

  const [zoomPath, setZoomPath] = useState<string[] | null>(null);
  const [inverted, setInverted] = useState(false);
  const [totals, setTotals] = useState<Record<string, number>>({});
  const searchRef = useRef<HTMLInputElement>(null);

  // A new pair, sample type, granularity or filter set starts unzoomed.
  const pairKey = [a.handle, b.handle].sort().join('|');
  useEffect(() => setZoomPath(null), [pairKey, type?.type, settings.granularity, filters]);

  const onTotal = useCallback((handle: string, total: number) => setTotals((t) => (t[handle] === total ? t : { ...t, [handle]: total })), []);

  // Keyboard: "/" or Ctrl/Cmd+F focus the search; Escape resets the zoom of both.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
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
  const ta = totals[a.handle];
  const tb = totals[b.handle];

  return (
    <div className="profile-view compare-view" data-testid="compare-view">
      <div className="profile-header">
        <div className="compare-title">
          <span className="compare-title__label">Compare</span>
          <button type="button" className="compare-name" onClick={() => onView(a.handle)} title={`View ${a.name} alone`}>
            <span className="compare-letter compare-letter--a" aria-hidden="true">
              A
            </span>
            <span className="compare-name__text">{a.name}</span>
          </button>
          <button type="button" className="icon-button compare-swap" onClick={onSwap} aria-label="Swap A and B" title="Swap A and B" data-testid="compare-swap">
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </button>
          <button type="button" className="compare-name" onClick={() => onView(b.handle)} title={`View ${b.name} alone`}>
            <span className="compare-letter compare-letter--b" aria-hidden="true">
              B
            </span>
            <span className="compare-name__text">{b.name}</span>
          </button>
        </div>
        <div className="toolbar-spacer" />
        {common.length ? (
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
      </div>
      <FilterBar filters={settings.filters} onChange={(f) => update({ filters: f })} />
      {!type ? (
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
                aria-label="Search frames in both flame graphs"
                placeholder={search.mode === 'regex' ? 'Search both (regex)  /' : 'Search both graphs  /'}
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
            <span className="text-muted compare-toolbar__note">Click a frame to zoom both graphs to the same stack</span>
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
              aria-label="Reset zoom of both graphs (Escape)"
              title="Reset zoom (Esc)"
              data-testid="compare-reset-zoom"
            >
              Reset zoom
            </button>
            <button type="button" className="btn btn--small" aria-pressed={inverted} onClick={() => setInverted(!inverted)} aria-label="Icicle: draw the roots at the top">
              Icicle
            </button>
          </div>
          {/* Diff engine views (overlay, delta table, new/gone frames, findings) mount beside this body. */}
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
        </>
      )}
    </div>
  );
}

function Delta({ value, base, unit }: { value: number; base: number; unit: string }) {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return (
    <span className={`delta ${value > 0 ? 'delta--up' : value < 0 ? 'delta--down' : ''}`}>
      {sign}
      {formatValue(Math.abs(value), unit)}
      {base ? <span className="delta__pct"> ({sign}{formatPercent(Math.abs(value), base)})</span> : null}
    </span>
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
