/**
 * Findings: ranked, plain-data statements about a leak, each with the numbers that prove it and a
 * link to the view that shows it. Safe to post between threads and to print as JSON.
 */
import type { HeapAnalysis } from '../heap';
import type { ImportedProfile } from '../profile';
import type { GcTrace } from '../compare/types';
import type { ExeBuildIds } from '../heap/buildid';

export type Severity = 'low' | 'medium' | 'high';

export type FindingKind =
  /** In-use memory of an allocation site grows across snapshots (heap profiles or heap dumps). */
  | 'growing-alloc-site'
  /** Memory a GC root alone keeps alive grows across heap dumps. */
  | 'growing-root'
  /** A GC root retains a large share of the heap (MAT's leak suspect), with its accumulation point. */
  | 'retained-by-root'
  /** A global that holds a map retains a large share of the heap, or only grows across dumps. */
  | 'global-map'
  /** A small sub-slice (or substring) keeps a much larger backing array alive. */
  | 'subslice-pinning'
  /** Goroutines pile up on one stack (not one of the named patterns below). */
  | 'goroutine-pileup'
  /** Goroutines blocked on channel send/receive or select with no way out (a context never cancelled). */
  | 'goroutines-blocked'
  /** net/http client connections kept open (persistConn readLoop/writeLoop): response bodies not closed. */
  | 'http-body-not-closed'
  /** *os.File objects with their finalizer still set: files opened and never closed. */
  | 'file-not-closed'
  /** time.Ticker objects only the runtime's timer heap keeps: tickers never stopped. */
  | 'ticker-not-stopped'
  | 'timers-pending'
  /** database/sql connections in use that only the pool holds: Rows, Tx or Conn dropped without Close. */
  | 'sql-conn-leak'
  /** A context's children map holds many contexts derived from it: their cancel funcs never called. */
  | 'context-not-cancelled'
  /** A map holds few entries in storage grown for many: Go maps keep their storage after deletes. */
  | 'sparse-map'
  /** The live heap after each GC (GODEBUG=gctrace=1) rises steadily. */
  | 'live-heap-growth'
  /**
   * Goroutines the Go runtime's leak detector proved can never run again (the goroutineleak profile,
   * Go 1.26 with the experiment and 1.27+). Not a heuristic: ranks above every other finding.
   */
  | 'leaked-goroutines';

export type EvidenceValue = number | string | boolean | number[] | string[];

/** The view and selection that proves a finding; file names are the inputs' `name`s. */
export type FindingLink =
  | { view: 'diff'; base: string; target: string; sampleIndex?: string; function?: string }
  | { view: 'series'; files: string[]; sampleIndex?: string; function?: string }
  | { view: 'goroutines'; file: string; base?: string; function?: string; state?: string }
  | { view: 'heap'; dump: string; root?: string; object?: string; allocSite?: string }
  | { view: 'heapdiff'; base: string; target: string; root?: string; allocSite?: string }
  | { view: 'gctrace'; file: string };

export interface Finding {
  severity: Severity;
  kind: FindingKind;
  /** One line a Go developer understands. */
  title: string;
  /** What the finding is about: a function, a root ("global main.sessionCache"), a goroutine's function. */
  subject: string;
  /** The numbers that prove it (bytes, counts, per-snapshot values, minutes). */
  evidence: Record<string, EvidenceValue>;
  link: FindingLink;
  /** What is at stake, in bytes (ranking within a severity); estimated for goroutines and files. */
  size: number;
  /** Inputs the finding comes from. */
  sources: string[];
}

/** What the findings engine reads: inputs already imported by the caller (the worker holds them). */
export type FindingsInput =
  | {
      name: string;
      kind: 'profile';
      imported: ImportedProfile;
      /** Capture time (ns since the epoch, decimal or bigint); default: the profile's time_nanos. */
      timeNanos?: string | bigint;
    }
  | {
      name: string;
      kind: 'heapdump';
      analysis: HeapAnalysis;
      /**
       * Reads the dump file (absolute offset, length). Optional: with it, the sub-slice rule reads the
       * lengths of the slices that point into big arrays instead of assuming the worst case.
       */
      read?: (offset: number, length: number) => Uint8Array;
      /**
       * Build ids of the executable attached to the dump (readElfBuildIds): they tell which program the
       * dump comes from (see programs.ts). Ignored when its .data/.bss sizes differ from the dump's.
       */
      exeIds?: ExeBuildIds | null;
      /** When the dump was written (ns since the epoch); default: MemStats.LastGC (the last GC before it). */
      timeNanos?: string | bigint;
    }
  | { name: string; kind: 'gctrace'; series: GcTrace };

export interface FindingsReport {
  /** Sorted: severity (high first), then size (biggest first). */
  findings: Finding[];
  /** How the inputs were used (series, pairs, ignored inputs). */
  notes: string[];
}
