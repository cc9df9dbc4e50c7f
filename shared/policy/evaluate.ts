/**
 * Checking findings, budgets and the baseline comparison against a policy: which fail, which an
 * allowance allows (and which allowances have expired), and one line per violation.
 */
import { fmtBytes, severityRank, type Finding } from '../findings';
import { heapGrowthPercent } from './baseline';
import { isExpired } from './policy';
import { locate, locateFinding, type LocationIndex } from './locations';
import {
  BASELINE_KIND,
  type Allowance,
  type AllowanceRef,
  type AllowanceResult,
  type AllowKind,
  type BaselineItem,
  type BaselineResult,
  type BudgetResult,
  type CheckedFinding,
  type CheckedGrowth,
  type CheckReport,
  type Measure,
  type Policy,
  type Status,
} from './types';

export interface CheckInput {
  policy: Policy;
  /** YYYY-MM-DD (UTC) for expiry. */
  today: string;
  inputs: string[];
  baselineInputs: string[];
  findings: Finding[];
  notes: string[];
  measures: Measure[];
  baseline: BaselineResult | null;
  locations?: LocationIndex;
}

function ref(a: Allowance): AllowanceRef {
  const r: AllowanceRef = { index: a.index, reason: a.reason };
  if (a.until !== undefined) r.until = a.until;
  return r;
}

export function allowanceMatches(a: Allowance, kind: AllowKind, subject: string): boolean {
  if (a.kind !== undefined && a.kind !== kind) return false;
  if (a.subject !== undefined && !new RegExp(a.subject).test(subject)) return false;
  return true;
}

interface Judged {
  status: Status;
  allowedBy?: AllowanceRef;
  expired?: AllowanceRef[];
}

function judge(policy: Policy, today: string, counts: Map<number, number>, kind: AllowKind, subject: string, failing: boolean): Judged {
  const out: Judged = { status: failing ? 'violation' : 'ok' };
  const expired: AllowanceRef[] = [];
  for (const a of policy.allow) {
    if (!allowanceMatches(a, kind, subject)) continue;
    if (isExpired(a, today)) {
      expired.push(ref(a));
      counts.set(a.index, (counts.get(a.index) ?? 0) + 1);
      continue;
    }
    if (!out.allowedBy) {
      out.allowedBy = ref(a);
      out.status = 'allowed';
      counts.set(a.index, (counts.get(a.index) ?? 0) + 1);
    }
  }
  if (expired.length) out.expired = expired;
  return out;
}

function expiredText(e: AllowanceRef[] | undefined): string {
  return e && e.length ? ` (allow[${e.map((x) => x.index).join('], allow[')}] expired on ${e.map((x) => x.until).join(', ')})` : '';
}

function amount(v: number, unit: 'bytes' | 'goroutines'): string {
  return unit === 'bytes' ? fmtBytes(v) : `${v} goroutine${v === 1 ? '' : 's'}`;
}

export function growthText(it: BaselineItem): string {
  const per = it.current.map((c, i) => `${amount(c, it.unit)} vs ${amount(it.baseline[i]!, it.unit)}`).join(', ');
  return `${it.family}: ${it.subject} grew by at least ${amount(it.growth, it.unit)} over the baseline in ${it.current.length === 1 ? 'the only snapshot' : `every one of ${it.current.length} snapshots`} (${per}; band ${it.band.map((b) => amount(Math.round(b), it.unit)).join(', ')})`;
}

function budgets(policy: Policy, measures: Measure[], baseline: BaselineResult | null): BudgetResult[] {
  const out: BudgetResult[] = [];
  const b = policy.budgets;
  if (b.maxHeapInuse !== undefined) {
    const peak = measures.filter((m) => m.heapInuse).sort((x, y) => y.heapInuse!.bytes - x.heapInuse!.bytes)[0];
    if (!peak) out.push({ budget: 'maxHeapInuse', limit: b.maxHeapInuse, value: null, status: 'not-measured', message: `maxHeapInuse ${fmtBytes(b.maxHeapInuse)}: no heap profile or heap dump among the inputs` });
    else {
      const v = peak.heapInuse!.bytes;
      const bad = v > b.maxHeapInuse;
      out.push({ budget: 'maxHeapInuse', limit: b.maxHeapInuse, value: v, input: peak.input, status: bad ? 'violation' : 'ok', message: `maxHeapInuse ${fmtBytes(b.maxHeapInuse)}: peak ${fmtBytes(v)} in ${peak.input} (${peak.heapInuse!.how})${bad ? ' is over budget' : ''}` });
    }
  }
  if (b.maxGoroutines !== undefined) {
    const peak = measures.filter((m) => m.goroutines).sort((x, y) => y.goroutines!.count - x.goroutines!.count)[0];
    if (!peak) out.push({ budget: 'maxGoroutines', limit: b.maxGoroutines, value: null, status: 'not-measured', message: `maxGoroutines ${b.maxGoroutines}: no goroutine profile, goroutine dump or heap dump among the inputs` });
    else {
      const v = peak.goroutines!.count;
      const bad = v > b.maxGoroutines;
      out.push({ budget: 'maxGoroutines', limit: b.maxGoroutines, value: v, input: peak.input, status: bad ? 'violation' : 'ok', message: `maxGoroutines ${b.maxGoroutines}: peak ${v} in ${peak.input} (${peak.goroutines!.how})${bad ? ' is over budget' : ''}` });
    }
  }
  if (b.maxGrowthPercent !== undefined) {
    const g = baseline ? heapGrowthPercent(baseline) : null;
    if (!g) out.push({ budget: 'maxGrowthPercent', limit: b.maxGrowthPercent, value: null, status: 'not-measured', message: `maxGrowthPercent ${b.maxGrowthPercent}%: ${baseline ? 'no heap profiles or heap dumps on both sides' : 'no --baseline given'}; not checked` });
    else {
      const bad = g.percent > b.maxGrowthPercent;
      const pct = Number.isFinite(g.percent) ? `${g.percent.toFixed(1)}%` : 'from nothing';
      out.push({ budget: 'maxGrowthPercent', limit: b.maxGrowthPercent, value: Number.isFinite(g.percent) ? Number(g.percent.toFixed(3)) : null, status: bad ? 'violation' : 'ok', message: `maxGrowthPercent ${b.maxGrowthPercent}%: heap in use (${g.family}) grew ${pct} over the baseline in every snapshot (the lowest)${bad ? ', over budget' : ''}` });
    }
  }
  return out;
}

export function evaluatePolicy(c: CheckInput): CheckReport {
  const { policy, today } = c;
  const min = severityRank(policy.failOn);
  const counts = new Map<number, number>();
  const violations: string[] = [];
  const findings: CheckedFinding[] = c.findings.map((f) => {
    const j = judge(policy, today, counts, f.kind, f.subject, severityRank(f.severity) >= min);
    const out: CheckedFinding = { finding: f, ...j };
    const loc = c.locations ? locateFinding(c.locations, f) : undefined;
    if (loc) out.location = loc;
    if (j.status === 'violation') violations.push(`${f.severity} ${f.kind}: ${f.title}${expiredText(j.expired)}`);
    return out;
  });
  const growth: CheckedGrowth[] = (c.baseline?.growing ?? []).map((it) => {
    const j = judge(policy, today, counts, BASELINE_KIND, it.subject, true);
    const out: CheckedGrowth = { item: it, ...j };
    const loc = c.locations ? locate(c.locations, it.subject, it.unit === 'goroutines') : undefined;
    if (loc) out.location = loc;
    if (j.status === 'violation') violations.push(`${BASELINE_KIND}: ${growthText(it)}${expiredText(j.expired)}`);
    return out;
  });
  const bud = budgets(policy, c.measures, c.baseline);
  for (const b of bud) if (b.status === 'violation') violations.push(`budget ${b.message}`);
  const allowances: AllowanceResult[] = policy.allow.map((a) => {
    const r: AllowanceResult = { ...ref(a), expired: isExpired(a, today), matched: counts.get(a.index) ?? 0 };
    if (a.kind !== undefined) r.kind = a.kind;
    if (a.subject !== undefined) r.subject = a.subject;
    return r;
  });
  const notes = [...c.notes, ...(c.baseline?.notes ?? [])];
  for (const a of allowances) {
    if (a.expired) notes.push(`allow[${a.index}] expired on ${a.until} and no longer applies: ${a.reason}`);
    else if (a.matched === 0) notes.push(`allow[${a.index}] matched nothing (stale?): ${a.reason}`);
  }
  return {
    passed: violations.length === 0,
    violations,
    policy: { source: policy.source, failOn: policy.failOn, thresholds: policy.thresholds, tolerance: policy.tolerance, budgets: policy.budgets },
    today,
    inputs: c.inputs,
    baselineInputs: c.baselineInputs,
    findings,
    baseline: c.baseline,
    growth,
    budgets: bud,
    allowances,
    notes,
  };
}
