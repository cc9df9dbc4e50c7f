import { useEffect, useRef } from 'react';
import type { LoadedItem, ProfileKind } from '../../../shared/api/types';
import { isSeries, pairKind, seriesOrder } from '../compare/pairs';
import { formatSize, formatTimeNanos, formatValue } from '../lib/format';
import { useLocalTimesReady } from '../lib/useLocalTimes';

/** Every ProfileKind has a label (the type makes a new kind fail to compile until it gets one). */
const KIND_LABEL: Record<ProfileKind, string> = {
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
  goroutineleak: 'leaked goroutines',
  threadcreate: 'threadcreate',
  cpu: 'cpu',
  mutex: 'mutex',
  block: 'block',
  reference: 'reference',
  unknown: 'profile',
};

/** Totals in human units: the default sample type first, then its sibling (inuse_space → inuse_objects). */
export function itemTotals(item: LoadedItem): Array<{ type: string; text: string; isDefault: boolean }> {
  const out = item.sampleTypes.map((t, i) => ({ type: t.type, text: formatValue(item.totals[i] ?? 0, t.unit), isDefault: i === item.defaultSampleIndex }));
  const def = out.find((t) => t.isDefault);
  const prefix = def && def.type.includes('_') ? def.type.slice(0, def.type.indexOf('_') + 1) : null;
  const rank = (t: (typeof out)[number]) => (t.isDefault ? 0 : prefix && t.type.startsWith(prefix) ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Long paths keep their tail (the file name), which is what tells items apart. */
export function shortSource(source: string, max = 44): string {
  if (source === 'demo') return 'demo investigation';
  return source.length > max ? `…${source.slice(source.length - max + 1)}` : source;
}

/** Two profiles can be compared side by side (heap dumps have their own view). */
export function canCompare(item: LoadedItem | undefined): boolean {
  return !!item && item.kind === 'profile';
}

/** Whether two profiles measure something in common (the compare button is offered only then). */
export function shareSampleType(a: LoadedItem, b: LoadedItem): boolean {
  return a.sampleTypes.some((t) => b.sampleTypes.some((u) => u.type === t.type && u.unit === t.unit));
}

export interface ItemListProps {
  items: LoadedItem[];
  /** One handle: that item is viewed. Two: they are compared (A, B). Three or more of one kind: a series (1, 2, 3…). */
  selected: string[];
  /** `add`: Ctrl/Cmd/Shift-click or the compare button (pick a second item to compare, a third… for a series). */
  onSelect(handle: string, add: boolean): void;
  onClose(handle: string): void;
}

export function ItemList({ items, selected, onSelect, onClose }: ItemListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  // Capture times appear once the page is idle on a fresh page (the first date format loads locale data).
  const timesReady = useLocalTimesReady();
  const last = selected[selected.length - 1];
  // Bring the selected item into view (e.g. a file just opened lands at the bottom of the list).
  useEffect(() => {
    if (!last) return;
    const row = listRef.current?.querySelector(`[data-handle="${CSS.escape(last)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [last, items.length]);
  const selItems = selected.map((h) => items.find((i) => i.handle === h)).filter((i): i is LoadedItem => !!i);
  const comparing = selItems.length === 2 && pairKind(selItems[0], selItems[1]) !== null;
  const series = isSeries(selItems) ? seriesOrder(selItems).map((i) => i.handle) : null;
  const single = selItems.length === 1 ? selItems[0] : undefined;
  const offer = (item: LoadedItem): 'compare' | 'series' | null => {
    if (single) {
      const k = pairKind(single, item);
      return k && (k !== 'profiles' || shareSampleType(single, item)) ? 'compare' : null;
    }
    return selItems.length >= 2 && isSeries([...selItems, item]) ? 'series' : null;
  };
  return (
    <ul ref={listRef} className="item-list" data-testid="item-list" aria-label="Loaded items">
      {items.map((item) => {
        const totals = itemTotals(item);
        const kind = item.kind === 'heapdump' ? 'heap dump' : item.kind === 'gctrace' ? 'gctrace' : KIND_LABEL[item.profileKind] ?? item.profileKind;
        const when = timesReady ? formatTimeNanos(item.timeNanos) : '';
        const pos = selected.indexOf(item.handle);
        const isSel = pos >= 0;
        const letter = comparing && isSel ? (pos === 0 ? 'A' : 'B') : null;
        const seriesN = series && isSel ? series.indexOf(item.handle) + 1 : 0;
        const offered = isSel ? null : offer(item);
        const offerCompare = !!offered;
        return (
          <li
            key={item.handle}
            className={`item-row${isSel ? ' is-selected' : ''}${offerCompare ? ' has-compare' : ''}`}
            data-testid="item-row"
            data-handle={item.handle}
            data-compare={letter ?? undefined}
            data-series={seriesN ? String(seriesN) : undefined}
          >
            <button
              type="button"
              className="item-row__main"
              onClick={(e) => onSelect(item.handle, e.ctrlKey || e.metaKey || e.shiftKey)}
              aria-current={isSel ? 'true' : undefined}
              aria-label={`${item.name}, ${kind} ${item.kind === 'heapdump' ? '' : item.kind === 'gctrace' ? 'log' : 'profile'}${letter ? `, compared as ${letter}` : seriesN ? `, snapshot ${seriesN} of the series` : ''}`}
            >
              <span className="item-row__head">
                {letter ? (
                  <span className={`compare-letter compare-letter--${letter.toLowerCase()}`} aria-hidden="true">
                    {letter}
                  </span>
                ) : seriesN ? (
                  <span className="compare-letter compare-letter--series" aria-hidden="true">
                    {seriesN}
                  </span>
                ) : null}
                <span className={`kind-badge kind-badge--${item.kind === 'profile' ? item.profileKind : item.kind}`}>{kind}</span>
                <span className="item-row__name" title={item.name}>
                  {item.name}
                </span>
              </span>
              <span className="item-row__totals wrap-row" title={totals.map((t) => `${t.type}: ${t.text}`).join('\n')}>
                {totals.slice(0, 2).map((t) => (
                  <span key={t.type} className={t.isDefault ? 'is-default' : undefined}>
                    <span className="text-muted">{t.type}</span> {t.text}
                  </span>
                ))}
              </span>
              <span className="item-row__meta dot-list text-muted">
                <span>{item.format}</span>
                <span>{formatSize(item.sizeBytes)}</span>
                {when ? <span>{when}</span> : null}
              </span>
              <span className="item-row__source text-muted" title={item.source}>
                {shortSource(item.source)}
              </span>
              {item.warnings.length ? (
                <span className="item-row__warn" title={item.warnings.join('\n')}>
                  ⚠ {item.warnings.length === 1 ? item.warnings[0] : `${item.warnings.length} warnings`}
                </span>
              ) : null}
            </button>
            {offerCompare ? (
              <button
                type="button"
                className="icon-button item-row__compare"
                onClick={() => onSelect(item.handle, true)}
                aria-label={offered === 'series' ? `Add ${item.name} to the series` : `Compare ${single!.name} with ${item.name}`}
                title={offered === 'series' ? 'Add to the series (or Ctrl-click)' : `Compare with ${single!.name} (or Ctrl-click)`}
                data-testid="item-compare"
              >
                <svg viewBox="0 0 16 16" aria-hidden="true">
                  <path d="M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
              </button>
            ) : null}
            <button type="button" className="icon-button item-row__close" onClick={() => onClose(item.handle)} aria-label={`Close ${item.name}`} title="Close">
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
