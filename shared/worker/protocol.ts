/**
 * Messages between the analysis host (main process / serve / CLI) and an analysis worker.
 * Requests carry an id; the worker answers once with a response and may send progress before.
 * Cancellation is cooperative through a shared Int32Array flag (set by the host, read by the task
 * between steps), with a hard stop (terminate + replace) as the fallback.
 */
import type { ErrorInfo } from '../errors';
import type { FlameQuery, FlameResult, LoadedItem, ProfileQuery, TopResult } from '../api/types';
import type { ApiMethods } from '../api/contract';

/** Heap-dump queries pass through to the worker with the API's own request/response types. */
/** Queries over several items (comparisons, series, findings) pass through likewise. */
export type MultiQueryMethod = 'compareTop' | 'compareFlame' | 'compareSideBySide' | 'compareGoroutines' | 'compareHeaps' | 'series' | 'findings' | 'memory';
type MultiQueries = { [M in MultiQueryMethod]: { args: ApiMethods[M]['req']; result: ApiMethods[M]['res'] } };

export type HeapQueryMethod =
  | 'heapSummary'
  | 'heapRoots'
  | 'heapDominators'
  | 'heapPaths'
  | 'heapMergedPaths'
  | 'heapAllocSites'
  | 'heapSizeClasses'
  | 'heapObjects'
  | 'heapObject'
  | 'heapTypes';
type HeapQueries = { [M in HeapQueryMethod]: { args: ApiMethods[M]['req']; result: ApiMethods[M]['res'] } };

export interface WorkerMethods extends HeapQueries, MultiQueries {
  /** `part` 'goroutines': a gctrace log's crash dump (its goroutines) rather than its GCs. */
  loadBytes: { args: { name: string; source: string; bytes: Uint8Array; part?: 'goroutines' }; result: LoadedItem };
  /** Load a file by path; heap dumps stream in chunks and use `exe` (or a binary found beside). */
  loadFile: { args: { name: string; source: string; path: string; exe?: string; part?: 'goroutines' }; result: LoadedItem };
  release: { args: { handle: string }; result: { released: boolean } };
  top: { args: ProfileQuery; result: TopResult };
  flameGraph: { args: FlameQuery; result: FlameResult };
  gcTrace: { args: ApiMethods['gcTrace']['req']; result: ApiMethods['gcTrace']['res'] };
  /** Assemble and render the HTML report of the given items; written atomically when outPath is set. */
  exportReport: {
    args: {
      handles: string[];
      title?: string;
      include?: import('../report/assemble').ReportInclude;
      sampleTypes?: 'default' | 'all';
      outPath?: string;
      version: string;
      /** Per handle: where its sources may be read (the host's source service; none: no annotated source). */
      sourceContexts?: Record<string, import('../source/resolve').SourceContext>;
    };
    result: { path: string | null; sizeBytes: number; html?: string };
  };
  /** pprof -list of one function (exact name), minus `base` when given; plus what identifies the program. */
  sourceList: {
    args: { handle: string; function: string; sampleIndex?: number | string; filters?: import('../api/types').ProfileFilters; base?: string };
    result: { list: import('../source/types').ListResult | null; mappingFile: string | null; buildId: string | null; goVersion: string | null };
  };
  /** Diagnostics used by tests: sleep (cooperatively cancellable), crash the worker, throw. */
  debugSleep: { args: { ms: number; ignoreCancel?: boolean }; result: { slept: number } };
  debugCrash: { args: Record<string, never>; result: never };
  /** Allocate until the worker's heap limit is hit. */
  debugOom: { args: Record<string, never>; result: never };
}
export type WorkerMethod = keyof WorkerMethods;
export type WorkerArgs<M extends WorkerMethod> = WorkerMethods[M]['args'];
export type WorkerResult<M extends WorkerMethod> = WorkerMethods[M]['result'];

export interface WorkerRequestMessage<M extends WorkerMethod = WorkerMethod> {
  type: 'request';
  id: number;
  method: M;
  args: WorkerArgs<M>;
  /** Int32Array over a SharedArrayBuffer(4); non-zero means cancelled. */
  cancelFlag: Int32Array;
}

export type WorkerResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: ErrorInfo };

export interface WorkerProgressMessage {
  type: 'progress';
  id: number;
  label: string;
  done: number;
  total: number;
}

export type WorkerToHostMessage = WorkerResponseMessage | WorkerProgressMessage | { type: 'ready' };
export type HostToWorkerMessage = WorkerRequestMessage;
