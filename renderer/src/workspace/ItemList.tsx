import { useEffect, useRef } from 'react';
import type { LoadedItem } from '../../../shared/api/types';
import { formatSize, formatTimeNanos, formatValue } from '../lib/format';

const KIND_LABEL: Record<string, string> = {
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
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

export interface ItemListProps {
  items: LoadedItem[];
  selected: string | null;
  onSelect(handle: string): void;
  onClose(handle: string): void;
}

export function ItemList({ items, selected, onSelect, onClose }: ItemListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  // Bring the selected item into view (e.g. a file just opened lands at the bottom of the list).
  useEffect(() => {
    if (!selected) return;
    const row = listRef.current?.querySelector(`[data-handle="${CSS.escape(selected)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selected, items.length]);
  return (
    <ul ref={listRef} className="item-list" data-testid="item-list" aria-label="Loaded items">
      {items.map((item) => {
        const totals = itemTotals(item);
        const kind = item.kind === 'heapdump' ? 'heap dump' : KIND_LABEL[item.profileKind] ?? item.profileKind;
        const when = formatTimeNanos(item.timeNanos);
        const isSel = item.handle === selected;
        return (
          <li key={item.handle} className={`item-row${isSel ? ' is-selected' : ''}`} data-testid="item-row" data-handle={item.handle}>
            <button
              type="button"
              className="item-row__main"
              onClick={() => onSelect(item.handle)}
              aria-current={isSel ? 'true' : undefined}
              aria-label={`${item.name}, ${kind} ${item.kind === 'heapdump' ? '' : 'profile'}`}
            >
              <span className="item-row__head">
                <span className={`kind-badge kind-badge--${item.kind === 'heapdump' ? 'heapdump' : item.profileKind}`}>{kind}</span>
                <span className="item-row__name" title={item.name}>
                  {item.name}
                </span>
              </span>
              <span className="item-row__totals" title={totals.map((t) => `${t.type}: ${t.text}`).join('\n')}>
                {totals.slice(0, 2).map((t) => (
                  <span key={t.type} className={t.isDefault ? 'is-default' : undefined}>
                    <span className="text-muted">{t.type}</span> {t.text}
                  </span>
                ))}
              </span>
              <span className="item-row__meta text-muted">
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
            <button type="button" className="icon-button item-row__close" onClick={() => onClose(item.handle)} aria-label={`Close ${item.name}`} title="Close">
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
