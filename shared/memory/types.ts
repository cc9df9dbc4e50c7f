/**
 * Memory accounting: where a Go process's memory goes, from runtime.MemStats in any of the forms
 * Go writes it. Plain data (crosses IPC, HTTP, the CLI's JSON).
 */

/** Where a MemStats reading came from. */
export type MemorySourceKind = 'heapdump' | 'heap-debug1' | 'expvar' | 'gctrace';

/**
 * runtime.MemStats fields by their Go name, as exact decimal strings: LastGC (ns since the epoch)
 * and PauseTotalNs pass 2^53, so they never go through a double. Only integer fields; a source
 * carries the fields it has (gctrace: a few, approximate to the MiB).
 */
export type MemStatsValues = Record<string, string>;

/** One part of the accounting. The parts of one breakdown add up to Sys (gctrace: to the heap at GC end). */
export interface MemoryPart {
  /** Stable, human name: "live heap", "heap fragmentation", ... */
  name: string;
  bytes: number;
  /** Why this part exists and what follows from the numbers (plain text). */
  explanation: string;
}

/** How old a heap profile's numbers are: inuse values describe the heap as of the last GC. */
export interface Freshness {
  /** Last GC end, ms since the epoch (MemStats.LastGC / 1e6); null when no GC has run. */
  lastGcMs: number | null;
  /** When the capture was taken, ms since the epoch; null when the source cannot tell. */
  captureMs: number | null;
  /** captureMs − lastGcMs, when both are known. */
  ageMs: number | null;
  /** One sentence for the UI and the CLI. */
  message: string;
}

export interface MemoryAccount {
  file: string;
  source: MemorySourceKind;
  stats: MemStatsValues;
  breakdown: MemoryPart[];
  /** What the breakdown adds up to (Sys; for gctrace the heap at the end of the last GC). */
  total: { name: string; bytes: number };
  /** Facts from the source that are not MemStats fields (debug=1: MaxRSS). */
  maxRss?: number;
  /** Goroutines alive when the stats were read (heap dump: its goroutine records), when known. */
  goroutines?: number;
  /** Notes that apply to the whole source (cgo, mmap, sampling). */
  notes: string[];
  freshness?: Freshness;
}
