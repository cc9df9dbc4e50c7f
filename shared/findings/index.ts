/**
 * Findings: ranked statements about leaks, from profiles, goroutine dumps, heap dumps and gctrace
 * logs the caller has already imported (the analysis worker holds them by handle).
 *
 *   const report = computeFindings([
 *     { name: 'heap-1.pb.gz', kind: 'profile', imported },
 *     { name: 'heap.dump', kind: 'heapdump', analysis, read },
 *     { name: 'gc.log', kind: 'gctrace', series: parseGcTrace(text) },
 *   ]);
 *   report.findings  // sorted by severity, then size; plain data
 *
 * Rules and thresholds: README.md and ./thresholds.ts.
 */
export type * from './types';
export * as thresholds from './thresholds';
export { computeFindings, mergeDuplicates, rankFindings, severityRank, type FindingsOptions } from './engine';
export { fmtBytes } from './format';
