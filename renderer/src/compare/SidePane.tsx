/**
 * One side of the "Side by side" tab: a profile's flame graph with the shared search, zoom (by
 * frame path) and icicle, headed by its letter, name, total and (for B) the change from A.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { FlameResult, Granularity, LoadedItem, ValueType } from '../../../shared/api/types';
import { FlameGraph, type FlameView } from '../flame/FlameGraph';
import { formatValue } from '../lib/format';
import type { toProfileFilters } from '../profile/settings';
import { MIN_FRACTION } from '../profile/viewControls';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { Delta } from './Delta';

/** What both comparison bodies get from the view: the query and the shared flame state. */
export interface SharedFlameProps {
  client: ApiClient;
  type: ValueType;
  granularity: Granularity;
  filters: ReturnType<typeof toProfileFilters>;
  view: FlameView;
}

export interface ComparePaneProps extends SharedFlameProps {
  item: LoadedItem;
  letter: 'A' | 'B';
  onTotal(handle: string, total: number): void;
  otherTotal: number | undefined;
}

export function ComparePane({ client, item, letter, type, granularity, filters, view, onTotal, otherTotal }: ComparePaneProps) {
  const call = useApiCall();
  const [flame, setFlame] = useState<FlameResult | null>(null);
  const load = useCallback(() => {
    void call
      .run(`Building flame graph (${letter}: ${item.name})`, (o) =>
        client.flameGraph({ handle: item.handle, sampleIndex: type.type, granularity, ...(filters ? { filters } : {}), minFraction: MIN_FRACTION }, o),
      )
      .then((r) => {
        if (!r) return;
        setFlame(r);
        onTotal(item.handle, r.total);
      });
  }, [client, item.handle, item.name, letter, type.type, granularity, filters, call.run, onTotal]);
  useEffect(load, [load]);

  const heading = (
    <div className="compare-pane__heading">
      <span className={`compare-letter compare-letter--${letter.toLowerCase()}`} aria-hidden="true">
        {letter}
      </span>
      <span className="compare-pane__name" title={item.name}>
        {item.name}
      </span>
      {flame ? (
        <span className="compare-pane__total text-muted">
          {formatValue(flame.total, flame.sampleType.unit)}
          {otherTotal !== undefined ? (
            <>
              {' '}
              <Delta value={flame.total - otherTotal} base={otherTotal} unit={flame.sampleType.unit} />
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );

  return (
    <div className="panel-slot compare-pane" data-testid={`compare-${letter.toLowerCase()}`} data-handle={item.handle} aria-label={`${letter}: ${item.name}`} role="region">
      {call.error ? <ErrorBanner title={`Flame graph ${letter}`} error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      <FlameGraph
        result={flame}
        loading={call.busy}
        stale={!!call.error}
        {...view}
        minFraction={MIN_FRACTION}
        toolbar="compact"
        heading={heading}
      />
    </div>
  );
}
