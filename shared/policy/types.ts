/**
 * `heapscope check`: a policy (what fails a CI run), and the plain-data result of checking inputs
 * against it. Every type here is JSON (the `--format json` output is a CheckReport).
 */
import type { Finding, FindingKind, Severity } from '../findings';
import type { ThresholdName } from '../findings/thresholds';

/** The kind of a baseline comparison result (an allowance may name it like a finding kind). */
export const BASELINE_KIND = 'baseline-growth' as const;
export type AllowKind = FindingKind | typeof BASELINE_KIND;

/** One known finding allowed, with the reason and an optional expiry. */
export interface Allowance {
  /** Its index in the policy's `allow` array. */
  index: number;
  kind?: AllowKind;
  /** A regular expression matched against the subject (anywhere in it unless anchored). */
  subject?: string;
  reason: string;
  /** YYYY-MM-DD: the last day it applies (UTC); from the next day on it is expired. */
  until?: string;
}

export interface Budgets {
  /** Bytes: heap in use of any snapshot (profiles: inuse_space total; heap dumps: MemStats.HeapInuse). */
  maxHeapInuse?: number;
  /** Goroutines of any snapshot (goroutine profiles and dumps; user goroutines of heap dumps). */
  maxGoroutines?: number;
  /** Percent: heap in use over the baseline's, in every current snapshot. */
  maxGrowthPercent?: number;
}

/** The band inside which a change against the baseline is noise. */
export interface Tolerance {
  /** Relative to the baseline value of the site, percent. */
  percent: number;
  /** Changes of an allocation site smaller than this are ignored, bytes. */
  minBytes: number;
  /** Changes of a goroutine stack smaller than this are ignored, goroutines. */
  minGoroutines: number;
}

export interface Policy {
  /** Where it came from ("heapscope.json", or "default policy"). */
  source: string;
  failOn: Severity;
  thresholds: Partial<Record<ThresholdName, number>>;
  allow: Allowance[];
  budgets: Budgets;
  tolerance: Tolerance;
}

/** Measured per input for the budgets. */
export interface Measure {
  input: string;
  /** Heap in use, bytes, and what measured it. */
  heapInuse?: { bytes: number; how: string };
  goroutines?: { count: number; how: string };
}

export type BaselineFamily = 'heap profiles' | 'heap dumps' | 'goroutines' | 'heap dump goroutines';

/** One allocation site or goroutine stack compared with the baseline. */
export interface BaselineItem {
  family: BaselineFamily;
  /** The function (allocation site) or the goroutine stack's name. */
  subject: string;
  /** Goroutines: the whole stack, innermost first. */
  stack?: string[];
  unit: 'bytes' | 'goroutines';
  /** The reference per current snapshot (the paired baseline snapshot, else the baseline's max). */
  baseline: number[];
  current: number[];
  /** Allowed change per snapshot: max(percent × baseline, min). */
  band: number[];
  /** The smallest excess over the baseline across the current snapshots (what held in every one). */
  growth: number;
  /** Beyond the band in every current snapshot: a violation. */
  growing: boolean;
  /** How many current snapshots were beyond the band (noisy when 0 < beyond < snapshots). */
  beyond: number;
}

export interface BaselineFamilyResult {
  family: BaselineFamily;
  baseline: string[];
  current: string[];
  /** 'pairwise' when both series have as many snapshots (snapshot i against i), else 'max'. */
  pairing: 'pairwise' | 'max';
  /** Heap in use totals (bytes families) per snapshot, for maxGrowthPercent. */
  baselineTotals: number[];
  currentTotals: number[];
}

export interface BaselineResult {
  /** The tolerance in words, printed by every output format. */
  tolerance: string;
  families: BaselineFamilyResult[];
  /** Sites beyond the band in every snapshot. */
  growing: BaselineItem[];
  /** Sites beyond the band in some snapshots but not all: ignored, listed so nobody wonders. */
  noisy: BaselineItem[];
  notes: string[];
}

export type Status = 'violation' | 'allowed' | 'ok';

export interface AllowanceRef {
  index: number;
  reason: string;
  until?: string;
}

export interface CheckedFinding {
  finding: Finding;
  status: Status;
  /** The allowance that allowed it. */
  allowedBy?: AllowanceRef;
  /** Expired allowances that would have matched it. */
  expired?: AllowanceRef[];
  location?: SourceLocation;
}

export interface CheckedGrowth {
  item: BaselineItem;
  status: Status;
  allowedBy?: AllowanceRef;
  expired?: AllowanceRef[];
  location?: SourceLocation;
}

export type BudgetName = 'maxHeapInuse' | 'maxGoroutines' | 'maxGrowthPercent';

export interface BudgetResult {
  budget: BudgetName;
  limit: number;
  /** The measured value (peak / lowest growth); null when nothing measured it. */
  value: number | null;
  /** The input that measured it. */
  input?: string;
  status: 'violation' | 'ok' | 'not-measured';
  message: string;
}

export interface AllowanceResult extends AllowanceRef {
  kind?: AllowKind;
  subject?: string;
  expired: boolean;
  /** Findings and baseline items it allowed (expired: would have matched). */
  matched: number;
}

/** A file and line in the program's source, from the profile or dump. */
export interface SourceLocation {
  file: string;
  line: number;
  function: string;
}

export interface CheckReport {
  passed: boolean;
  /** What failed, one line each (the same lines every format prints). */
  violations: string[];
  policy: { source: string; failOn: Severity; thresholds: Policy['thresholds']; tolerance: Tolerance; budgets: Budgets };
  /** YYYY-MM-DD used for expiry. */
  today: string;
  inputs: string[];
  baselineInputs: string[];
  findings: CheckedFinding[];
  baseline: BaselineResult | null;
  growth: CheckedGrowth[];
  budgets: BudgetResult[];
  allowances: AllowanceResult[];
  notes: string[];
}
