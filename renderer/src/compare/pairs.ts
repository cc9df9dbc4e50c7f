/**
 * Which loaded items can be looked at together, and how. Pure functions of LoadedItem.
 *
 * - Two profiles: compared (overlay differential flame graph, delta table, side by side; goroutine
 *   profiles also by stack and wait reason).
 * - Two heap dumps: compared object by object (new / freed / still alive), and their goroutines.
 * - A goroutine profile or dump and a heap dump: their goroutines.
 * - Three or more items of one kind (profiles of one profile kind, or heap dumps): a series.
 */
import type { LoadedItem } from '../../../shared/api/types';

export type PairKind = 'profiles' | 'heapdumps' | 'goroutines';

export function isGoroutineProfile(i: LoadedItem): boolean {
  return i.kind === 'profile' && i.profileKind === 'goroutine';
}

/** How two items are compared, or null when they cannot be. */
export function pairKind(a: LoadedItem | undefined, b: LoadedItem | undefined): PairKind | null {
  if (!a || !b || a.handle === b.handle) return null;
  if (a.kind === 'profile' && b.kind === 'profile') return 'profiles';
  if (a.kind === 'heapdump' && b.kind === 'heapdump') return 'heapdumps';
  if ((isGoroutineProfile(a) && b.kind === 'heapdump') || (a.kind === 'heapdump' && isGoroutineProfile(b))) return 'goroutines';
  return null;
}

/** Items of one series key form a series: "heapdump", or "profile:<profileKind>" (a gctrace log is a series already). */
export function seriesKey(i: LoadedItem): string {
  return i.kind === 'profile' ? `profile:${i.profileKind}` : i.kind;
}

/** Whether all of these (three or more) can be one series. */
export function isSeries(items: readonly LoadedItem[]): boolean {
  if (items.length < 3 || items.some((i) => i.kind === 'gctrace')) return false;
  const k = seriesKey(items[0]!);
  return items.every((i) => seriesKey(i) === k) && new Set(items.map((i) => i.handle)).size === items.length;
}

/** A series in capture order when every item has a distinct time, else in the given order. */
export function seriesOrder(items: readonly LoadedItem[]): LoadedItem[] {
  const times = items.map((i) => (i.timeNanos ? BigInt(i.timeNanos) : null));
  if (times.some((t) => t === null) || new Set(times.map(String)).size !== times.length) return [...items];
  return items
    .map((i, k) => ({ i, t: times[k]! }))
    .sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : 0))
    .map((x) => x.i);
}

/**
 * The next selection after a click. A plain click views one item. An additive click (Ctrl/Cmd/Shift,
 * or a row's compare button) on a selected item drops it; on another item it
 * - extends a selection of two or more of one kind into a series (three or more),
 * - else pairs it with the (first) selected item it can be compared with (that one stays A, the new one is B),
 * - else views it alone.
 */
export function nextSelection(cur: readonly string[], handle: string, add: boolean, items: readonly LoadedItem[]): string[] {
  if (!add) return [handle];
  if (cur.includes(handle)) {
    const rest = cur.filter((h) => h !== handle);
    return rest.length ? rest : [handle];
  }
  const find = (h: string) => items.find((i) => i.handle === h);
  const it = find(handle);
  if (!it) return [handle];
  const sel = cur.map(find).filter((i): i is LoadedItem => !!i);
  if (sel.length >= 2 && isSeries([...sel, it])) return [...sel.map((i) => i.handle), handle];
  const a = sel.find((i) => pairKind(i, it) !== null);
  return a ? [a.handle, handle] : [handle];
}

/** What a selection shows. */
export type SelectionView =
  | { kind: 'none' }
  | { kind: 'single'; item: LoadedItem }
  | { kind: 'pair'; pair: PairKind; a: LoadedItem; b: LoadedItem }
  | { kind: 'series'; items: LoadedItem[] };

export function selectionView(selected: readonly LoadedItem[]): SelectionView {
  if (selected.length === 0) return { kind: 'none' };
  if (selected.length === 1) return { kind: 'single', item: selected[0]! };
  if (selected.length === 2) {
    const p = pairKind(selected[0], selected[1]);
    if (p) return { kind: 'pair', pair: p, a: selected[0]!, b: selected[1]! };
    return { kind: 'single', item: selected[1]! };
  }
  if (isSeries(selected)) return { kind: 'series', items: [...selected] };
  return { kind: 'single', item: selected[selected.length - 1]! };
}
