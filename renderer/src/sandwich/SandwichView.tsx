/**
 * The sandwich view of one function (speedscope's sandwich, pprof's peek as graphs): its callers as
 * a flame graph growing upwards from the function (the callers' callers above), and its callees as
 * an icicle hanging below it. Both trees carry the function's total (every sample with the
 * function on the stack). From the engine's pivot tree (shared/profile/analysis/flame.ts:
 * root.children = [callers, callees]). In a comparison both are differential graphs (deltas,
 * coloured by change) from compareFlame with the same pivot.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { FlameResult, Granularity, ProfileFilters } from '../../../shared/api/types';
import type { DiffFlameResult } from '../../../shared/compare/types';
import { DiffFlame } from '../compare/DiffFlame';
import { FlameGraph, type FlameSearch } from '../flame/FlameGraph';
import { formatValue } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { MIN_FRACTION } from '../profile/viewControls';
import { useApiCall } from '../status/tasks';

export interface SandwichTarget {
  handle: string;
  fn: string;
  sampleIndex?: number | string;
  granularity?: Granularity;
  filters?: ProfileFilters | undefined;
  /** A comparison: `handle` is the target, this the base. */
  base?: string;
  baseName?: string;
  targetName?: string;
}

/** The callers (0) or callees (1) half of a pivot tree, as a tree of its own. */
function half<T extends { root: { children: Array<{ name: string }> } }>(r: T, which: 0 | 1): T {
  const c = r.root.children[which];
  return { ...r, root: { ...r.root, children: c ? [c] : [] } };
}

export function SandwichView({ client, target }: { client: ApiClient; target: SandwichTarget }) {
  const call = useApiCall();
  const [flame, setFlame] = useState<FlameResult | null>(null);
  const [diff, setDiff] = useState<DiffFlameResult | null>(null);
  const [search, setSearch] = useState<FlameSearch>({ text: target.fn, mode: 'exact' });
  const [zoomUp, setZoomUp] = useState<string[] | null>(null);
  const [zoomDown, setZoomDown] = useState<string[] | null>(null);
  useEffect(() => setSearch({ text: target.fn, mode: 'exact' }), [target.fn]);

  const load = useCallback(() => {
    const q = {
      pivot: target.fn,
      minFraction: MIN_FRACTION,
      ...(target.sampleIndex !== undefined ? { sampleIndex: target.sampleIndex } : {}),
      ...(target.granularity ? { granularity: target.granularity } : {}),
      ...(target.filters ? { filters: target.filters } : {}),
    };
    if (target.base) {
      const base = target.base;
      void call.run('Callers and callees', (o) => client.compareFlame({ base, target: target.handle, ...q }, o)).then((r) => {
        if (r) setDiff(r);
      });
    } else {
      void call.run('Callers and callees', (o) => client.flameGraph({ handle: target.handle, ...q }, o)).then((r) => {
        if (r) setFlame(r);
      });
    }
  }, [client, target.handle, target.base, target.fn, target.sampleIndex, target.granularity, target.filters, call.run]);
  useEffect(load, [load]);

  const callers = useMemo(() => (flame ? half(flame, 0) : null), [flame]);
  const callees = useMemo(() => (flame ? half(flame, 1) : null), [flame]);
  const dCallers = useMemo(() => (diff ? half(diff, 0) : null), [diff]);
  const dCallees = useMemo(() => (diff ? half(diff, 1) : null), [diff]);
  const unit = (target.base ? diff?.sampleType.unit : flame?.sampleType.unit) ?? '';
  const total = target.base ? (diff ? diff.root.delta : 0) : (flame?.root.value ?? 0);
  const empty = target.base ? diff !== null && diff.root.children.length === 0 : flame !== null && flame.root.children.length === 0;

  // Callers are drawn upright (the function at the bottom), callees inverted (the function on top).
  const halfView = (inverted: boolean) => (
    <SandwichHalf
      testId={inverted ? 'sandwich-callees' : 'sandwich-callers'}
      label={inverted ? 'Callees (the function at the top, what it calls below)' : 'Callers (the function at the bottom, who calls it above)'}
      flame={inverted ? callees : callers}
      diff={target.base ? (inverted ? dCallees : dCallers) : undefined}
      target={target}
      loading={call.busy}
      search={search}
      onSearchChange={setSearch}
      zoomPath={inverted ? zoomDown : zoomUp}
      onZoomChange={inverted ? setZoomDown : setZoomUp}
      inverted={inverted}
    />
  );

  return (
    <section className="sandwich-view" data-testid="sandwich-view" data-delta={target.base ? '1' : undefined} aria-label={`Callers and callees of ${target.fn}`}>
      <div className="source-panel__head">
        <strong>Callers &amp; callees</strong>
        {flame || diff ? (
          <span className="text-muted" data-testid="sandwich-total">
            {target.base ? 'Δ ' : ''}
            {formatValue(total, unit)} with {target.fn} on the stack
          </span>
        ) : null}
      </div>
      {call.error ? <ErrorBanner title="Callers and callees" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      {empty ? <div className="source-panel__empty">{target.fn} is on no stack here.</div> : null}
      {halfView(false)}
      {halfView(true)}
    </section>
  );
}

interface SandwichHalfProps {
  testId: string;
  label: string;
  flame: FlameResult | null;
  /** A comparison's half (undefined: not a comparison). */
  diff: DiffFlameResult | null | undefined;
  target: SandwichTarget;
  loading: boolean;
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  /** A comparison's half keeps its zoom here (a profile's half zooms on its own). */
  zoomPath: string[] | null;
  onZoomChange(p: string[] | null): void;
  /** Callees hang down as an icicle. */
  inverted: boolean;
}

/** The callers' or the callees' graph: a flame graph, or a differential one in a comparison. */
function SandwichHalf({ testId, label, flame, diff, target, ...view }: SandwichHalfProps) {
  return (
    <div className="sandwich-view__graph" data-testid={testId}>
      <span className="sandwich-view__label">{label}</span>
      {diff !== undefined ? (
        <DiffFlame
          diff={diff}
          baseName={target.baseName ?? 'base'}
          targetName={target.targetName ?? 'target'}
          {...view}
          minFraction={MIN_FRACTION}
          onInvertedChange={() => undefined}
        />
      ) : (
        <FlameGraph result={flame} loading={view.loading} search={view.search} onSearchChange={view.onSearchChange} minFraction={MIN_FRACTION} inverted={view.inverted} toolbar="compact" />
      )}
    </div>
  );
}
