/** Goroutines: per snapshot, counts by wait reason and by stack; growth over each family of snapshots. */
import { useMemo } from 'react';
import type { GoroutineGroupRow, GoroutineGrowth, GoroutineSection as Section, GoroutineSnapshotView } from '../../shared/report/model';
import { formatBytes, formatPercent } from '../src/lib/format';
import { GrowthTable } from './Charts';
import { signedCount } from './format';
import { Table, type Column } from './Table';
import { ColumnHeads } from '../src/controls/ColumnHeads';

const SOURCE: Record<GoroutineSnapshotView['source'], string> = { profile: 'goroutine profile', debug2: 'goroutine dump (debug=2)', heapdump: 'heap dump' };

function waitText(m: number | null): string {
  if (m === null) return '';
  return m < 1 ? `${Math.round(m * 60)} s` : `${Math.round(m).toLocaleString()} min`;
}

function Stack({ stack }: { stack: string[] }) {
  return (
    <details className="stack">
      <summary>
        {stack.length} {stack.length === 1 ? 'frame' : 'frames'}
      </summary>
      <ol>
        {stack.map((f, i) => (
          <li key={i} className="mono">
            {f}
          </li>
        ))}
      </ol>
    </details>
  );
}

function Snapshot({ s }: { s: GoroutineSnapshotView }) {
  const hasRetained = s.groups.some((g) => g.retainedBytes !== undefined);
  const hasWait = s.groups.some((g) => g.maxWaitMinutes !== null);
  const columns = useMemo<Array<Column<GoroutineGroupRow>>>(() => {
    const cols: Array<Column<GoroutineGroupRow>> = [
      { id: 'count', header: 'Goroutines', numeric: true, value: (g) => g.count, render: (g) => g.count.toLocaleString() },
      { id: 'share', header: '%', numeric: true, value: (g) => g.count, render: (g) => formatPercent(g.count, s.total) },
      { id: 'state', header: 'State', value: (g) => g.state ?? '', render: (g) => g.state ?? <span className="text-muted">unknown</span> },
      { id: 'function', header: 'Function', value: (g) => g.function, render: (g) => <span className="mono">{g.function}</span>, title: (g) => g.function },
    ];
    if (hasWait) cols.push({ id: 'wait', header: 'Longest wait', numeric: true, value: (g) => g.maxWaitMinutes ?? -1, render: (g) => waitText(g.maxWaitMinutes) });
    if (hasRetained) cols.push({ id: 'retained', header: 'Retains', numeric: true, value: (g) => g.retainedBytes ?? 0, render: (g) => (g.retainedBytes !== undefined ? formatBytes(g.retainedBytes) : '') });
    cols.push({ id: 'createdBy', header: 'Created by', value: (g) => g.createdBy ?? '', render: (g) => (g.createdBy ? <span className="mono">{g.createdBy}</span> : '') });
    cols.push({ id: 'stack', header: 'Stack', value: (g) => g.stack.length, render: (g) => <Stack stack={g.stack} /> });
    return cols;
  }, [s, hasRetained, hasWait]);
  return (
    <div className="report-sub" id={s.id} data-testid="goroutine-snapshot">
      <h3>
        <span className="mono">{s.input}</span> <span className="text-muted">· {SOURCE[s.source]} · {s.total.toLocaleString()} goroutines</span>
      </h3>
      {s.byState.length && (s.hasStates || s.byState.some((x) => x.state !== '(unknown)')) ? (
        <div className="state-bars" data-testid="goroutine-states">
          {s.byState.map((x) => (
            <div key={x.state} className="state-bars__row">
              <span className="state-bars__name">{x.state}</span>
              <span className="state-bars__track">
                <span className="state-bars__bar" style={{ width: `${s.total ? (100 * x.count) / s.total : 0}%` }} />
              </span>
              <span className="num">{x.count.toLocaleString()}</span>
            </div>
          ))}
        </div>
      ) : null}
      <Table rows={s.groups} columns={columns} label={`Goroutines of ${s.input} by stack`} testId="goroutine-groups" rowTestId="goroutine-group" filterText={(g) => `${g.function}\n${g.stack.join('\n')}\n${g.state ?? ''}`} pageSize={30} />
      {s.omittedGroups > 0 ? <p className="report-note">{s.omittedGroups.toLocaleString()} smaller stacks not shown.</p> : null}
    </div>
  );
}

function Growth({ g }: { g: GoroutineGrowth }) {
  return (
    <div className="report-sub" data-testid="goroutine-growth">
      <h3>Growth over the {g.family}</h3>
      <p className="report-meta">
        {g.inputs.join(' → ')}: {g.totals.map((t) => t.toLocaleString()).join(' → ')} goroutines
      </p>
      <GrowthTable
        label={`Goroutines per stack over the ${g.family}`}
        snapshots={g.inputs}
        rows={g.byStack.map((r) => ({ name: r.function, title: r.stack.join('\n'), values: r.values, growth: signedCount(r.growth), className: r.growth > 0 ? 'is-up' : r.growth < 0 ? 'is-down' : undefined }))}
        format={(v) => v.toLocaleString()}
        trendLabel={(name) => `goroutines of ${name}`}
      />
      {g.byState ? (
        <table className="rtable-static" aria-label={`Goroutines per state, ${g.inputs[0]} → ${g.inputs[g.inputs.length - 1]}`}>
          <ColumnHeads columns={['State', { label: 'First', numeric: true }, { label: 'Last', numeric: true }, { label: 'Change', numeric: true }]} />
          <tbody>
            {g.byState.map((r) => (
              <tr key={r.state}>
                <td>{r.state}</td>
                <td className="num">{r.base.toLocaleString()}</td>
                <td className="num">{r.target.toLocaleString()}</td>
                <td className="num">{signedCount(r.delta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function GoroutineSection({ section }: { section: Section }) {
  return (
    <>
      {section.growth.map((g) => (
        <Growth key={g.family} g={g} />
      ))}
      {section.snapshots.map((s) => (
        <Snapshot key={s.id} s={s} />
      ))}
    </>
  );
}
