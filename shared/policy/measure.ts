/**
 * What the budgets and the baseline read from the inputs: heap in use and goroutines per snapshot,
 * and per-site values (in-use bytes per allocating function, goroutines per stack) in capture order.
 */
import { countsByStack, goroutineSnapshot, goroutineSnapshotFromHeap } from '../compare/goroutines';
import type { FindingsInput } from '../findings';
import { computeTop, type ImportedProfile } from '../profile';
import { canonicalFunctionName } from '../profile/names';
import type { BaselineFamily, Measure } from './types';

/** Frames of the Go runtime itself, charged to their caller (as the findings engine does). */
const RUNTIME_FRAMES = '^(runtime|internal/runtime/[a-z]+)\\.';

function isHeapProfile(p: ImportedProfile): boolean {
  const k = p.profileKind;
  return (k === 'heap' || k === 'allocs') && p.profile.sampleTypes.some((t) => p.profile.strings[t.type] === 'inuse_space');
}

function heapInuseOfProfile(p: ImportedProfile): number {
  return computeTop(p.profile, { sampleIndex: 'inuse_space' }).total;
}

function big(v: string | bigint | undefined): bigint | null {
  if (v === undefined) return null;
  try {
    return typeof v === 'bigint' ? v : BigInt(v);
  } catch {
    return null;
  }
}

function timeOf(x: FindingsInput): bigint | null {
  if (x.kind === 'profile') return big(x.timeNanos) ?? (x.imported.profile.timeNanos !== 0n ? x.imported.profile.timeNanos : null);
  if (x.kind === 'heapdump') {
    const ms = x.analysis.summary().memStats;
    return big(x.timeNanos) ?? (ms?.LastGC ? big(ms.LastGC) : null);
  }
  return null;
}

/** By capture time when every input has a distinct one, else in the given order (like the findings engine). */
export function captureOrder<T extends FindingsInput>(xs: readonly T[]): T[] {
  const ts = xs.map(timeOf);
  const ok = ts.every((t) => t !== null && t !== 0n) && new Set(ts.map(String)).size === ts.length;
  if (!ok || xs.length < 2) return [...xs];
  return xs
    .map((x, i) => ({ x, t: ts[i]!, i }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i))
    .map((e) => e.x);
}

function userGoroutinesOfDump(x: Extract<FindingsInput, { kind: 'heapdump' }>): number {
  return goroutineSnapshotFromHeap(x.name, x.analysis).groups.reduce((n, g) => n + (g.system ? 0 : g.count), 0);
}

/** Heap in use and goroutines of each input that has them (for maxHeapInuse and maxGoroutines). */
export function measureInputs(inputs: readonly FindingsInput[]): Measure[] {
  const out: Measure[] = [];
  for (const x of inputs) {
    const m: Measure = { input: x.name };
    if (x.kind === 'profile') {
      if (isHeapProfile(x.imported)) m.heapInuse = { bytes: heapInuseOfProfile(x.imported), how: 'inuse_space total' };
      else if (x.imported.profileKind === 'goroutine') m.goroutines = { count: goroutineSnapshot(x.name, x.imported).total, how: 'goroutines in the profile' };
    } else if (x.kind === 'heapdump') {
      const s = x.analysis.summary();
      const hi = s.memStats?.HeapInuse;
      m.heapInuse = hi !== undefined && /^\d+$/.test(hi) ? { bytes: Number(hi), how: 'MemStats.HeapInuse' } : { bytes: s.reachableBytes, how: 'reachable bytes' };
      m.goroutines = { count: userGoroutinesOfDump(x), how: 'user goroutines in the heap dump' };
    }
    if (m.heapInuse || m.goroutines) out.push(m);
  }
  return out;
}

/** One snapshot of a family: value per site, its label and stack, and the total. */
export interface SiteSnapshot {
  name: string;
  values: Map<string, number>;
  labels: Map<string, { subject: string; stack?: string[] }>;
  total: number;
}

export const FAMILY_UNIT: Record<BaselineFamily, 'bytes' | 'goroutines'> = {
  'heap profiles': 'bytes',
  'heap dumps': 'bytes',
  goroutines: 'goroutines',
  'heap dump goroutines': 'goroutines',
};

/**
 * Per-site series of each family, in capture order: heap profiles (inuse_space flat per function,
 * runtime frames charged to their caller), heap dumps (reachable bytes per allocating function),
 * goroutine profiles and dumps (goroutines per stack), the goroutines of heap dumps (per stack).
 */
export function siteSeries(inputs: readonly FindingsInput[]): Map<BaselineFamily, SiteSnapshot[]> {
  const fam = new Map<BaselineFamily, SiteSnapshot[]>();
  const push = (f: BaselineFamily, s: SiteSnapshot): void => {
    const l = fam.get(f) ?? [];
    l.push(s);
    fam.set(f, l);
  };
  for (const x of captureOrder(inputs)) {
    if (x.kind === 'profile' && isHeapProfile(x.imported)) {
      const top = computeTop(x.imported.profile, { sampleIndex: 'inuse_space', filters: { hide: RUNTIME_FRAMES } });
      const values = new Map<string, number>();
      const labels = new Map<string, { subject: string }>();
      for (const r of top.rows) {
        if (r.flat === 0) continue;
        const k = canonicalFunctionName(r.name);
        values.set(k, (values.get(k) ?? 0) + r.flat);
        labels.set(k, { subject: k });
      }
      push('heap profiles', { name: x.name, values, labels, total: heapInuseOfProfile(x.imported) });
    } else if (x.kind === 'profile' && x.imported.profileKind === 'goroutine') {
      const snap = goroutineSnapshot(x.name, x.imported);
      push('goroutines', stacks(x.name, countsByStackWithStacks(snap), snap.total));
    } else if (x.kind === 'heapdump') {
      const a = x.analysis;
      const values = new Map<string, number>();
      const labels = new Map<string, { subject: string }>();
      for (const row of a.groupByAllocSite({ kind: 'reachable' }, 0, Number.MAX_SAFE_INTEGER).rows) {
        if (row.site < 0) continue;
        const fn = a.sites[row.site]!.func || row.label;
        values.set(fn, (values.get(fn) ?? 0) + row.bytes);
        labels.set(fn, { subject: fn });
      }
      push('heap dumps', { name: x.name, values, labels, total: a.summary().reachableBytes });
      const snap = goroutineSnapshotFromHeap(x.name, a);
      snap.groups = snap.groups.filter((g) => !g.system);
      push('heap dump goroutines', stacks(x.name, countsByStackWithStacks(snap), snap.groups.reduce((n, g) => n + g.count, 0)));
    }
  }
  return fam;
}

function countsByStackWithStacks(snap: ReturnType<typeof goroutineSnapshot>): Map<string, { function: string; count: number; stack: string[] }> {
  const stackOf = new Map(snap.groups.map((g) => [g.key, g.stack]));
  const out = new Map<string, { function: string; count: number; stack: string[] }>();
  for (const [k, v] of countsByStack(snap)) out.set(k, { ...v, stack: stackOf.get(k) ?? [] });
  return out;
}

function stacks(name: string, m: Map<string, { function: string; count: number; stack: string[] }>, total: number): SiteSnapshot {
  const values = new Map<string, number>();
  const labels = new Map<string, { subject: string; stack?: string[] }>();
  for (const [k, v] of m) {
    values.set(k, v.count);
    labels.set(k, { subject: v.function, stack: v.stack });
  }
  return { name, values, labels, total };
}
