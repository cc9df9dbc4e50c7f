/**
 * The profile view for one selected item: sample type + granularity, refine filters, the top table
 * and the flame graph side by side. Each panel runs its own call (cancellable, with progress) and
 * shows its own error. Mounted with key={item.handle}: a new item starts from a clean slate.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { FlameQuery, FlameResult, LoadedItem, ProfileQuery, TopResult } from '../../../shared/api/types';
import { FlameGraph, type FlameGraphHandle, type FlameSearch } from '../flame/FlameGraph';
import { SelectField } from '../controls/SelectField';
import { formatValue, sampleTypeLabel } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { TopTable } from '../top/TopTable';
import { FilterBar } from './FilterBar';
import { whenIdle } from '../lib/idle';
import { lazyComponent } from '../lib/lazy';
import { sampleIndexFor, toProfileFilters, type ViewSettings } from './settings';
import { GranularityField, MIN_FRACTION, useFlameShortcuts, useSettingsPatch } from './viewControls';

/**
 * Shown once a function is picked or a frame zoomed, never on a fresh page: a lazy chunk
 * (lib/lazy.tsx) with the sandwich and source views, fetched as soon as the page is idle so the
 * first click does not wait for it.
 */
const FunctionPanel = lazyComponent(() => import('../sandwich/FunctionPanel').then((m) => m.FunctionPanel));

export interface ProfileViewProps {
  client: ApiClient;
  item: LoadedItem;
  settings: ViewSettings;
  onSettingsChange(s: ViewSettings): void;
  /**
   * The answer to a flame graph query the host already has (a served page carries its first one:
   * app/bootData.ts), else null. Asked once, for the view's first query: with an answer, the first
   * render holds the flame graph and no call is made for it.
   */
  initialFlame?(q: FlameQuery): FlameResult | null;
}

export function ProfileView({ client, item, settings, onSettingsChange, initialFlame }: ProfileViewProps) {
  const sampleIndex = sampleIndexFor(item, settings);
  const filters = useMemo(() => toProfileFilters(settings.filters), [settings.filters]);
  const query = useMemo<ProfileQuery>(
    () => ({ handle: item.handle, sampleIndex, granularity: settings.granularity, ...(filters ? { filters } : {}) }),
    [item.handle, sampleIndex, settings.granularity, filters],
  );

  const topCall = useApiCall();
  const flameCall = useApiCall();
  const [top, setTop] = useState<TopResult | null>(null);
  const [flame, setFlame] = useState<FlameResult | null>(() => initialFlame?.({ ...query, minFraction: MIN_FRACTION }) ?? null);
  /** The first flame graph came with the view (initialFlame): its call is not made. */
  const flameGiven = useRef(flame !== null);
  const [selectedFn, setSelectedFn] = useState<string | null>(() => (settings.search.mode === 'exact' && settings.search.text ? settings.search.text : null));
  const flameRef = useRef<FlameGraphHandle>(null);
  // The function panel (source + callers/callees): the selected function, else the last flame frame clicked.
  const [zoomFn, setZoomFn] = useState<string | null>(null);
  const [panelClosed, setPanelClosed] = useState<string | null>(null);

  const update = useSettingsPatch(settings, onSettingsChange);

  const loadTop = useCallback(() => {
    void topCall.run('Computing top table', (o) => client.top(query, o)).then((r) => {
      if (r) setTop(r);
    });
  }, [client, query, topCall.run]);
  const loadFlame = useCallback(() => {
    void flameCall.run('Building flame graph', (o) => client.flameGraph({ ...query, minFraction: MIN_FRACTION }, o)).then((r) => {
      if (r) setFlame(r);
    });
  }, [client, query, flameCall.run]);

  // The flame graph first: the analysis worker runs one call at a time, and the top table's result
  // (every function: ~1.5 MB for a 15k-function profile) would otherwise delay the first flame paint.
  useEffect(() => {
    if (flameGiven.current) flameGiven.current = false;
    else loadFlame();
    loadTop();
  }, [loadTop, loadFlame]);

  useEffect(() => whenIdle(FunctionPanel.preload), []);

  // Keyboard: "/" or Ctrl/Cmd+F focus the flame search; Escape resets the zoom.
  useFlameShortcuts({
    focusSearch: () => {
      flameRef.current?.focusSearch();
      return true;
    },
    resetZoom: () => flameRef.current?.resetZoom(),
  });

  const onSelectFn = useCallback(
    (name: string | null) => {
      setSelectedFn(name);
      update({ search: name ? { text: name, mode: 'exact' } : { text: '', mode: 'substring' } });
    },
    [update],
  );
  const onSearchChange = useCallback(
    (s: FlameSearch) => {
      if (!(s.mode === 'exact' && s.text === selectedFn)) setSelectedFn(null);
      update({ search: s });
    },
    [update, selectedFn],
  );

  const st = item.sampleTypes[sampleIndex];
  const total = item.totals[sampleIndex] ?? 0;
  const filtered = !!filters;

  return (
    <div className="profile-view">
      <div className="profile-header">
        <div className="profile-header__title">
          <h2 title={item.name}>{item.name}</h2>
          <span className="text-muted">
            {st ? (
              <>
                {formatValue(total, st.unit)} {st.type}
                {filtered && top ? <> · {formatValue(top.rows.reduce((a, r) => a + r.flat, 0), st.unit)} after filters</> : null}
              </>
            ) : null}
          </span>
        </div>
        <div className="toolbar-spacer" />
        <SelectField
          label="Sample"
          testId="sample-type-select"
          ariaLabel="Sample type"
          value={String(sampleIndex)}
          options={item.sampleTypes.map((t, i) => ({ value: String(i), label: `${sampleTypeLabel(t)}${i === item.defaultSampleIndex ? ' · default' : ''}` }))}
          onChange={(v) => update({ sampleType: item.sampleTypes[Number(v)]?.type ?? null })}
        />
        <GranularityField value={settings.granularity} onChange={(g) => update({ granularity: g })} ariaLabel="Granularity" testId="granularity-select" />
      </div>
      <FilterBar filters={settings.filters} onChange={(f) => update({ filters: f })} />
      {item.warnings.length ? (
        <div className="warning-note" role="note">
          {item.warnings.map((w, i) => (
            <div key={i}>⚠ {w}</div>
          ))}
        </div>
      ) : null}
      <div className="profile-panels">
        <div className="panel-slot">
          {topCall.error ? <ErrorBanner title="Top table" error={topCall.error} onRetry={loadTop} onDismiss={topCall.clearError} /> : null}
          <TopTable
            result={top}
            loading={topCall.busy}
            stale={!!topCall.error}
            filtered={filtered}
            selected={selectedFn}
            onSelect={onSelectFn}
            onRefine={(kind, regex) => update({ filters: [...settings.filters, { kind, value: regex }] })}
          />
        </div>
        <div className="panel-slot">
          {flameCall.error ? <ErrorBanner title="Flame graph" error={flameCall.error} onRetry={loadFlame} onDismiss={flameCall.clearError} /> : null}
          <FlameGraph
            ref={flameRef}
            result={flame}
            loading={flameCall.busy}
            stale={!!flameCall.error}
            search={settings.search}
            onSearchChange={onSearchChange}
            minFraction={MIN_FRACTION}
            // The function panel follows the zoom as a transition: the zoomed chart is painted first.
            onZoomChange={(p) => startTransition(() => setZoomFn(p && p.length && !/ hidden \(/.test(p[p.length - 1]!) ? p[p.length - 1]! : null))}
          />
        </div>
      </div>
      {(() => {
        const fn = selectedFn ?? zoomFn;
        if (!fn || fn === panelClosed) return null;
        return (
          <FunctionPanel
            key={fn}
            client={client}
            target={{ handle: item.handle, fn, sampleIndex, granularity: settings.granularity, filters }}
            onClose={() => setPanelClosed(fn)}
          />
        );
      })()}
    </div>
  );
}
