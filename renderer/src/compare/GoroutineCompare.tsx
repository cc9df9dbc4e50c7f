/**
 * Goroutines of two snapshots (compareGoroutines): goroutine profiles (proto, debug=1), debug=2
 * dumps, or heap dumps. By stack (states merged), and by state / wait reason when both sides know
 * them; a stack's detail lists its frames and its change per state. Stacks, states and function
 * names come from the files: rendered as text.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import type { GoroutineComparison, GoroutineStackDelta, GoroutineStateDelta } from '../../../shared/compare/types';
import type { ColumnHelper } from '@tanstack/react-table';
import { gridHelper, maxAbs, numberColumn, textColumn, type GridFeatures } from '../grid/columns';
import { formatCount, plural } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { deltaClass, deltaColumn, PresenceTag, signedCount } from './Delta';
import { DeltaGrid } from './DeltaGrid';
import { Check } from '../controls/Check';

export interface GoroutineFocus {
  function?: string;
  state?: string;
}

const hs = gridHelper<GoroutineStackDelta>();
const hst = gridHelper<GoroutineStateDelta>();

/** Goroutines in the base, in the target, and the change. */
function countDeltaColumns<T extends { base: number; target: number; delta: number }>(h: ColumnHelper<GridFeatures, T>, max: number) {
  return [
    numberColumn(h, 'base', 'Base', (r) => r.base, formatCount),
    numberColumn(h, 'target', 'Target', (r) => r.target, formatCount),
    deltaColumn(h, 'delta', 'Δ', (r) => r.delta, { max, format: signedCount }),
  ];
}

export interface GoroutineCompareProps {
  client: ApiClient;
  a: LoadedItem;
  b: LoadedItem;
  focus?: GoroutineFocus | undefined;
}

export function GoroutineCompare({ client, a, b, focus }: GoroutineCompareProps) {
  const call = useApiCall();
  const [res, setRes] = useState<GoroutineComparison | null>(null);
  const load = useCallback(() => {
    void call.run(`Comparing goroutines (${a.name} → ${b.name})`, (o) => client.compareGoroutines({ base: a.handle, target: b.handle }, o)).then((r) => r && setRes(r));
  }, [client, a.handle, b.handle, a.name, b.name, call.run]);
  useEffect(load, [load]);

  const [stackKey, setStackKey] = useState<string | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [hideUnchanged, setHideUnchanged] = useState(false);

  // A finding's focus: the first stack of that function (and its state).
  const focusKey = focus ? `${focus.function ?? ''}\n${focus.state ?? ''}` : '';
  useEffect(() => {
    if (!res || !focus) return;
    if (focus.state && res.byState?.some((s) => s.state === focus.state)) setState(focus.state);
    if (focus.function) {
      const s = res.byStack.find((r) => r.function === focus.function && (!focus.state || r.states.includes(focus.state))) ?? res.byStack.find((r) => r.function === focus.function);
      if (s) setStackKey(s.key);
    }
  }, [res, focusKey]);

  const stacks = useMemo(() => {
    let rows = res?.byStack ?? [];
    if (state && res?.byStackAndState) {
      const keys = new Set(res.byStackAndState.filter((r) => r.state === state).map((r) => r.key));
      rows = rows.filter((r) => keys.has(r.key));
    }
    if (hideUnchanged) rows = rows.filter((r) => r.delta !== 0);
    return rows;
  }, [res, state, hideUnchanged]);
  const maxStack = useMemo(() => maxAbs(stacks, (r) => r.delta), [stacks]);
  const maxState = useMemo(() => maxAbs(res?.byState ?? [], (r) => r.delta), [res]);
  const selected = res?.byStack.find((r) => r.key === stackKey) ?? null;
  const selectedStates = useMemo(() => (selected && res?.byStackAndState ? res.byStackAndState.filter((r) => r.key === selected.key) : []), [selected, res]);

  const stackColumns = useMemo(
    () =>
      hs.columns([
        textColumn(hs, 'function', 'Stack (innermost user function)', (r) => r.function, (_v, r) => (
          <span className="gr-stack" title={r.stack.join('\n')}>
            <PresenceTag status={r.status} />
            <span className="mono gr-stack__fn">{r.function}</span>
            <span className="gr-stack__more text-muted">{r.stack.length > 1 ? ` +${r.stack.length - 1} frames` : ''}</span>
          </span>
        )),
        textColumn(hs, 'states', 'State', (r) => r.states.join(', '), (v, r) => (
          <span className="gr-states" title={v}>
            {r.states.map((s) => (
              <span key={s} className="state-chip">
                {s}
              </span>
            ))}
          </span>
        )),
        ...countDeltaColumns(hs, maxStack),
      ]),
    [maxStack],
  );

  const stateColumns = useMemo(
    () =>
      hst.columns([
        textColumn(hst, 'state', 'State / wait reason', (r) => r.state, (v) => <span className="state-chip">{v}</span>),
        ...countDeltaColumns(hst, maxState),
      ]),
    [maxState],
  );

  return (
    <div className="gr-compare" data-testid="goroutine-compare">
      {call.error ? <ErrorBanner title="Goroutine comparison" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <div className="diff-stats">
        <Stat label="Base" value={res ? formatCount(res.base.total) : '…'} sub={plural(res?.base.total ?? 0, 'goroutine')} name={a.name} testId="gr-stat-base" />
        <Stat label="Target" value={res ? formatCount(res.target.total) : '…'} sub={plural(res?.target.total ?? 0, 'goroutine')} name={b.name} testId="gr-stat-target" />
        <div className="stat" data-testid="gr-stat-delta">
          <div className="stat__label">Change</div>
          <div className="stat__value">{res ? <span className={deltaClass(res.delta)}>{signedCount(res.delta)}</span> : '…'}</div>
          <div className="stat__sub">
            {res ? `${res.byStack.filter((s) => s.status === 'new').length} new, ${res.byStack.filter((s) => s.status === 'gone').length} gone stacks` : ''}
          </div>
        </div>
        <div className="stat">
          <div className="stat__label">Wait reasons</div>
          <div className="stat__value">{res ? (res.byState ? 'known' : 'unknown') : '…'}</div>
          <div className="stat__sub" title="Proto and debug=1 goroutine profiles record stacks only; debug=2 dumps and heap dumps have states">
            {res ? (res.byState ? `${res.byState.length} states` : 'one side has stacks only') : ''}
          </div>
        </div>
      </div>
      <div className={`gr-body${res?.byState ? '' : ' gr-body--single'}`}>
        <section className="panel gr-panel" aria-label="Goroutines by stack">
          <div className="panel__toolbar">
            <span className="panel__title">By stack</span>
            <span className="text-muted top-count">{res ? plural(stacks.length, 'stack') : ''}</span>
            {state ? (
              <span className="chip chip--state" data-testid="gr-state-filter">
                <span className="chip__kind">state</span>
                <span className="chip__value">{state}</span>
                <button type="button" className="chip__remove" aria-label="Show every state" onClick={() => setState(null)}>
                  ×
                </button>
              </span>
            ) : null}
            <div className="toolbar-spacer" />
            <Check checked={hideUnchanged} onChange={setHideUnchanged} label="Changed only" />
          </div>
          <DeltaGrid<GoroutineStackDelta>
            columns={stackColumns}
            rows={stacks}
            rowKey={(r) => r.key}
            template="minmax(220px, 1fr) minmax(110px, 0.45fr) 64px 64px 90px"
            names={['Goroutines by stack', 'gr-stack-table', 'gr-stack-row']}
            selected={stackKey}
            onSelect={setStackKey}
            loading={call.busy && !res}
            empty="No goroutines."
            attrs={(r) => ({ 'data-function': r.function })}
            status={(r) => r.status}
            delta={(r) => r.delta}
          />
          {selected ? (
            <div className="gr-detail" data-testid="gr-stack-detail">
              <div className="gr-detail__head">
                <PresenceTag status={selected.status} />
                <span className="mono gr-detail__fn">{selected.function}</span>
                <span className="text-muted">
                  {formatCount(selected.base)} → {formatCount(selected.target)}
                </span>
                <span className={deltaClass(selected.delta)}>{signedCount(selected.delta)}</span>
                {selected.maxWaitMinutes !== null ? <span className="text-muted">· waiting up to {selected.maxWaitMinutes < 1 ? '<1' : Math.round(selected.maxWaitMinutes)} min</span> : null}
              </div>
              {selectedStates.length ? (
                <div className="gr-detail__states">
                  {selectedStates.map((s) => (
                    <span key={s.state} className="state-chip">
                      {s.state}: {formatCount(s.base)} → {formatCount(s.target)} <span className={deltaClass(s.delta)}>{signedCount(s.delta)}</span>
                    </span>
                  ))}
                </div>
              ) : null}
              <ol className="stack gr-detail__stack">
                {selected.stack.map((f, i) => (
                  <li key={i} className={`stack__frame${f === selected.function ? ' is-named' : ''}`}>
                    <span className="mono stack__func">{f}</span>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </section>
        {res?.byState ? (
          <section className="panel gr-panel" aria-label="Goroutines by state">
            <div className="panel__toolbar">
              <span className="panel__title">By state</span>
              <span className="text-muted top-count">select one to filter the stacks</span>
            </div>
            <DeltaGrid<GoroutineStateDelta>
              columns={stateColumns}
              rows={res.byState}
              rowKey={(r) => r.state}
              template="minmax(130px, 1fr) 60px 60px 84px"
              names={['Goroutines by state', 'gr-state-table', 'gr-state-row']}
              selected={state}
              onSelect={(s) => setState(s === state ? null : s)}
              attrs={(r) => ({ 'data-state': r.state })}
              delta={(r) => r.delta}
            />
          </section>
        ) : null}
      </div>
    </div>
  );
}

function Stat({ label, value, sub, name, testId }: { label: string; value: string; sub: string; name: string; testId: string }) {
  return (
    <div className="stat" data-testid={testId} title={name}>
      <div className="stat__label">
        {label} · <span className="stat__name">{name}</span>
      </div>
      <div className="stat__value">{value}</div>
      <div className="stat__sub">{sub}</div>
    </div>
  );
}
