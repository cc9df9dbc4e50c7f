/**
 * A `GODEBUG=gctrace=1` log: the live heap after every GC (gctrace's third number, "4->5->3 MB")
 * against the next cycle's goal, over the program's time, and every cycle in the one grid. The
 * live heap after GC rising steadily is the classic leak signal; the findings say when it does.
 * gctrace prints whole MiB, rounded down: the view says so.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import { GCTRACE_MB } from '../../../shared/compare/gctrace';
import type { GcCycle, GcTrace } from '../../../shared/compare/types';
import { Chart, xSpan, type ChartSeries } from '../chart/Chart';
import { niceTicks } from '../chart/axes';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper, numberColumn, textColumn, type GridColumn } from '../grid/columns';
import { formatBytes, formatElapsed, formatNumber, plural } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import './gctrace.css';

const PAD = { top: 12, right: 18, bottom: 30, left: 64 };

/** The words above the chart: how many cycles over how long, and the live heap first → last. */
export function gcTraceSummary(t: GcTrace): string {
  const c = t.cycles;
  if (!c.length) return 'No GC cycle could be read.';
  const first = c[0]!;
  const last = c[c.length - 1]!;
  const checks = c.filter((x) => x.leakCheck).length;
  return (
    `${plural(c.length, 'GC')} (gc ${first.gc}–${last.gc}) over ${formatElapsed(last.atSec)}` +
    ` · live heap after GC ${formatBytes(first.liveMB * GCTRACE_MB)} → ${formatBytes(last.liveMB * GCTRACE_MB)}` +
    ` · next goal ${formatBytes(last.goalMB * GCTRACE_MB)}` +
    (checks ? ` · ${plural(checks, 'cycle')} checking for goroutine leaks` : '')
  );
}

function CycleChart({ trace }: { trace: GcTrace }) {
  const c = trace.cycles;
  const x = useMemo(() => c.map((k) => k.atSec), [c]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { key: 'goal', label: 'goal', values: c.map((k) => k.goalMB * GCTRACE_MB), color: '--text-muted', width: 1.2, points: 'none', tone: 'goal' },
      { key: 'live', label: 'live heap after GC', values: c.map((k) => k.liveMB * GCTRACE_MB), color: '--accent', width: 2, fill: '--accent-weak', points: c.length <= 200 ? 'ring' : 'none', tone: 'live' },
    ],
    [c],
  );
  const ticks = niceTicks(Math.max(0, ...c.map((k) => k.goalMB * GCTRACE_MB)), 'bytes');
  const [t0, t1] = xSpan(x);
  const xLabels = x.length > 1 ? [0, 0.5, 1].map((f) => ({ at: t0 + f * (t1 - t0), text: formatElapsed(t0 + f * (t1 - t0)) })) : [];
  const pointText = (s: ChartSeries, i: number) => {
    const k = c[i]!;
    return `gc ${k.gc} at ${formatElapsed(k.atSec)}: ${s.label} ${formatBytes(s.values[i]!)} (${k.heapStartMB}->${k.heapEndMB}->${k.liveMB} MB, goal ${k.goalMB} MB)${k.forced ? ' · forced' : ''}${k.leakCheck ? ' · leak check' : ''}`;
  };
  return (
    <Chart
      x={x}
      series={series}
      height={220}
      pad={PAD}
      xRange={[t0, t1]}
      yRange={[0, ticks[ticks.length - 1]!]}
      yTicks={ticks}
      yFormat={formatBytes}
      xLabels={xLabels}
      pointRadius={2.5}
      pointText={pointText}
      pointTick={(i) => c[i]!.gc}
      empty="no GC cycle read"
      ariaLabel={`Live heap after each GC: ${gcTraceSummary(trace)}`}
      testId="gctrace-chart"
    />
  );
}

const h = gridHelper<GcCycle>();
const mb = (v: number) => formatBytes(v * GCTRACE_MB);
const COLUMNS: GridColumn<GcCycle>[] = [
  numberColumn(h, 'gc', 'GC', (r) => r.gc, (v) => formatNumber(v)),
  numberColumn(h, 'at', 'At', (r) => r.atSec, (v) => formatElapsed(v)),
  numberColumn(h, 'live', 'Live after', (r) => r.liveMB, mb),
  numberColumn(h, 'end', 'Heap at end', (r) => r.heapEndMB, mb),
  numberColumn(h, 'goal', 'Goal', (r) => r.goalMB, mb),
  numberColumn(h, 'cpu', 'GC CPU', (r) => r.cpuPercent, (v) => `${v}%`),
  textColumn(h, 'note', 'Note', (r) => [r.forced ? 'forced' : '', r.leakCheck ? 'leak check' : ''].filter(Boolean).join(', '), (v) => <span className="text-muted">{v}</span>),
  numberColumn(h, 'line', 'Line', (r) => r.line, (v) => formatNumber(v)),
];

export function GcTraceView({ client, item }: { client: ApiClient; item: LoadedItem }) {
  const call = useApiCall();
  const [trace, setTrace] = useState<GcTrace | null>(null);
  const [active, setActive] = useState<string | null>(null);
  useEffect(() => {
    setTrace(null);
    void call.run(`Reading ${item.name}`, (o) => client.gcTrace({ handle: item.handle }, o)).then((r) => r && setTrace(r));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, item.handle]);
  return (
    <div className="gctrace-view" data-testid="gctrace-view">
      <header className="gctrace-view__head">
        <h2>GC trace · {item.name}</h2>
        <p className="text-muted" data-testid="gctrace-summary">
          {trace ? gcTraceSummary(trace) : 'Reading…'}
        </p>
      </header>
      {call.error ? <ErrorBanner error={call.error} onDismiss={call.clearError} /> : null}
      {trace ? (
        <>
          <CycleChart trace={trace} />
          <p className="gctrace-view__note text-muted">
            The live heap after each GC rising steadily is the classic leak signal (the Findings panel says when it does); a heap profile or a heap dump then says what holds it.
            gctrace prints whole MiB, rounded down.
            {trace.skipped ? ` ${plural(trace.skipped, 'line')} that looked like gctrace could not be read.` : ''}
          </p>
          <DataGrid<GcCycle>
            columns={COLUMNS}
            data={trace.cycles}
            getRowId={(r) => String(r.line)}
            template="70px 90px 100px 110px 90px 80px minmax(120px, 1fr) 80px"
            numeric={['gc', 'at', 'live', 'end', 'goal', 'cpu', 'line']}
            ariaLabel="GC cycles"
            testId="gctrace-cycles"
            rowTestId="gctrace-cycle"
            activeId={active}
            onActiveChange={(r) => setActive(String(r.line))}
            sortable
            empty="No GC cycle could be read."
            rowData={(r) => ({ 'data-gc': String(r.gc), 'data-live-mb': String(r.liveMB) })}
          />
        </>
      ) : null}
    </div>
  );
}
