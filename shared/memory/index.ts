/**
 * Memory accounting (issue 13): runtime.MemStats from heap dumps, heap profiles' debug=1 trailers,
 * /debug/vars and gctrace; the breakdown of Sys with explanations; heap profile freshness; and the
 * watch helpers (triggers, retention) that are pure. See README.md.
 */
export type * from './types';
export { MEMSTATS_SCALARS, fromHeapDump, parseMemStatsTrailer, parseExpvarMemStats, expvarCmdline, fromGcTrace, statNumber, type TrailerResult } from './sources';
export { sysBreakdown, gcTraceBreakdown, accountOf, accountOfGcTrace, accountNotes, PART_NAMES, OUTSIDE_GO, type AccountInput, type BreakdownContext } from './breakdown';
export { heapFreshness, lastGcMs } from './freshness';
export { memoryJson } from './json';
export { collectAccounts, type MemoryInput, type ProfileMatch, type AccountWithProfile } from './collect';
export { formatBytesPlain, formatCountPlain } from './format';
export { parseTrigger, TriggerState, TRIGGER_METRICS, type TriggerSpec, type TriggerMetric, type TriggerFire, type TriggerValues } from './triggers';
export { planRetention, type RetentionPolicy, type KeptTick, type DropPlan } from './retention';
