/**
 * A comparison of two profiles: the differential flame graph (width: the target; colour: the change
 * from the base) with its legend, the side-by-side pair (one search, zoom synced by frame path), the
 * delta table, and for a series the per-function values over every snapshot.
 */
import { useCallback, useMemo, useState } from 'react';
import type { FlameResult } from '../../shared/api/types';
import type { DiffFlameNode } from '../../shared/compare/types';
import { STATUS_OF_CHAR, type ComparisonSection as Section } from '../../shared/report/model';
import { unpackDiffSides, unpackDiffTree } from '../../shared/report/unpack';
import { FlameGraph, type FlameSearch } from '../src/flame/FlameGraph';
import type { ChartNode } from '../src/flame/model';
import type { TooltipLine } from '../src/flame/tooltip';
import { formatPercent, formatValue, sampleTypeLabel } from '../src/lib/format';
import { useColorScheme } from '../src/lib/useColorScheme';
import { Sparkline } from './Charts';
import { flameHeight } from './ProfileSection';
import { signedValue, fractionLabel } from './format';
import { Table, type Column } from './Table';

const pathKey = (path: readonly string[]): string => path.join('\n');

/** Colour of a change: red grew, blue shrank, intensity |delta| / scale (capped at 1). */
export function deltaColor(delta: number, scale: number, dark: boolean): string {
  const t = scale > 0 ? Math.min(1, Math.abs(delta) / scale) : 0;
  if (delta === 0 || t < 0.005) return dark ? 'hsl(220, 6%, 30%)' : 'hsl(220, 10%, 88%)';
  const hue = delta > 0 ? 2 : 215;
  return dark ? `hsl(${hue}, ${40 + 35 * t}%, ${26 + 22 * t}%)` : `hsl(${hue}, ${55 + 30 * t}%, ${92 - 38 * t}%)`;
}

function indexByPath(root: DiffFlameNode): { byPath: Map<string, DiffFlameNode>; maxAbs: number } {
  const byPath = new Map<string, DiffFlameNode>();
  let maxAbs = 0;
  const st: Array<{ n: DiffFlameNode; path: string[] }> = root.children.map((n) => ({ n, path: [n.name] }));
  while (st.length) {
    const { n, path } = st.pop()!;
    byPath.set(pathKey(path), n);
    if (!n.hiddenFrames) maxAbs = Math.max(maxAbs, Math.abs(n.delta));
    for (const c of n.children) st.push({ n: c, path: [...path, c.name] });
  }
  return { byPath, maxAbs };
}

function DiffFlame({ section, strings }: { section: Section; strings: readonly string[] }) {
  const root = useMemo(() => unpackDiffTree(section.flame, strings), [section, strings]);
  const { byPath, maxAbs } = useMemo(() => indexByPath(root), [root]);
  const dark = useColorScheme() === 'dark';
  const unit = section.sampleType.unit;
  const result = useMemo<FlameResult>(
    () => ({ sampleType: section.sampleType, sampleIndex: section.sampleIndex, total: section.targetTotal, root, nodeCount: section.flame.nodeCount, hiddenFrames: section.flame.hiddenFrames }),
    [section, root],
  );
  const [search, setSearch] = useState<FlameSearch>({ text: '', mode: 'substring' });
  const height = useMemo(() => flameHeight(section.flame.parent), [section]);
  const frameColor = useCallback((path: readonly string[]) => {
    const n = byPath.get(pathKey(path));
    return n ? deltaColor(n.delta, maxAbs, dark) : undefined;
  }, [byPath, maxAbs, dark]);
  const frameDetails = useCallback(
    (path: readonly string[], _node: ChartNode): TooltipLine[] => {
      const n = byPath.get(pathKey(path));
      if (!n) return [];
      return [
        { label: 'Base', value: `${formatValue(n.base, unit)} (${formatPercent(n.base, section.baseTotal)})` },
        { label: 'Change', value: `${signedValue(n.delta, unit)}${n.base ? ` (${n.delta >= 0 ? '+' : ''}${((100 * n.delta) / Math.abs(n.base)).toFixed(1)}%)` : ''}`, kind: 'strong' },
        ...(n.status !== 'both' ? [{ label: 'Status', value: n.status === 'new' ? 'only in the target' : 'only in the base', kind: 'muted' as const }] : []),
      ];
    },
    [byPath, unit, section.baseTotal],
  );
  return (
    <div className="report-diff">
      <div className="diff-legend" data-testid="diff-legend">
        <div className="diff-legend__scale" aria-hidden="true">
          <span className="diff-legend__bar" />
        </div>
        <div className="diff-legend__ticks">
          <span>{signedValue(-maxAbs, unit)} (shrank)</span>
          <span>no change</span>
          <span>{signedValue(maxAbs, unit)} (grew)</span>
        </div>
        <p>
          Width: <strong>{section.target}</strong> (the target). Colour: the change of each frame's total since <strong>{section.base}</strong> (the base), red for growth,
          blue for shrinkage, full colour at ±{formatValue(maxAbs, unit)}, the largest change of a frame. Frames only in the base have no width here: they are in the side-by-side pair
          and the delta table. Grey boxes are frames merged by pruning.
        </p>
      </div>
      <div className="report-flame" style={{ height }}>
        <FlameGraph result={result} search={search} onSearchChange={setSearch} minFraction={section.flame.minFraction} frameColor={frameColor} frameDetails={frameDetails} />
      </div>
    </div>
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

interface DeltaRow {
  name: string;
  flat: number;
  cum: number;
  baseFlat: number;
  baseCum: number;
  status: 'new' | 'gone' | 'both';
}

function DeltaTable({ section, strings }: { section: Section; strings: readonly string[] }) {
  const d = section.delta;
  const unit = section.sampleType.unit;
  const rows = useMemo<DeltaRow[]>(
    () =>
      d.name.map((n, i) => ({
        name: strings[n] ?? '?',
        flat: d.flat[i] ?? 0,
        cum: d.cum[i] ?? 0,
        baseFlat: d.baseFlat[i] ?? 0,
        baseCum: d.baseCum[i] ?? 0,
        status: STATUS_OF_CHAR[d.status[i] ?? 'b'] ?? 'both',
      })),
    [d, strings],
  );
  const columns = useMemo<Array<Column<DeltaRow>>>(
    () => [
      { id: 'flat', header: 'Δ flat', numeric: true, value: (r) => r.flat, render: (r) => signedValue(r.flat, unit), title: (r) => String(r.flat) },
      { id: 'flatPct', header: 'Δ flat%', numeric: true, value: (r) => r.flat, render: (r) => formatPercent(r.flat, section.total) },
      { id: 'cum', header: 'Δ cum', numeric: true, value: (r) => r.cum, render: (r) => signedValue(r.cum, unit), title: (r) => String(r.cum) },
      { id: 'baseFlat', header: 'Base flat', numeric: true, value: (r) => r.baseFlat, render: (r) => formatValue(r.baseFlat, unit) },
      { id: 'targetFlat', header: 'Target flat', numeric: true, value: (r) => r.baseFlat + r.flat, render: (r) => formatValue(r.baseFlat + r.flat, unit) },
      { id: 'status', header: 'Status', value: (r) => r.status, render: (r) => (r.status === 'both' ? '' : <span className={`status-chip status-chip--${r.status}`}>{r.status}</span>) },
      { id: 'name', header: 'Function', value: (r) => r.name, render: (r) => <span className="mono">{r.name}</span>, title: (r) => r.name },
    ],
    [unit, section.total],
  );
  const omitted = d.totalRows - d.name.length;
  return (
    <>
      <Table
        rows={rows}
        columns={columns}
        label="Delta table"
        testId="delta-table"
        rowTestId="delta-row"
        filterText={(r) => r.name}
        pageSize={50}
        empty="No function changed."
        rowClass={(r) => (r.flat > 0 || r.cum > 0 ? 'is-up' : r.flat < 0 || r.cum < 0 ? 'is-down' : undefined)}
      />
      {omitted > 0 ? (
        <p className="report-note">
          The delta table keeps the {d.name.length.toLocaleString()} biggest changes of {d.totalRows.toLocaleString()} (by |Δ flat| or |Δ cum|).
        </p>
      ) : null}
    </>
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
      <table className="rtable-static" aria-label="Per-function values over the series">
        <thead>
          <tr>
            <th scope="col">Function</th>
            {section.series.map((s, i) => (
              <th key={i} scope="col" className="num">
                {s}
              </th>
            ))}
            <th scope="col" className="num">
              Growth
            </th>
            <th scope="col">Trend</th>
          </tr>
        </thead>
        <tbody>
          {g.rows.map((r, i) => (
            <tr key={i}>
              <td className="mono">{strings[r.name] ?? '?'}</td>
              {r.values.map((v, j) => (
                <td key={j} className="num">
                  {formatValue(v, unit)}
                </td>
              ))}
              <td className="num">
                {signedValue(r.growth, unit)}
                {r.monotonic ? <span className="text-muted"> (never down)</span> : null}
              </td>
              <td>
                <Sparkline values={r.values} label={`trend of ${strings[r.name] ?? '?'}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
      <DiffFlame section={section} strings={strings} />
      <h3>Side by side</h3>
      <SideBySide section={section} strings={strings} />
      <h3>Delta table</h3>
      <DeltaTable section={section} strings={strings} />
      <Growth section={section} strings={strings} />
    </>
  );
}
