/** Formatting for the report viewer. Pure; no DOM. */
import type { EvidenceValue } from '../../shared/findings/types';
import { formatCount, formatPercent, formatValue } from '../src/lib/format';

/**
 * A finding's evidence is formatted by the app's own rows (renderer/src/findings/evidence.ts): one
 * formatter for the panel and the report. The raw value stays in each row's title.
 */
export { evidenceRows, type EvidenceRow } from '../src/findings/evidence';

export function rawEvidence(v: EvidenceValue | undefined): string {
  return v === undefined ? '' : Array.isArray(v) ? JSON.stringify(v) : String(v);
}

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
