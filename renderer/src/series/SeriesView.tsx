/**
 * A series of three or more snapshots of one kind (series): heap profiles (a sample type per
 * function), heap dumps (reachable bytes per allocation site and per GC root), goroutine profiles
 * (goroutines per stack). The totals across snapshots as a chart, the biggest growers as small
 * lines with their slope and a "monotonic" badge, and every trend in a table. Selecting a trend
 * draws it over the totals. Names from the files are rendered as text.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient, SeriesResult } from '../../../shared/api/contract';
import type { LoadedItem, ValueType } from '../../../shared/api/types';
import type { Trend } from '../../../shared/compare/types';
import { signed } from '../compare/Delta';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, textColumn } from '../grid/columns';
import { formatValue, plural, formatNumber } from '../lib/format';
import type { ViewSettings } from '../profile/settings';
import { GranularityField, SampleTypeField } from '../profile/viewControls';
import { Segmented, type SegmentedOption } from '../controls/Segmented';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { LineChart } from '../chart/LineChart';
import { Sparkline } from '../chart/Sparkline';
import { Check } from '../controls/Check';

export interface SeriesFocus {
  nonce: number;
  /** A trend's key or label (a function, a site, a root). */
  function?: string;
}

type TrendSet = 'sites' | 'roots';


const TOP_CARDS = 6;

/** Sample types every item has (same name and unit), in the first item's order. */
function commonTypes(items: readonly LoadedItem[]): ValueType[] {
  const [first, ...rest] = items;
  if (!first) return [];
  return first.sampleTypes.filter((t) => rest.every((i) => i.sampleTypes.some((u) => u.type === t.type && u.unit === t.unit)));
}

export interface SeriesViewProps {
  client: ApiClient;
  items: LoadedItem[];
  settings: ViewSettings;
  onSettingsChange(s: ViewSettings): void;
  onView(handle: string): void;
  focus?: SeriesFocus | undefined;
}

export function SeriesView({ client, items, settings, onSettingsChange, onView, focus }: SeriesViewProps) {
  const profiles = items.every((i) => i.kind === 'profile');
  const goroutines = profiles && items.every((i) => i.profileKind === 'goroutine');
  const types = useMemo(() => (profiles && !goroutines ? commonTypes(items) : []), [items, profiles, goroutines]);
  const first = items[0];
  const type = types.find((t) => t.type === settings.sampleType) ?? types.find((t) => t.type === first?.sampleTypes[first.defaultSampleIndex]?.type) ?? types[0] ?? null;
  const handles = items.map((i) => i.handle);
  const handlesKey = handles.join('|');

  const call = useApiCall();
  const [res, setRes] = useState<SeriesResult | null>(null);
  const load = useCallback(() => {
    const req = {
      handles: handlesKey.split('|'),
      ...(type ? { sampleIndex: type.type } : {}),
      ...(profiles && !goroutines ? { granularity: settings.granularity } : {}),
    };
    void call.run(`Computing trends over ${handlesKey.split('|').length} snapshots`, (o) => client.series(req, o)).then((r) => r && setRes(r));
  }, [client, handlesKey, type?.type, settings.granularity, profiles, goroutines, call.run]);
  useEffect(load, [load]);

  const [set, setSet] = useState<TrendSet>('sites');
  const [selected, setSelected] = useState<string | null>(null);
  const [growingOnly, setGrowingOnly] = useState(false);

  const unit = res?.kind === 'profiles' ? res.sampleType.unit : res?.kind === 'goroutines' ? 'count' : 'bytes';
  const trends: Trend[] = useMemo(() => (!res ? [] : res.kind === 'heapdumps' ? (set === 'roots' ? res.byRoot : res.bySite) : res.trends), [res, set]);
  const totals = useMemo(() => {
    if (!res) return [];
    if (res.kind === 'goroutines') return res.points.map((_, i) => res.trends.reduce((a, t) => a + (t.values[i] ?? 0), 0));
    return res.totals;
  }, [res]);
  const labels = res?.points.map((p) => p.name) ?? items.map((i) => i.name);
  const shown = useMemo(() => (growingOnly ? trends.filter((t) => t.growth > 0) : trends), [trends, growingOnly]);
  const top = useMemo(() => trends.filter((t) => t.growth > 0).slice(0, TOP_CARDS), [trends]);
  const sel = trends.find((t) => t.key === selected) ?? null;

  // A finding's focus: its function (by key, else by label).
  useEffect(() => {
    if (!res || !focus?.function) return;
    const all = res.kind === 'heapdumps' ? [...res.bySite, ...res.byRoot] : res.trends;
    const t = all.find((x) => x.key === focus.function) ?? all.find((x) => x.label === focus.function);
    if (!t) return;
    if (res.kind === 'heapdumps') setSet(res.byRoot.includes(t) ? 'roots' : 'sites');
    setSelected(t.key);
  }, [res, focus?.nonce]);

  const what = res?.kind === 'heapdumps' ? (set === 'roots' ? 'GC root' : 'allocation site') : res?.kind === 'goroutines' ? 'stack' : settings.granularity === 'lines' ? 'line' : settings.granularity === 'files' ? 'file' : 'function';
  const totalLabel = res?.kind === 'heapdumps' ? 'Reachable heap' : res?.kind === 'goroutines' ? 'Goroutines' : `Total ${res?.kind === 'profiles' ? res.sampleType.type : ''}`;
  const growth = totals.length ? totals[totals.length - 1]! - totals[0]! : 0;

  return (
    <div className="profile-view series-view" data-testid="series-view" data-kind={res?.kind}>
      <div className="profile-header">
        <div className="series-title">
          <span className="compare-title__label">Series</span>
          <span className="text-muted">{plural(items.length, 'snapshot')}</span>
          <ol className="series-chips" aria-label="Snapshots in order">
            {(res ? res.points.map((p) => items.find((i) => i.name === p.name) ?? null) : items).map((it, i) => (
              <li key={i}>
                <button type="button" className="series-chip" onClick={() => it && onView(it.handle)} title={it ? `View ${it.name} alone` : ''} disabled={!it}>
                  <span className="series-chip__n" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span className="series-chip__name">{it?.name ?? res?.points[i]?.name}</span>
                </button>
              </li>
            ))}
          </ol>
        </div>
        <div className="toolbar-spacer" />
        {types.length ? (
          <SampleTypeField types={types} value={type?.type ?? ''} onChange={(t) => onSettingsChange({ ...settings, sampleType: t })} ariaLabel="Sample type (every snapshot)" testId="series-sample-type" />
        ) : null}
        {profiles && !goroutines ? <GranularityField value={settings.granularity} onChange={(g) => onSettingsChange({ ...settings, granularity: g })} ariaLabel="Granularity" /> : null}
      </div>
      {call.error ? <ErrorBanner title="Series" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <div className={`series-top${call.busy ? ' is-loading' : ''}`}>
        <section className="panel series-chart-panel" aria-label="Totals across snapshots">
          <div className="panel__toolbar">
            <span className="panel__title">{totalLabel}</span>
            {totals.length ? (
              <span className="text-muted series-growth">
                {formatValue(totals[0]!, unit)} → {formatValue(totals[totals.length - 1]!, unit)}{' '}
                <span className={`delta ${growth > 0 ? 'delta--up' : growth < 0 ? 'delta--down' : ''}`}>{signed(growth, unit)}</span>
              </span>
            ) : null}
            <div className="toolbar-spacer" />
            <span className="series-key series-key--total">total</span>
            {sel ? (
              <span className="series-key series-key--selected" title={sel.label}>
                {sel.label}
              </span>
            ) : (
              <span className="text-muted series-hint">click a row to draw it</span>
            )}
          </div>
          <div className="series-chart">
            {res ? (
              <LineChart
                labels={labels}
                unit={unit}
                height={220}
                ariaLabel={`${totalLabel} across ${labels.length} snapshots`}
                testId="series-totals-chart"
                series={[{ key: 'total', values: totals, tone: 'total', label: totalLabel }, ...(sel ? [{ key: `t:${sel.key}`, values: sel.values, tone: 'selected' as const, label: sel.label }] : [])]}
              />
            ) : null}
          </div>
        </section>
        <section className="panel series-growers" aria-label="Top growing">
          <div className="panel__toolbar">
            <span className="panel__title">Top growing {what}s</span>
            {res?.kind === 'heapdumps' ? <Segmented<TrendSet> options={TREND_SETS} value={set} onChange={setSet} ariaLabel="Trends of" /> : null}
          </div>
          <div className="series-cards" data-testid="series-top">
            {top.length ? (
              top.map((t) => <TrendCard key={t.key} t={t} unit={unit} selected={t.key === selected} onSelect={() => setSelected(t.key === selected ? null : t.key)} />)
            ) : res ? (
              <div className="panel__empty">Nothing grows across these snapshots.</div>
            ) : null}
          </div>
        </section>
      </div>
      <section className="panel series-table" aria-label="Trends">
        <div className="panel__toolbar">
          <span className="panel__title">Trends</span>
          <span className="text-muted top-count">{res ? `${formatNumber(shown.length)} ${what}s · biggest growth first` : ''}</span>
          <div className="toolbar-spacer" />
          <Check checked={growingOnly} onChange={setGrowingOnly} label="Growing only" />
        </div>
        <TrendTable trends={shown} unit={unit} what={what} loading={call.busy && !res} selected={selected} onSelect={setSelected} timed={!!res?.points.every((p) => p.timeSec !== null)} />
      </section>
    </div>
  );
}

const TREND_SETS: SegmentedOption<TrendSet>[] = [
  { value: 'sites', label: 'Allocation sites', testId: 'series-set-sites' },
  { value: 'roots', label: 'GC roots', testId: 'series-set-roots' },
];

function perSnapshot(t: Trend, unit: string): string {
  return `${signed(t.slope, unit)}/snapshot`;
}

function MonotonicBadge({ t }: { t: Trend }) {
  return t.monotonic ? (
    <span className="badge badge--warn" title="Never went down, and ended higher than it started" data-testid="series-badge-monotonic">
      monotonic
    </span>
  ) : null;
}

function TrendCard({ t, unit, selected, onSelect }: { t: Trend; unit: string; selected: boolean; onSelect(): void }) {
  return (
    <button type="button" className={`trend-card${selected ? ' is-selected' : ''}`} onClick={onSelect} aria-pressed={selected} data-testid="series-card" data-key={t.key} data-monotonic={String(t.monotonic)} title={t.key}>
      <span className="trend-card__label mono">{t.label}</span>
      <span className="trend-card__body">
        <Sparkline values={t.values} width={120} height={30} tone={t.growth > 0 ? 'up' : t.growth < 0 ? 'down' : 'flat'} />
        <span className="trend-card__numbers">
          <span className="trend-card__last">{formatValue(t.last, unit)}</span>
          <span className="delta delta--up">{signed(t.growth, unit)}</span>
        </span>
      </span>
      <span className="trend-card__badges">
        <span className="badge" title="Least-squares slope per snapshot">
          {perSnapshot(t, unit)}
        </span>
        <MonotonicBadge t={t} />
        {t.r2 >= 0.95 && t.values.length >= 3 ? (
          <span className="badge" title="Coefficient of determination of the linear fit">
            linear r² {t.r2.toFixed(2)}
          </span>
        ) : null}
      </span>
    </button>
  );
}

const h = gridHelper<Trend>();

function TrendTable({ trends, unit, what, loading, selected, onSelect, timed }: { trends: Trend[]; unit: string; what: string; loading: boolean; selected: string | null; onSelect(k: string): void; timed: boolean }) {
  const columns = useMemo(
    () =>
      h.columns([
        textColumn(h, 'label', what[0]!.toUpperCase() + what.slice(1), (r) => r.label, (v, r) => (
          <span className="mono" title={r.key}>
            {v}
          </span>
        )),
        h.accessor('last', {
          id: 'values',
          header: 'Across snapshots',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) => <Sparkline values={c.row.original.values} width={110} height={20} tone={c.row.original.growth > 0 ? 'up' : c.row.original.growth < 0 ? 'down' : 'flat'} />,
        }),
        h.accessor('first', { id: 'first', header: 'First', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatValue(c.getValue(), unit) }),
        h.accessor('last', { id: 'last', header: 'Last', sortFn: 'basic', sortDescFirst: true, cell: (c) => formatValue(c.getValue(), unit) }),
        h.accessor('growth', {
          id: 'growth',
          header: 'Growth',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) => <span className={`delta ${c.getValue() > 0 ? 'delta--up' : c.getValue() < 0 ? 'delta--down' : 'delta--zero'}`}>{signed(c.getValue(), unit)}</span>,
        }),
        h.accessor('slope', {
          id: 'slope',
          header: timed ? 'Slope' : 'Slope / snapshot',
          sortFn: 'basic',
          sortDescFirst: true,
          cell: (c) => (
            <span title={c.row.original.slopePerSecond !== null ? `${signed(c.row.original.slopePerSecond, unit)} per second` : 'per snapshot'}>
              {signed(c.getValue(), unit)}
              {timed && c.row.original.slopePerSecond !== null ? <span className="text-muted"> · {signed(c.row.original.slopePerSecond, unit)}/s</span> : null}
            </span>
          ),
        }),
        h.accessor('r2', { id: 'r2', header: 'r²', sortFn: 'basic', sortDescFirst: true, cell: (c) => c.getValue().toFixed(2) }),
        h.accessor((r) => (r.monotonic ? 1 : 0), { id: 'monotonic', header: 'Shape', sortFn: 'basic', sortDescFirst: true, cell: (c) => <Shape t={c.row.original} /> }),
      ]),
    [unit, what, timed],
  );
  return (
    <DataGrid<Trend>
      columns={columns}
      data={trends}
      getRowId={(r) => r.key}
      template={`minmax(220px, 1fr) 126px 86px 86px 96px ${timed ? '190px' : '124px'} 52px 104px`}
      numeric={['first', 'last', 'growth', 'slope', 'r2']}
      ariaLabel="Trends across snapshots"
      testId="series-trends-table"
      rowTestId="series-trend-row"
      activeId={selected}
      onActiveChange={(r) => onSelect(r.key)}
      sortable
      loading={loading}
      empty="No trends."
      rowData={(r) => ({ 'data-key': r.key, 'data-monotonic': String(r.monotonic), 'data-growth': String(r.growth) })}
    />
  );
}

function Shape({ t }: { t: Trend }) {
  if (t.monotonic) return <MonotonicBadge t={t} />;
  if (t.growth === 0 && t.increases === 0 && t.decreases === 0) return <span className="text-muted">flat</span>;
  return (
    <span className="text-muted" title={`${t.increases} steps up, ${t.decreases} down`}>
      {t.increases}↑ {t.decreases}↓
    </span>
  );
}
