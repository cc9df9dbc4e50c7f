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

/**
 * A point in a program's run, in seconds since it started (gctrace's `@t`, ms resolution), read as
 * a clock is: "120 ms", "4.5 s", "45 s", "12 min 5 s", "2 h 3 min". A measured duration is
 * formatDurationNs's ("12.1 min").
 */
export function formatElapsed(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${+s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 >= 1 ? ` ${Math.floor(s % 60)} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
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
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/**
 * A number with its digits grouped by thousands and at most 3 decimals ("430,000", "1,234.5"):
 * what `toLocaleString('en-US')` prints, in every locale, like the app's other numbers (bytes,
 * durations and percentages are written with `toFixed`, as the CLI and pprof write them).
 *
 * Not `toLocaleString()`: the first Intl call of a page loads ICU's locale data, 16–35 ms on these
 * machines, and a count in the first render (the flame graph's hidden-frames note) put that
 * in front of a fresh page's first flame graph. Tested against `Intl.NumberFormat('en-US')`.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return v !== v ? 'NaN' : v > 0 ? '∞' : '-∞';
  // Intl formats the shortest decimal that reads back as v (String(v)'s digits), rounded half away
  // from zero to 3 decimals: so do we, on that decimal string.
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(v)))!;
  let digits = m[1]! + (m[2] ?? '');
  let point = m[1]!.length + Number(m[3] ?? 0); // the decimal point's place in `digits`
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  digits = digits.padEnd(point + 4, '0');
  let kept = digits.slice(0, point + 3); // the integer part and 3 decimals
  if (digits.charCodeAt(point + 3) >= 53 /* '5' */) kept = (BigInt(kept) + 1n).toString().padStart(kept.length, '0');
  const int = kept.slice(0, kept.length - 3).replace(/^0+(?=\d)/, '');
  const frac = kept.slice(kept.length - 3).replace(/0+$/, '');
  let grouped = '';
  for (let i = int.length; i > 0; i -= 3) grouped = int.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  const out = frac ? `${grouped}.${frac}` : grouped;
  return v < 0 && out !== '0' ? `-${out}` : out;
}
