/**
 * Comparisons: what the analysis worker calls with profiles and heap analyses it already holds.
 *
 *   Two profiles      diffTop, diffFlame, sideBySide (pprof -diff_base / -base / -normalize)
 *   Goroutines        goroutineSnapshot(+FromHeap) → compareGoroutines, longWaiters
 *   Two heap dumps    diffHeapDumps(...).summary() / addedNodes() / freedNodes()
 *   Three heap dumps  memlabLeaks (new in the second, still alive in the third)
 *   Series            profileSeriesTrends, heapSeriesTrends, goroutineSeriesTrends, trendOf
 *   gctrace logs      looksLikeGcTrace, parseGcTrace → gcTraceTrend
 *
 * Every result is plain data (./types). See README.md.
 */
export type * from './types';
export { mergeForCompare, profileTotals, type CompareMode } from './merge';
export { diffTop, diffFlame, sideBySide } from './profiles';
export {
  goroutineSnapshot,
  goroutineSnapshotFromHeap,
  compareGoroutines,
  longWaiters,
  countsByStack,
  stackKeyFrames,
  stackKey,
  isRuntimeFrame,
  MAX_IDS,
} from './goroutines';
export { HeapDumpDiff, diffHeapDumps, matchObjects, memlabLeaks, dominatingRoots, NO_SAMPLE, type ObjectMatch, type HeapDiffOptions } from './heapdiff';
export {
  trendOf,
  leastSquares,
  usableTimes,
  trendsFromMaps,
  profileSeriesTrends,
  heapSeriesTrends,
  goroutineSeriesTrends,
  type ProfileSnapshot,
  type HeapSnapshot,
} from './series';
export { looksLikeGcTrace, parseGcTrace, gcTraceTrend, GCTRACE_MB } from './gctrace';
