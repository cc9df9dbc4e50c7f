/**
 * A comparison of two profiles, drawn with the app's own comparison components: the differential
 * flame graph and its legend (renderer/src/compare/DiffFlame.tsx: width base + target, colour the
 * change, new/gone hatched), the delta table (DeltaTable.tsx; selecting a row highlights it in the
 * graph), plus the side-by-side pair (one search, zoom synced by frame path) and, for a series, the
 * per-function values over every snapshot.
 */
import { useCallback, useMemo, useState } from 'react';
import type { FlameResult } from '../../shared/api/types';
import type { DiffFlameResult, DiffTopResult, DiffTopRow } from '../../shared/compare/types';
import { STATUS_OF_CHAR, type ComparisonSection as Section } from '../../shared/report/model';
import { unpackDiffSides, unpackDiffTree } from '../../shared/report/unpack';
import { DeltaTable } from '../src/compare/DeltaTable';
import { DiffFlame, DiffLegend } from '../src/compare/DiffFlame';
import { FlameGraph, type FlameSearch } from '../src/flame/FlameGraph';
import { formatValue, sampleTypeLabel } from '../src/lib/format';
import { GrowthTable } from './Charts';
import { fractionLabel, signedValue } from './format';
import { flameHeight } from './ProfileSection';
import { SourceSection } from './SourceSection';

/** The packed comparison → the compare engine's result shapes the app's components take. */
export function diffResults(section: Section, strings: readonly string[]): { flame: DiffFlameResult; top: DiffTopResult } {
  const common = {
    mode: section.mode,
    normalize: section.normalize,
    sampleType: section.sampleType,
    sampleIndex: section.sampleIndex,
    total: section.total,
    baseTotal: section.baseTotal,
    targetTotal: section.targetTotal,
  };
  const d = section.delta;
  const rows: DiffTopRow[] = d.name.map((n, i) => {
    const flat = d.flat[i] ?? 0;
    const cum = d.cum[i] ?? 0;
    const baseFlat = d.baseFlat[i] ?? 0;
    const baseCum = d.baseCum[i] ?? 0;
    return { name: strings[n] ?? '?', flat, cum, baseFlat, baseCum, targetFlat: baseFlat + flat, targetCum: baseCum + cum, status: STATUS_OF_CHAR[d.status[i] ?? 'b'] ?? 'both' };
  });
  return {
    flame: { ...common, root: unpackDiffTree(section.flame, strings), nodeCount: section.flame.nodeCount, hiddenFrames: section.flame.hiddenFrames },
    top: { ...common, rows },
  };
}

function Differential({ section, strings }: { section: Section; strings: readonly string[] }) {
  const { flame, top } = useMemo(() => diffResults(section, strings), [section, strings]);
  const [search, setSearch] = useState<FlameSearch>({ text: '', mode: 'substring' });
  const [zoom, setZoom] = useState<string[] | null>(null);
  const [inverted, setInverted] = useState(false);
  const height = useMemo(() => flameHeight(section.flame.parent), [section]);
  const selected = search.mode === 'exact' && search.text ? search.text : null;
  const onSelect = useCallback((name: string | null) => setSearch(name ? { text: name, mode: 'exact' } : { text: '', mode: 'substring' }), []);
  const unit = section.sampleType.unit;
  const omitted = section.delta.totalRows - section.delta.name.length;
  return (
    <>
      <DiffLegend baseName={section.base} targetName={section.target} baseTotal={section.baseTotal} unit={unit} normalize={section.normalize} mode={section.mode} />
      <div className="report-flame-tools">
        <input
          type="search"
          className="rtable__filter"
          placeholder="Search frames"
          aria-label="Search frames in the differential flame graph"
          value={search.mode === 'exact' ? '' : search.text}
          spellCheck={false}
          onChange={(e) => setSearch({ text: e.target.value, mode: 'substring' })}
          data-testid="diff-search"
        />
        <button type="button" className="btn btn--small" disabled={!zoom} onClick={() => setZoom(null)}>
          Reset zoom
        </button>
        <span className="text-muted">Click a frame to zoom; select a row of the delta table to highlight its function.</span>
      </div>
      <div className="report-flame" style={{ height }}>
        <DiffFlame
          diff={flame}
          baseName={section.base}
          targetName={section.target}
          search={search}
          onSearchChange={setSearch}
          minFraction={section.flame.minFraction}
          zoomPath={zoom}
          onZoomChange={setZoom}
          inverted={inverted}
          onInvertedChange={setInverted}
          heading={
            <span className="side-by-side__heading">
              <strong>Differential</strong> <span className="text-muted">{formatValue(section.baseTotal, unit)} → {formatValue(section.targetTotal, unit)}</span>
            </span>
          }
        />
      </div>
      <h3>Delta table</h3>
      <div className="report-top">
        <DeltaTable result={top} baseName={section.base} targetName={section.target} selected={selected} onSelect={onSelect} />
      </div>
      {omitted > 0 ? (
        <p className="report-note" data-testid="delta-omitted">
          The delta table keeps the {section.delta.name.length.toLocaleString()} biggest changes of {section.delta.totalRows.toLocaleString()} (by |Δ flat| or |Δ cum|).
        </p>
      ) : null}
    </>
  );
}

function SideBySide({ section, strings }: { section: Section; strings: readonly string[] }) {
  const sides = useMemo(() => unpackDiffSides(section.flame, strings), [section, strings]);
  const [base, target] = useMemo(() => {
    const mk = (root: FlameResult['root'], total: number): FlameResult => ({
      sampleType: section.sampleType,
      sampleIndex: section.sampleIndex,
      total,
      root,
      nodeCount: section.flame.nodeCount,
      hiddenFrames: section.flame.hiddenFrames,
    });
    return [mk(sides.base, section.baseTotal), mk(sides.target, section.targetTotal)];
  }, [sides, section]);
  const [search, setSearch] = useState<FlameSearch>({ text: '', mode: 'substring' });
  const [zoom, setZoom] = useState<string[] | null>(null);
  const unit = section.sampleType.unit;
  const height = useMemo(() => flameHeight(section.flame.parent), [section]);
  return (
    <div className="side-by-side" data-testid="side-by-side">
      <div className="side-by-side__tools">
        <input
          type="search"
          className="rtable__filter"
          placeholder="Search both"
          aria-label="Search frames in both flame graphs"
          value={search.text}
          spellCheck={false}
          onChange={(e) => setSearch({ text: e.target.value, mode: 'substring' })}
          data-testid="side-search"
        />
        <button type="button" className="btn btn--small" disabled={!zoom} onClick={() => setZoom(null)}>
          Reset zoom
        </button>
        <span className="text-muted">Click a frame to zoom both sides to the same stack.</span>
      </div>
      <div className="side-by-side__pair">
        {(
          [
            ['Base', section.base, base, section.baseTotal],
            ['Target', section.target, target, section.targetTotal],
          ] as const
        ).map(([label, name, result, total]) => (
          <div key={label} className="report-flame" style={{ height }}>
            <FlameGraph
              result={result}
              search={search}
              onSearchChange={setSearch}
              minFraction={section.flame.minFraction}
              toolbar="compact"
              zoomPath={zoom}
              onZoomChange={setZoom}
              heading={
                <span className="side-by-side__heading">
                  <strong>{label}</strong> <span className="mono">{name}</span> <span className="text-muted">{formatValue(total, unit)}</span>
                </span>
              }
            />
          </div>
        ))}
      </div>
    </div>
  );
}

function Growth({ section, strings }: { section: Section; strings: readonly string[] }) {
  const g = section.growth;
  const unit = section.sampleType.unit;
  if (!g) return null;
  return (
    <div className="report-sub" data-testid="growth-table">
      <h3>Over the series</h3>
      <p className="report-meta">
        {sampleTypeLabel(section.sampleType)} per function (flat) in each snapshot: {section.series.join(' → ')}. Totals: {g.totals.map((t) => formatValue(t, unit)).join(' → ')}.
      </p>
      <GrowthTable
        label="Per-function values over the series"
        snapshots={section.series}
        rows={g.rows.map((r) => ({
          name: strings[r.name] ?? '?',
          values: r.values,
          growth: (
            <>
              {signedValue(r.growth, unit)}
              {r.monotonic ? <span className="text-muted"> (never down)</span> : null}
            </>
          ),
        }))}
        format={(v) => formatValue(v, unit)}
        trendLabel={(name) => `trend of ${name}`}
      />
    </div>
  );
}

export function ComparisonSection({ section, strings }: { section: Section; strings: readonly string[] }) {
  const unit = section.sampleType.unit;
  const change = section.targetTotal - section.baseTotal;
  return (
    <>
      <p className="report-meta">
        {sampleTypeLabel(section.sampleType)} · base <strong className="mono">{section.base}</strong> {formatValue(section.baseTotal, unit)} → target{' '}
        <strong className="mono">{section.target}</strong> {formatValue(section.targetTotal, unit)}
        {section.normalize ? ' (normalized to the base total)' : ''} · change <strong>{signedValue(change, unit)}</strong>
        {section.baseTotal ? ` (${change >= 0 ? '+' : ''}${((100 * change) / Math.abs(section.baseTotal)).toFixed(1)}%)` : ''} · pprof {section.mode === 'base' ? '-base' : '-diff_base'}
        {section.flame.minFraction > 0 ? ` · frames below ${fractionLabel(section.flame.minFraction)} of the larger total merged` : ''}
      </p>
      <h3>Differential flame graph</h3>
      <Differential section={section} strings={strings} />
      <h3>Side by side</h3>
      <SideBySide section={section} strings={strings} />
      <Growth section={section} strings={strings} />
      {section.source ? <SourceSection source={section.source} unit={unit} delta /> : null}
    </>
  );
}
