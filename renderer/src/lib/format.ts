/** Human units for profile values, percentages and item metadata. Pure; no DOM. */
import type { ValueType } from '../../../shared/api/types';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trim(n: number, digits: number): string {
  // 3 significant-ish digits: 1.23, 12.3, 123
  const abs = Math.abs(n);
  const d = abs >= 100 ? 0 : abs >= 10 ? Math.min(1, digits) : digits;
  return n.toFixed(d);
}

export function formatBytes(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  let i = 0;
  let x = v;
  // Step up while the value would print as 1024 or more of a unit (1 MiB − 1 B is "1.00 MiB").
  while (i < BYTE_UNITS.length - 1 && Math.abs(i === 0 ? x : Number(trim(x, 2))) >= 1024) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(x)} B` : `${trim(x, 2)} ${BYTE_UNITS[i]}`;
}

const NS_PER: Record<string, number> = { nanoseconds: 1, ns: 1, microseconds: 1e3, us: 1e3, milliseconds: 1e6, ms: 1e6, seconds: 1e9, s: 1e9 };

export function formatDurationNs(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${trim(ns / 1e3, 2)} µs`;
  if (a < 1e9) return `${trim(ns / 1e6, 2)} ms`;
  if (a < 60e9) return `${trim(ns / 1e9, 2)} s`;
  if (a < 3600e9) return `${trim(ns / 60e9, 1)} min`;
  return `${trim(ns / 3600e9, 1)} h`;
}

export function formatCount(v: number): string {
  const a = Math.abs(v);
  if (a < 1e4) return Number.isInteger(v) ? String(v) : v.toFixed(1);
  if (a < 1e6) return `${trim(v / 1e3, 1)}k`;
  if (a < 1e9) return `${trim(v / 1e6, 2)}M`;
  return `${trim(v / 1e9, 2)}G`;
}

/** Format a value in the unit of its sample type ("bytes", "nanoseconds", "count", …). */
export function formatValue(v: number, unit: string): string {
  const u = unit.toLowerCase();
  if (u === 'bytes' || u === 'byte') return formatBytes(v);
  if (u in NS_PER) return formatDurationNs(v * NS_PER[u]!);
  if (u === 'count' || u === '' || u === 'objects') return formatCount(v);
  return `${formatCount(v)} ${unit}`;
}

export function formatPercent(part: number, total: number): string {
  if (!total) return '–';
  const p = (100 * part) / total;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.01) return '<0.01%';
  return `${p.toFixed(p >= 99.995 ? 0 : 2)}%`;
}

/** "inuse_space (bytes)" */
export function sampleTypeLabel(t: ValueType): string {
  return t.unit ? `${t.type} (${t.unit})` : t.type;
}

export function formatSize(bytes: number): string {
  return formatBytes(bytes);
}

/** Nanoseconds-since-epoch decimal string → local date-time, or '' when absent. */
export function formatTimeNanos(ns: string | undefined): string {
  if (!ns) return '';
  const ms = Number(BigInt(ns) / 1_000_000n);
  if (!Number.isFinite(ms) || ms <= 0) return '';
  return new Date(ms).toLocaleString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
