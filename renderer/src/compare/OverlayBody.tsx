/**
 * The Differential tab's body: the delta table (compareTop) next to the differential flame graph
 * (compareFlame), one call each. A row selected in the table is searched exactly in the graph and
 * opens the function panel (source + callers/callees of the change).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LoadedItem } from '../../../shared/api/types';
import type { CompareMode, DiffFlameResult, DiffTopResult } from '../../../shared/compare/types';
import { formatValue } from '../lib/format';
import { MIN_FRACTION } from '../profile/viewControls';
import { FunctionPanel } from '../sandwich/FunctionPanel';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { DeltaTable } from './DeltaTable';
import { DiffFlame, DiffLegend } from './DiffFlame';
import type { SharedFlameProps } from './SidePane';

export interface OverlayBodyProps extends SharedFlameProps {
  a: LoadedItem;
  b: LoadedItem;
  mode: CompareMode;
  normalize: boolean;
  onTotals(t: { base: number; target: number } | null): void;
}

/** The delta table and the differential flame graph, one call each. */
export function OverlayBody({ client, a, b, type, granularity, filters, mode, normalize, view, onTotals }: OverlayBodyProps) {
  const { search, onSearchChange } = view;
  const topCall = useApiCall();
  const flameCall = useApiCall();
  const [top, setTop] = useState<DiffTopResult | null>(null);
  const [flame, setFlame] = useState<DiffFlameResult | null>(null);
  const query = useMemo(
    () => ({ base: a.handle, target: b.handle, mode, normalize, sampleIndex: type.type, granularity, ...(filters ? { filters } : {}) }),
    [a.handle, b.handle, mode, normalize, type.type, granularity, filters],
  );
  const loadTop = useCallback(() => {
    void topCall.run(`Computing the change per function (${a.name} → ${b.name})`, (o) => client.compareTop(query, o)).then((r) => {
      if (!r) return;
      setTop(r);
      onTotals({ base: r.baseTotal, target: r.targetTotal });
    });
  }, [client, query, a.name, b.name, topCall.run, onTotals]);
  const loadFlame = useCallback(() => {
    void flameCall.run(`Building the differential flame graph (${a.name} → ${b.name})`, (o) => client.compareFlame({ ...query, minFraction: MIN_FRACTION }, o)).then((r) => r && setFlame(r));
  }, [client, query, a.name, b.name, flameCall.run]);
  useEffect(() => {
    loadTop();
    loadFlame();
  }, [loadTop, loadFlame]);
  useEffect(() => () => onTotals(null), [onTotals]);

  const selected = search.mode === 'exact' && search.text ? search.text : null;
  const onSelect = useCallback((name: string | null) => onSearchChange(name ? { text: name, mode: 'exact' } : { text: '', mode: 'substring' }), [onSearchChange]);
  const unit = flame?.sampleType.unit ?? type.unit;

  const heading = (
    <div className="compare-pane__heading" title={flame ? `${a.name}: ${formatValue(flame.baseTotal, unit)} → ${b.name}: ${formatValue(flame.targetTotal, unit)}${normalize ? ' (normalized)' : ''}` : undefined}>
      <span className="compare-letter compare-letter--b" aria-hidden="true">
        B
      </span>
      <span className="text-muted">vs</span>
      <span className="compare-letter compare-letter--a" aria-hidden="true">
        A
      </span>
    </div>
  );

  return (
    <>
    <div className="compare-body compare-body--overlay" data-testid="compare-overlay">
      <div className="panel-slot">
        {topCall.error ? <ErrorBanner title="Delta table" error={topCall.error} onRetry={loadTop} onDismiss={topCall.clearError} /> : null}
        <DeltaTable
          result={top}
          loading={topCall.busy}
          stale={!!topCall.error}
          filtered={!!filters}
          baseName={a.name}
          targetName={b.name}
          selected={selected}
          onSelect={onSelect}
        />
      </div>
      <div className="panel-slot">
        {flameCall.error ? <ErrorBanner title="Differential flame graph" error={flameCall.error} onRetry={loadFlame} onDismiss={flameCall.clearError} /> : null}
        <DiffLegend baseName={a.name} targetName={b.name} baseTotal={flame?.baseTotal ?? top?.baseTotal ?? null} unit={unit} normalize={normalize} mode={mode} />
        <DiffFlame
          diff={flame}
          baseName={a.name}
          targetName={b.name}
          loading={flameCall.busy}
          stale={!!flameCall.error}
          {...view}
          minFraction={MIN_FRACTION}
          heading={heading}
        />
      </div>
    </div>
    {selected ? (
      <FunctionPanel
        key={selected}
        client={client}
        target={{ handle: b.handle, base: a.handle, baseName: a.name, targetName: b.name, fn: selected, sampleIndex: type.type, granularity, filters }}
        onClose={() => onSelect(null)}
      />
    ) : null}
    </>
  );
}
