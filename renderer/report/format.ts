/** Formatting for the report viewer. Pure; no DOM. */
import type { EvidenceValue, Finding, FindingKind } from '../../shared/findings/types';
import { formatBytes, formatCount, formatDurationNs, formatPercent, formatValue } from '../src/lib/format';
import { evidenceLabel, formatWaitMinutes } from '../../shared/findings/labels';

const COUNT_KINDS: ReadonlySet<FindingKind> = new Set(['goroutine-pileup', 'goroutines-blocked', 'http-body-not-closed']);

/** Whether an evidence number is a byte size. */
function isBytesKey(key: string, kind: FindingKind): boolean {
  if (/bytes$/i.test(key) || /Bytes(PerSecond|PerSnapshot|PerGc)$/.test(key)) return true;
  if ((key === 'values' || key === 'first' || key === 'last') && !COUNT_KINDS.has(kind)) return true;
  return false;
}

function rateSuffix(key: string): string {
  if (key.endsWith('PerSecond')) return '/s';
  if (key.endsWith('PerSnapshot')) return ' per snapshot';
  if (key.endsWith('PerGc')) return ' per GC';
  return '';
}

function num(key: string, v: number, kind: FindingKind): string {
  if (isBytesKey(key, kind)) return `${formatBytes(v)}${rateSuffix(key)}`;
  if (/share/i.test(key)) return formatPercent(v, 1);
  if (/minutes/i.test(key)) return formatWaitMinutes(v);
  if (key === 'seconds' || /Seconds$/.test(key)) return `${v.toLocaleString()} s`;
  if (/[a-z]Ns$/.test(key)) return formatDurationNs(v);
  if (key === 'r2' || /ratio/i.test(key)) return String(v);
  return Number.isInteger(v) ? v.toLocaleString() : String(v);
}

/** An evidence value as text (numbers in their unit); the raw value stays in the title. */
export function formatEvidence(key: string, v: EvidenceValue, f: Pick<Finding, 'kind'>): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return num(key, v, f.kind);
  if (v.length === 0) return '(none)';
  if (typeof v[0] === 'number') return (v as number[]).map((x) => num(key, x, f.kind)).join(' → ');
  return (v as string[]).join(', ');
}

export function rawEvidence(v: EvidenceValue): string {
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** The app's labels (shared/findings/labels.ts): no unit words, the value carries its unit. */
export { evidenceLabel };

export function signedValue(v: number, unit: string): string {
  const s = formatValue(v, unit);
  return v > 0 ? `+${s}` : s;
}

export function signedCount(v: number): string {
  return v > 0 ? `+${formatCount(v)}` : formatCount(v);
}

/** ns since the epoch (decimal string) → local date and time, '' when absent. */
export function formatNanosTime(ns: string | undefined): string {
  if (!ns) return '';
  try {
    const ms = Number(BigInt(ns) / 1_000_000n);
    if (!Number.isFinite(ms) || ms <= 0) return '';
    return new Date(ms).toLocaleString();
  } catch {
    return '';
  }
}

export function formatIsoTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatDurationNanos(ns: string | undefined): string {
  if (!ns) return '';
  const v = Number(ns);
  if (!Number.isFinite(v) || v <= 0) return '';
  if (v < 1e9) return `${(v / 1e6).toFixed(0)} ms`;
  if (v < 120e9) return `${(v / 1e9).toFixed(1)} s`;
  return `${(v / 60e9).toFixed(1)} min`;
}

export function fractionLabel(f: number): string {
  return formatPercent(f, 1);
}
