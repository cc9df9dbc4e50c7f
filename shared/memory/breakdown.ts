/**
 * The breakdown of Sys (all memory the Go runtime obtained from the OS) into parts a Go developer
 * can act on, each with the explanation that follows from the numbers. Go computes
 *
 *   Sys = HeapSys + StackSys + MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys
 *   HeapSys = HeapInuse + HeapIdle,  HeapInuse ≥ HeapAlloc,  HeapIdle ≥ HeapReleased
 *
 * so the parts below add up to Sys exactly when the fields come from one ReadMemStats.
 */
import { formatBytesPlain, formatCountPlain } from './format';
import { fromGcTrace, statNumber } from './sources';
import type { GcTrace } from '../compare/types';
import type { MemoryAccount, MemoryPart, MemorySourceKind, MemStatsValues } from './types';

export const PART_NAMES = {
  live: 'live heap',
  fragmentation: 'heap fragmentation',
  idle: 'heap kept by the runtime',
  released: 'heap released to the OS',
  stacks: 'goroutine stacks',
  metadata: 'runtime metadata',
  buckets: 'profiling buckets',
} as const;

/** Said of every source: what no Go profile and no MemStats field sees. */
export const OUTSIDE_GO =
  'Not in Sys, and not in any Go profile: memory allocated by C code through cgo (malloc in C libraries), memory mapped with syscall.Mmap or by the binary and shared libraries themselves, and the OS page cache of files. The Go runtime does not allocate it, so it cannot count it: when RSS is well above Sys minus "heap released to the OS", that difference is where to look (pmap, /proc/PID/smaps, a C heap profiler).';

export interface BreakdownContext {
  /** Goroutines alive at the time of the stats, when known (heap dump, a watch's goroutine count). */
  goroutines?: number | null;
  /** inuse_space total of the matching heap profile, when one is given. */
  profileInuse?: number | null;
}

const n = (stats: MemStatsValues, k: string): number => statNumber(stats, k) ?? 0;

/** The seven parts of Sys. Fields a source lacks count as 0. */
export function sysBreakdown(stats: MemStatsValues, ctx: BreakdownContext = {}): MemoryPart[] {
  const heapAlloc = n(stats, 'HeapAlloc');
  const heapInuse = n(stats, 'HeapInuse');
  const heapIdle = n(stats, 'HeapIdle');
  const released = n(stats, 'HeapReleased');
  const nextGC = statNumber(stats, 'NextGC');
  const stackSys = n(stats, 'StackSys');
  const stackInuse = n(stats, 'StackInuse');
  const meta = n(stats, 'MSpanSys') + n(stats, 'MCacheSys') + n(stats, 'GCSys') + n(stats, 'OtherSys');
  const b = formatBytesPlain;

  let live = `HeapAlloc: bytes of heap objects allocated and not yet freed. Right after a GC that is the live heap; between GCs it also holds garbage not collected yet.`;
  if (nextGC !== null && nextGC > 0) {
    const headroom = nextGC - heapAlloc;
    live +=
      headroom >= 0
        ? ` GOGC headroom: the next GC starts when the heap reaches NextGC = ${b(nextGC)}, ${b(headroom)} above now; with GOGC=100 the heap may reach about twice the live heap before a GC, so a process can hold up to ${b(nextGC)} of heap objects without leaking anything.`
        : ` The heap is ${b(-headroom)} past NextGC = ${b(nextGC)}: a GC is due or running.`;
  }
  if (ctx.profileInuse != null) {
    live += ` The matching heap profile counts ${b(ctx.profileInuse)} in use: it is sampled (every 512 KiB allocated by default, scaled up) and describes the heap as of the last GC, so it differs from HeapAlloc by the garbage since then and by sampling error.`;
  }

  const frag = heapInuse - heapAlloc;
  const idleKept = heapIdle - released;
  let stacks = `StackSys: memory for goroutine stacks (${b(stackInuse)} in use by stacks).`;
  const g = ctx.goroutines ?? null;
  if (g !== null && g > 0) {
    stacks += ` ${formatCountPlain(g)} goroutines × about ${b(Math.round(stackInuse / g))} of stack each ≈ ${b(stackInuse)}. A stack starts at 8 KiB (2 KiB before Go 1.4) and doubles when a call chain needs more; it shrinks at GC when mostly unused. Many goroutines, or a few with deep or big frames, make this grow: a goroutine leak shows here first.`;
  } else {
    stacks += ` Stacks ≈ goroutines × stack size: each starts at 8 KiB and doubles when a call chain needs more, so a goroutine leak shows here.`;
  }
  return [
    { name: PART_NAMES.live, bytes: heapAlloc, explanation: live },
    {
      name: PART_NAMES.fragmentation,
      bytes: frag,
      explanation: `HeapInuse − HeapAlloc: space in heap spans that hold objects but is not an object: free slots in size classes and the unused tail of spans. In use, not live. It is large when many objects of one size class were freed but a few survivors keep each span (${heapInuse > 0 ? `${((frag / heapInuse) * 100).toFixed(1)}% of the spans in use` : 'no spans in use'}).`,
    },
    {
      name: PART_NAMES.idle,
      bytes: idleKept,
      explanation: `HeapIdle − HeapReleased: free heap pages the runtime keeps mapped to reuse before asking the OS again. They still count in RSS. The scavenger returns them to the OS over time (faster with debug.FreeOSMemory or a lower GOMEMLIMIT).`,
    },
    {
      name: PART_NAMES.released,
      bytes: released,
      explanation: `HeapReleased: free heap pages given back to the OS (madvise). They are part of Sys (address space the runtime still reserves) but not of RSS: subtract them when comparing Sys with RSS.`,
    },
    { name: PART_NAMES.stacks, bytes: stackSys, explanation: stacks },
    {
      name: PART_NAMES.metadata,
      bytes: meta,
      explanation: `The runtime's own bookkeeping: span structures (MSpanSys ${b(n(stats, 'MSpanSys'))}), per-P allocation caches (MCacheSys ${b(n(stats, 'MCacheSys'))}), GC metadata such as mark bits and heap bitmaps (GCSys ${b(n(stats, 'GCSys'))}) and other runtime allocations (OtherSys ${b(n(stats, 'OtherSys'))}). It grows with the heap (about 2–5% of it).`,
    },
    {
      name: PART_NAMES.buckets,
      bytes: n(stats, 'BuckHashSys'),
      explanation: `BuckHashSys: the profiling bucket hash table (heap, allocs, block and mutex profiles keep one record per distinct call stack). runtime.MemProfileRate = 1, or very many distinct stacks, make it large.`,
    },
  ];
}

/** What a gctrace line tells: live heap and the garbage at GC end; no Sys to add up to. */
export function gcTraceBreakdown(trace: GcTrace, file?: string): { stats: MemStatsValues; parts: MemoryPart[]; total: number } {
  const g = fromGcTrace(trace, file);
  const b = formatBytesPlain;
  const goal = Number(g.stats.NextGC);
  const parts: MemoryPart[] = [
    {
      name: PART_NAMES.live,
      bytes: g.liveBytes,
      explanation: `The heap the last GC (gc ${g.stats.NumGC}) marked live (third number of "#->#->#"). GOGC headroom: the next GC goal is ${b(goal)}, ${b(goal - g.liveBytes)} above the live heap. gctrace prints MiB rounded down: approximate.`,
    },
    {
      name: 'heap allocated during the GC',
      bytes: Math.max(0, g.heapEndBytes - g.liveBytes),
      explanation: `Heap at the end of the GC minus the live heap: objects allocated while the GC ran, collected at the next cycle. gctrace has no Sys, stacks in use, or runtime overhead: read /debug/vars or a heap profile's debug=1 text for those.`,
    },
  ];
  return { stats: g.stats, parts, total: g.heapEndBytes };
}

/** Notes that hold for any source. */
export function accountNotes(source: MemorySourceKind, maxRss: number | null, stats: MemStatsValues): string[] {
  const notes = [OUTSIDE_GO];
  const sys = statNumber(stats, 'Sys');
  const released = statNumber(stats, 'HeapReleased') ?? 0;
  if (maxRss !== null && sys !== null) {
    const resident = sys - released;
    notes.push(
      maxRss > resident
        ? `MaxRSS (the process's peak resident memory) is ${formatBytesPlain(maxRss)}, ${formatBytesPlain(maxRss - resident)} above Sys − HeapReleased = ${formatBytesPlain(resident)}: the binary's own pages, memory outside Go (cgo, mmap), or a higher peak earlier.`
        : `MaxRSS (the process's peak resident memory) is ${formatBytesPlain(maxRss)}, within Sys − HeapReleased = ${formatBytesPlain(resident)}: nothing large outside the Go runtime.`,
    );
  }
  if (source === 'heapdump') notes.push('Read from the heap dump\'s MemStats record, written while the world was stopped for the dump.');
  if (source === 'expvar') notes.push('Read from /debug/vars: runtime.ReadMemStats at the moment of the request.');
  if (source === 'heap-debug1') notes.push('Read from the "# runtime.MemStats" block of the heap profile: runtime.ReadMemStats when the profile was written; the profile records above it describe the heap as of the last GC.');
  return notes;
}

export interface AccountInput {
  file: string;
  source: Exclude<MemorySourceKind, 'gctrace'>;
  stats: MemStatsValues;
  maxRss?: number | null;
  goroutines?: number | null;
  profileInuse?: number | null;
}

/** The account of one MemStats reading (heap dump, debug=1 trailer, expvar). */
export function accountOf(x: AccountInput): MemoryAccount {
  const breakdown = sysBreakdown(x.stats, { goroutines: x.goroutines ?? null, profileInuse: x.profileInuse ?? null });
  const acc: MemoryAccount = {
    file: x.file,
    source: x.source,
    stats: x.stats,
    breakdown,
    total: { name: 'Sys', bytes: statNumber(x.stats, 'Sys') ?? 0 },
    notes: accountNotes(x.source, x.maxRss ?? null, x.stats),
  };
  if (x.maxRss != null) acc.maxRss = x.maxRss;
  if (x.goroutines != null) acc.goroutines = x.goroutines;
  return acc;
}

/** The account of a gctrace log (its last GC). */
export function accountOfGcTrace(file: string, trace: GcTrace): MemoryAccount {
  const g = gcTraceBreakdown(trace, file);
  return { file, source: 'gctrace', stats: g.stats, breakdown: g.parts, total: { name: 'heap at GC end', bytes: g.total }, notes: [OUTSIDE_GO, ...trace.warnings] };
}
