/**
 * The policy: read from a policy file's JSON (already checked against heapscope-policy.schema.json
 * by the caller), or the default (fail on high findings). Semantic errors the schema cannot catch
 * (a subject that is not a regular expression, 30 February) are PolicyErrors with the JSON path, so
 * the caller can name the line.
 */
import type { Severity } from '../findings';
import { THRESHOLD_DEFAULTS, type ThresholdName } from '../findings/thresholds';
import type { Allowance, AllowKind, Budgets, Policy, Tolerance } from './types';

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = Object.freeze({ percent: 10, minBytes: 1024 * 1024, minGoroutines: 5 });

export function defaultPolicy(): Policy {
  return { source: 'default policy', failOn: 'high', thresholds: {}, allow: [], budgets: {}, tolerance: { ...DEFAULT_TOLERANCE } };
}

export type JsonPath = Array<string | number>;

/** A policy file that parses but says something impossible; `path` is where (JSON path). */
export class PolicyError extends Error {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** `allow[1].reason` */
export function pathText(path: JsonPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(top level)';
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };
/** The pattern the schema uses for sizes given as strings. */
export const SIZE_PATTERN = '^\\s*[0-9]+(\\.[0-9]+)?\\s*([kKmMgGtT]i?[bB]|[bB])?\\s*$';

/** "64MiB", "1.5 GB", "512" → bytes; null when it is not a size. */
export function parseSize(v: number | string): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(v);
  if (!m) return null;
  const unit = UNITS[(m[2] ?? 'b').toLowerCase()];
  return unit === undefined ? null : Math.round(Number(m[1]) * unit);
}

/** A real calendar date YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Today (UTC) as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** An allowance with `until` before today no longer applies. */
export function isExpired(a: Allowance, today: string): boolean {
  return a.until !== undefined && a.until < today;
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function size(v: unknown, path: JsonPath): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' || typeof v === 'string' ? parseSize(v) : null;
  if (n === null) throw new PolicyError(path, `not a size: ${JSON.stringify(v)} (bytes, or a number with B, KiB, MiB, GiB, KB, MB, GB)`);
  return n;
}

/**
 * The policy in a policy file's JSON. Expects input the schema accepted (shapes and types); checks
 * what the schema cannot say.
 */
export function policyFromJson(raw: unknown, source: string): Policy {
  const p = defaultPolicy();
  p.source = source;
  const r = obj(raw);
  if (typeof r.failOn === 'string') p.failOn = r.failOn as Severity;
  const th = obj(r.thresholds);
  for (const [k, v] of Object.entries(th)) {
    if (!(k in THRESHOLD_DEFAULTS)) throw new PolicyError(['thresholds', k], `unknown threshold ${k} (the names are those of shared/findings/thresholds.ts)`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PolicyError(['thresholds', k], 'must be a number ≥ 0');
    p.thresholds[k as ThresholdName] = v;
  }
  const allow = Array.isArray(r.allow) ? r.allow : [];
  allow.forEach((x, index) => {
    const a = obj(x);
    const out: Allowance = { index, reason: typeof a.reason === 'string' ? a.reason : '' };
    if (out.reason.trim() === '') throw new PolicyError(['allow', index, 'reason'], 'every allowance needs a reason');
    if (typeof a.kind === 'string') out.kind = a.kind as AllowKind;
    if (typeof a.subject === 'string') {
      try {
        new RegExp(a.subject);
      } catch (e) {
        throw new PolicyError(['allow', index, 'subject'], `not a regular expression: ${e instanceof Error ? e.message : String(e)}`);
      }
      out.subject = a.subject;
    }
    if (out.kind === undefined && out.subject === undefined) throw new PolicyError(['allow', index], 'an allowance names a kind, a subject, or both');
    if (typeof a.until === 'string') {
      if (!isCalendarDate(a.until)) throw new PolicyError(['allow', index, 'until'], `not a date YYYY-MM-DD: ${JSON.stringify(a.until)}`);
      out.until = a.until;
    }
    p.allow.push(out);
  });
  const b = obj(r.budgets);
  const budgets: Budgets = {};
  const heap = size(b.maxHeapInuse, ['budgets', 'maxHeapInuse']);
  if (heap !== undefined) budgets.maxHeapInuse = heap;
  if (typeof b.maxGoroutines === 'number') budgets.maxGoroutines = b.maxGoroutines;
  if (typeof b.maxGrowthPercent === 'number') budgets.maxGrowthPercent = b.maxGrowthPercent;
  p.budgets = budgets;
  const t = obj(r.baseline);
  if (typeof t.tolerancePercent === 'number') p.tolerance.percent = t.tolerancePercent;
  const minBytes = size(t.minBytes, ['baseline', 'minBytes']);
  if (minBytes !== undefined) p.tolerance.minBytes = minBytes;
  if (typeof t.minGoroutines === 'number') p.tolerance.minGoroutines = t.minGoroutines;
  return p;
}
