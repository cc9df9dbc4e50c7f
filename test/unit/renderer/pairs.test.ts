/** What can be compared, series order and the click-selection rule (renderer/src/compare/pairs.ts). */
import { describe, expect, it } from 'vitest';
import { isGoroutineProfile, isSeries, nextSelection, pairKind, selectionView, seriesKey, seriesOrder } from '../../../renderer/src/compare/pairs';
import { gcTraceItem, heapDumpItem, profileItem } from './items';

const heap1 = profileItem('heap-1.pb.gz', 'heap', { timeNanos: '3000' });
const heap2 = profileItem('heap-2.pb.gz', 'heap', { timeNanos: '1000' });
const heap3 = profileItem('heap-3.pb.gz', 'heap', { timeNanos: '2000' });
const cpu = profileItem('cpu.pb.gz', 'cpu');
const gr1 = profileItem('goroutine-1.pb.gz', 'goroutine');
const gr2 = profileItem('goroutine-2.pb.gz', 'goroutine');
const dump1 = heapDumpItem('dump-1');
const dump2 = heapDumpItem('dump-2');
const dump3 = heapDumpItem('dump-3');
const all = [heap1, heap2, heap3, cpu, gr1, gr2, dump1, dump2, dump3];

describe('pairKind', () => {
  it('compares two profiles (even of different kinds: the view says whether they fit)', () => {
    expect(pairKind(heap1, heap2)).toBe('profiles');
    expect(pairKind(heap1, cpu)).toBe('profiles');
    expect(pairKind(gr1, gr2)).toBe('profiles');
  });

  it('compares two heap dumps', () => {
    expect(pairKind(dump1, dump2)).toBe('heapdumps');
  });

  it('pairs a goroutine profile with a heap dump, either way round', () => {
    expect(isGoroutineProfile(gr1)).toBe(true);
    expect(isGoroutineProfile(heap1)).toBe(false);
    expect(isGoroutineProfile(dump1)).toBe(false);
    expect(pairKind(gr1, dump1)).toBe('goroutines');
    expect(pairKind(dump1, gr1)).toBe('goroutines');
  });

  it('refuses a non-goroutine profile with a heap dump, an item with itself, and missing items', () => {
    expect(pairKind(heap1, dump1)).toBeNull();
    expect(pairKind(dump1, cpu)).toBeNull();
    expect(pairKind(heap1, heap1)).toBeNull();
    expect(pairKind(heap1, undefined)).toBeNull();
    expect(pairKind(undefined, heap1)).toBeNull();
  });
});

describe('series', () => {
  it('keys heap dumps together and profiles by profile kind', () => {
    expect(seriesKey(dump1)).toBe('heapdump');
    expect(seriesKey(heap1)).toBe('profile:heap');
    expect(seriesKey(cpu)).toBe('profile:cpu');
    expect(seriesKey(gcTraceItem('gc.log'))).toBe('gctrace');
  });

  it('gctrace logs are no series (each is one already), nor pairs', () => {
    const logs = ['a.log', 'b.log', 'c.log'].map((n) => gcTraceItem(n));
    expect(isSeries(logs)).toBe(false);
    expect(pairKind(logs[0], logs[1])).toBeNull();
    expect(pairKind(logs[0], heap1)).toBeNull();
  });

  it('needs three or more distinct items of one kind', () => {
    expect(isSeries([heap1, heap2, heap3])).toBe(true);
    expect(isSeries([dump1, dump2, dump3])).toBe(true);
    expect(isSeries([heap1, heap2])).toBe(false);
    expect(isSeries([heap1, heap2, cpu])).toBe(false);
    expect(isSeries([dump1, dump2, gr1])).toBe(false);
    expect(isSeries([heap1, heap2, heap1])).toBe(false);
  });

  it('orders by capture time when every item has a distinct time', () => {
    expect(seriesOrder([heap1, heap2, heap3]).map((i) => i.name)).toEqual(['heap-2.pb.gz', 'heap-3.pb.gz', 'heap-1.pb.gz']);
  });

  it('compares times as big integers, not strings', () => {
    const a = profileItem('a', 'heap', { timeNanos: '1700000000000000001' });
    const b = profileItem('b', 'heap', { timeNanos: '1700000000000000000' });
    const c = profileItem('c', 'heap', { timeNanos: '999999999999999999' }); // shorter string, earlier
    expect(seriesOrder([a, b, c]).map((i) => i.name)).toEqual(['c', 'b', 'a']);
  });

  it('keeps the given order when a time is missing or two are equal', () => {
    const noTime = profileItem('x', 'heap');
    expect(seriesOrder([heap1, noTime, heap2])).toEqual([heap1, noTime, heap2]);
    const same = profileItem('y', 'heap', { timeNanos: '3000' });
    expect(seriesOrder([heap1, heap2, same])).toEqual([heap1, heap2, same]);
  });

  it('does not reorder its input array', () => {
    const input = [heap1, heap2, heap3];
    seriesOrder(input);
    expect(input).toEqual([heap1, heap2, heap3]);
  });
});

describe('nextSelection', () => {
  const h = (...items: Array<{ handle: string }>) => items.map((i) => i.handle);

  it('a plain click views one item', () => {
    expect(nextSelection(h(heap1, heap2), dump1.handle, false, all)).toEqual(h(dump1));
  });

  it('an additive click pairs with the first selected item it can be compared with (A stays, new is B)', () => {
    expect(nextSelection(h(heap1), heap2.handle, true, all)).toEqual(h(heap1, heap2));
    expect(nextSelection(h(dump1), gr1.handle, true, all)).toEqual(h(dump1, gr1));
  });

  it('an additive click on something that pairs with nothing selected views it alone', () => {
    expect(nextSelection(h(heap1), dump1.handle, true, all)).toEqual(h(dump1));
  });

  it('a third item of the same kind makes a series', () => {
    expect(nextSelection(h(heap1, heap2), heap3.handle, true, all)).toEqual(h(heap1, heap2, heap3));
    expect(nextSelection(h(dump1, dump2), dump3.handle, true, all)).toEqual(h(dump1, dump2, dump3));
  });

  it('a third item of another kind re-pairs it with the first compatible selected item', () => {
    // heap1 + heap2 selected, cpu added: not a series (profile kinds differ) → paired with heap1
    expect(nextSelection(h(heap1, heap2), cpu.handle, true, all)).toEqual(h(heap1, cpu));
  });

  it('an additive click on a selected item drops it, but never empties the selection', () => {
    expect(nextSelection(h(heap1, heap2, heap3), heap2.handle, true, all)).toEqual(h(heap1, heap3));
    expect(nextSelection(h(heap1), heap1.handle, true, all)).toEqual(h(heap1));
  });

  it('an unknown handle is viewed alone', () => {
    expect(nextSelection(h(heap1), 'nope', true, all)).toEqual(['nope']);
  });

  it('ignores selected handles that are no longer loaded', () => {
    expect(nextSelection(['gone', heap1.handle], heap2.handle, true, all)).toEqual(h(heap1, heap2));
  });
});

describe('selectionView', () => {
  it('none, single, pair, series', () => {
    expect(selectionView([])).toEqual({ kind: 'none' });
    expect(selectionView([heap1])).toEqual({ kind: 'single', item: heap1 });
    expect(selectionView([heap1, heap2])).toEqual({ kind: 'pair', pair: 'profiles', a: heap1, b: heap2 });
    expect(selectionView([gr1, dump1])).toEqual({ kind: 'pair', pair: 'goroutines', a: gr1, b: dump1 });
    expect(selectionView([heap1, heap2, heap3])).toEqual({ kind: 'series', items: [heap1, heap2, heap3] });
  });

  it('falls back to the last item when two cannot be compared or three are mixed', () => {
    expect(selectionView([heap1, dump1])).toEqual({ kind: 'single', item: dump1 });
    expect(selectionView([heap1, heap2, dump1])).toEqual({ kind: 'single', item: dump1 });
  });
});
