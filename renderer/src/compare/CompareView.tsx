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
import type { LoadedItem } from '../../../shared/api/types';
import type { CompareMode } from '../../../shared/compare/types';
import { Segmented, type SegmentedOption } from '../controls/Segmented';
import type { FlameSearch } from '../flame/FlameGraph';
import { FlameToolbar } from '../flame/FlameToolbar';
import { FilterBar } from '../profile/FilterBar';
import { toProfileFilters, type ViewSettings } from '../profile/settings';
import { GranularityField, SampleTypeField, useFlameShortcuts, useSettingsPatch } from '../profile/viewControls';
import { ViewTabs, type TabDef } from '../controls/ViewTabs';
import { CompareTitle } from './CompareHeader';
import { Delta } from './Delta';
import { GoroutineCompare } from './GoroutineCompare';
import { OverlayBody } from './OverlayBody';
import { isGoroutineProfile } from './pairs';
import { commonSampleTypes, pickCommonType } from './sampleTypes';
import { ComparePane } from './SidePane';
import { Check } from '../controls/Check';

const MODES: SegmentedOption<CompareMode>[] = [
  { value: 'diff_base', label: '-diff_base', title: "pprof -diff_base: B − A, percentages of A's total", testId: 'diff-mode-diff_base' },
  { value: 'base', label: '-base', title: 'pprof -base: B − A as a profile of its own (cumulative profiles such as allocs), percentages of Σ|change|', testId: 'diff-mode-base' },
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
  const update = useSettingsPatch(settings, onSettingsChange);

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
  useFlameShortcuts({
    focusSearch: (select) => {
      const input = searchRef.current;
      if (!input) return false;
      input.focus();
      if (select) input.select();
      return true;
    },
    resetZoom: () => setZoomPath(null),
  });

  const search = settings.search;
  const setSearch = (s: FlameSearch) => update({ search: s });
  const unit = type?.unit ?? '';
  const ta = tab === 'overlay' && overlayTotals && !normalize ? overlayTotals.base : totals[a.handle];
  const tb = tab === 'overlay' && overlayTotals && !normalize ? overlayTotals.target : totals[b.handle];
  const profileTab = tab !== 'goroutines';
  // The query and the flame state both bodies share (search, zoom and icicle span the tabs).
  const shared = {
    client,
    granularity: settings.granularity,
    filters,
    view: { search, onSearchChange: setSearch, zoomPath, onZoomChange: setZoomPath, inverted, onInvertedChange: setInverted },
  };

  return (
    <div className="profile-view compare-view" data-testid="compare-view" data-tab={tab}>
      <div className="profile-header">
        <CompareTitle a={a} b={b} onSwap={onSwap} onView={onView} />
        <div className="toolbar-spacer" />
        {profileTab && common.length ? (
          <SampleTypeField types={common} value={type?.type ?? ''} onChange={(t) => update({ sampleType: t })} ariaLabel="Sample type (both profiles)" testId="compare-sample-type" />
        ) : null}
        {profileTab ? <GranularityField value={settings.granularity} onChange={(g) => update({ granularity: g })} ariaLabel="Granularity (both profiles)" /> : null}
      </div>
      <div className="compare-tabs">
        <ViewTabs tabs={tabs} value={tab} onChange={setTab} label="Comparison views" testPrefix="compare-tab" />
        <div className="toolbar-spacer" />
        {tab === 'overlay' ? (
          <div className="diff-options" role="group" aria-label="Comparison mode">
            <Segmented<CompareMode> options={MODES} value={mode} onChange={setMode} ariaLabel="pprof mode" />
            <Check checked={normalize} onChange={setNormalize} label="Normalize" title="pprof -normalize: scale B so its total equals A's (compare shapes, not sizes)" testId="diff-normalize" />
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
            <FlameToolbar
              scope={tab === 'overlay' ? 'overlay' : 'both'}
              search={search}
              onSearchChange={setSearch}
              searchRef={searchRef}
              zoomed={!!zoomPath}
              onResetZoom={() => setZoomPath(null)}
              inverted={inverted}
              onInvertedChange={setInverted}
              end={
                ta !== undefined && tb !== undefined ? (
                  <span className="compare-delta" data-testid="compare-total-delta" title={`B − A, ${type.type}`}>
                    <span className="text-muted">B − A</span> <Delta value={tb - ta} base={ta} unit={unit} />
                  </span>
                ) : null
              }
            >
              <span className="text-muted compare-toolbar__note">
                {tab === 'overlay' ? 'Select a row to highlight it · click a frame to zoom' : 'Click a frame to zoom both graphs to the same stack'}
              </span>
            </FlameToolbar>
          </div>
          {tab === 'overlay' ? (
            <OverlayBody {...shared} type={type} a={a} b={b} mode={mode} normalize={normalize} onTotals={setOverlayTotals} />
          ) : (
            <div className="compare-body compare-body--side-by-side">
              {[a, b].map((item, i) => (
                <ComparePane key={item.handle} {...shared} type={type} item={item} letter={i === 0 ? 'A' : 'B'} onTotal={onTotal} otherTotal={i === 0 ? undefined : ta} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}

