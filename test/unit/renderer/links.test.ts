/** A finding's link → selection (by LoadedItem.name) + what the view focuses (renderer/src/findings/links.ts). */
import { describe, expect, it } from 'vitest';
import { resolveLink } from '../../../renderer/src/findings/links';
import type { FindingLink } from '../../../shared/findings/types';
import { gcTraceItem, heapDumpItem, profileItem } from './items';

const heap1 = profileItem('heap-1.pb.gz', 'heap');
const heap2 = profileItem('heap-2.pb.gz', 'heap');
const heap3 = profileItem('heap-3.pb.gz', 'heap');
const gr1 = profileItem('goroutine-1.pb.gz', 'goroutine');
const gr2 = profileItem('goroutine-2.pb.gz', 'goroutine');
const dump1 = heapDumpItem('dump-1.heap');
const dump2 = heapDumpItem('dump-2.heap');
// Same name as dump-1 but listed later: the first loaded item with the name wins.
const dump1again = heapDumpItem('dump-1.heap');
const items = [heap1, heap2, heap3, gr1, gr2, dump1, dump2, dump1again];

function ok(link: FindingLink) {
  const r = resolveLink(link, items);
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r;
}

describe('resolveLink', () => {
  it('diff → the pair (base, target) on the Differential tab with the function selected', () => {
    const r = ok({ view: 'diff', base: 'heap-1.pb.gz', target: 'heap-3.pb.gz', sampleIndex: 'inuse_space', function: 'main.leak' });
    expect(r.selection).toEqual([heap1.handle, heap3.handle]);
    expect(r.focus).toEqual({ tab: 'overlay', function: 'main.leak', sampleType: 'inuse_space' });
    expect(r.selectFunction).toBe('main.leak');
    expect(r.label).toBe('Open the comparison');
  });

  it('diff without a function selects nothing and leaves empty fields out', () => {
    const r = ok({ view: 'diff', base: 'heap-2.pb.gz', target: 'heap-1.pb.gz', sampleIndex: '', function: '' });
    expect(r.selection).toEqual([heap2.handle, heap1.handle]);
    expect(r.focus).toEqual({ tab: 'overlay' });
    expect('selectFunction' in r).toBe(false);
  });

  it('series of three → the series with the trend, in the link order', () => {
    const r = ok({ view: 'series', files: ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz'], function: 'main.leak', sampleIndex: 'inuse_space' });
    expect(r.selection).toEqual([heap1.handle, heap2.handle, heap3.handle]);
    expect(r.focus).toEqual({ function: 'main.leak', sampleType: 'inuse_space' });
    expect(r.label).toBe('Open the series');
    expect('selectFunction' in r).toBe(false);
  });

  it('series of two → a comparison on the Differential tab', () => {
    const r = ok({ view: 'series', files: ['heap-1.pb.gz', 'heap-2.pb.gz'], function: 'main.leak' });
    expect(r.selection).toEqual([heap1.handle, heap2.handle]);
    expect(r.focus).toEqual({ tab: 'overlay', function: 'main.leak' });
    expect(r.selectFunction).toBe('main.leak');
  });

  it('goroutines with a base → the goroutine comparison on function and state', () => {
    const r = ok({ view: 'goroutines', file: 'goroutine-2.pb.gz', base: 'goroutine-1.pb.gz', function: 'main.worker', state: 'chan receive' });
    expect(r.selection).toEqual([gr1.handle, gr2.handle]);
    expect(r.focus).toEqual({ tab: 'goroutines', function: 'main.worker', state: 'chan receive' });
    expect(r.label).toBe('Compare the goroutines');
    expect('selectFunction' in r).toBe(false);
  });

  it('goroutines alone in a profile → that profile, searched for the function', () => {
    const r = ok({ view: 'goroutines', file: 'goroutine-1.pb.gz', function: 'main.worker' });
    expect(r.selection).toEqual([gr1.handle]);
    expect(r.selectFunction).toBe('main.worker');
    expect(r.label).toBe('Open the goroutines');
  });

  it('goroutines alone in a heap dump → no function search (a dump has no flame graph)', () => {
    const r = ok({ view: 'goroutines', file: 'dump-2.heap', function: 'main.worker' });
    expect(r.selection).toEqual([dump2.handle]);
    expect('selectFunction' in r).toBe(false);
  });

  it('heap → the dump with root / object / site to select; the first item of a name wins', () => {
    const r = ok({ view: 'heap', dump: 'dump-1.heap', root: 'global main.cache', allocSite: 'main.fill' });
    expect(r.selection).toEqual([dump1.handle]);
    expect(r.focus).toEqual({ root: 'global main.cache', allocSite: 'main.fill' });
    expect(r.label).toBe('Open in the heap dump');
    expect(ok({ view: 'heap', dump: 'dump-2.heap', object: '0xc000010000' }).focus).toEqual({ object: '0xc000010000' });
  });

  it('heapdiff → both dumps with the root / site row', () => {
    const r = ok({ view: 'heapdiff', base: 'dump-1.heap', target: 'dump-2.heap', allocSite: 'main.fill' });
    expect(r.selection).toEqual([dump1.handle, dump2.handle]);
    expect(r.focus).toEqual({ allocSite: 'main.fill' });
    expect(r.label).toBe('Compare the heap dumps');
  });

  it('refuses names that are not open, naming the missing file', () => {
    const cases: FindingLink[] = [
      { view: 'diff', base: 'heap-1.pb.gz', target: 'closed.pb.gz' },
      { view: 'series', files: ['heap-1.pb.gz', 'closed.pb.gz', 'heap-3.pb.gz'] },
      { view: 'goroutines', file: 'goroutine-2.pb.gz', base: 'closed.pb.gz' },
      { view: 'heap', dump: 'closed.pb.gz' },
      { view: 'heapdiff', base: 'closed.pb.gz', target: 'dump-2.heap' },
    ];
    for (const link of cases) {
      const r = resolveLink(link, items);
      expect(r).toEqual({ ok: false, reason: 'closed.pb.gz is not open any more' });
    }
  });

  it('matches names exactly (no handle, path or case folding)', () => {
    expect(resolveLink({ view: 'heap', dump: heap1.handle }, items).ok).toBe(false);
    expect(resolveLink({ view: 'heap', dump: 'DUMP-1.HEAP' }, items).ok).toBe(false);
    expect(resolveLink({ view: 'heap', dump: dump1.source }, items).ok).toBe(false);
  });

  it('opens a GC trace in its view; one not open is said so', () => {
    const log = gcTraceItem('gc.log');
    expect(resolveLink({ view: 'gctrace', file: 'gc.log' }, [...items, log])).toEqual({ ok: true, selection: [log.handle], focus: {}, label: 'Open the GC trace' });
    const r = resolveLink({ view: 'gctrace', file: 'gc.log' }, items);
    expect(r).toEqual({ ok: false, reason: 'gc.log is not open any more' });
  });
});
