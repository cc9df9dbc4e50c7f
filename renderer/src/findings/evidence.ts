/**
 * A finding's evidence as a compact key/value list: labels for the engine's keys, values in human
 * units (bytes, percentages, minutes, per-snapshot series). Pure; strings stay strings (rendered as
 * text). The one formatter of evidence: the findings panel and the HTML report both show these rows.
 */
import type { EvidenceValue, Finding } from '../../../shared/findings/types';
import { formatBytes, formatCount, formatDurationNs, formatNumber } from '../lib/format';
import { evidenceLabel, formatWaitMinutes } from '../../../shared/findings/labels';

export interface EvidenceRow {
  key: string;
  label: string;
  /** One line, or several (a list). */
  value: string | string[];
  /** Per-snapshot numbers, for a sparkline. */
  series?: number[];
  mono?: boolean;
}


/** Keys the card already says (title / subject) or that only repeat another row. */
const SKIP = new Set(['function']);

const labelOf = evidenceLabel;

type Unit = 'bytes' | 'count';

function unitOf(f: Finding): Unit {
  const st = f.evidence.sampleType;
  if (typeof st === 'string') return /space|bytes/.test(st) ? 'bytes' : 'count';
  if (f.kind.startsWith('goroutine') || f.kind === 'http-body-not-closed') return 'count';
  return 'bytes';
}

function num(v: number, unit: Unit): string {
  return unit === 'bytes' ? formatBytes(v) : formatCount(v);
}

function pct(v: number): string {
  const p = Math.abs(v) <= 1 ? v * 100 : v;
  return `${p.toFixed(p >= 10 ? 0 : 1)}%`;
}

function signedNum(v: number, unit: Unit): string {
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${num(Math.abs(v), unit)}`;
}

/** Equal numbers compressed: "65536 × 6". */
function numberList(vs: number[], fmt: (v: number) => string): string {
  if (vs.length > 1 && vs.every((v) => v === vs[0])) return `${fmt(vs[0]!)} × ${vs.length}`;
  return vs.map(fmt).join(', ');
}

export function evidenceRows(f: Finding): EvidenceRow[] {
  const unit = unitOf(f);
  const out: EvidenceRow[] = [];
  for (const [key, v] of Object.entries(f.evidence) as Array<[string, EvidenceValue]>) {
    if (SKIP.has(key) && v === f.subject) continue;
    if (SKIP.has(key) && key === 'function' && typeof v === 'string' && f.title.includes(v)) continue;
    const label = labelOf(key);
    if (typeof v === 'boolean') {
      out.push({ key, label, value: v ? 'yes' : 'no' });
    } else if (typeof v === 'number') {
      let s: string;
      if (/share/i.test(key)) s = pct(v);
      else if (key === 'r2') s = v.toFixed(2);
      else if (key === 'seconds' || /Seconds$/.test(key)) s = `${formatNumber(v)} s`;
      else if (/[a-z]Ns$/.test(key)) s = formatDurationNs(v);
      else if (/minutes/i.test(key)) s = formatWaitMinutes(v);
      else if (/perSecond/i.test(key)) s = `${signedNum(v, /bytes/i.test(key) ? 'bytes' : unit)}/s`;
      else if (/perGc/i.test(key)) s = `${signedNum(v, /bytes/i.test(key) ? 'bytes' : unit)} per GC`;
      else if (/perSnapshot/i.test(key)) s = `${signedNum(v, /bytes/i.test(key) ? 'bytes' : unit)} / snapshot`;
      else if (/bytes/i.test(key)) s = /growth/i.test(key) ? signedNum(v, 'bytes') : formatBytes(v);
      else if (key === 'growth') s = signedNum(v, unit);
      else if ((key === 'first' || key === 'last') && f.kind.startsWith('growing')) s = num(v, unit);
      else s = formatNumber(v);
      out.push({ key, label, value: s });
    } else if (typeof v === 'string') {
      out.push({ key, label, value: v, mono: /^0x[0-9a-f]+$/i.test(v) || /\(.*:\d+\)$/.test(v) || /^[\w./*()[\]-]+\.[\w()*]+$/.test(v) });
    } else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      const vs = v as number[];
      const u: Unit = key === 'counts' ? 'count' : /bytes/i.test(key) || key === 'values' ? unit : 'count';
      // Goroutine ids are names, not quantities: listed as printed.
      if (key === 'goroutineIds' || key === 'creatorGoroutines') out.push({ key, label, value: vs.join(', '), mono: true });
      else if (key === 'values' || key === 'counts') out.push({ key, label, value: vs.map((x) => num(x, u)).join(' → '), series: vs });
      else if (/offsets/i.test(key)) out.push({ key, label, value: numberList(vs, (x) => `+0x${x.toString(16)}`), mono: true });
      else out.push({ key, label, value: numberList(vs, (x) => num(x, u)) });
    } else if (Array.isArray(v)) {
      const vs = (v as unknown[]).map(String);
      if (key === 'snapshots') out.push({ key, label, value: vs.join(' → ') });
      else out.push({ key, label, value: vs, mono: key === 'stack' });
    }
  }
  return out;
}

export const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export const KIND_LABEL: Record<Finding['kind'], string> = {
  'growing-alloc-site': 'Allocation site grows',
  'growing-root': 'GC root grows',
  'retained-by-root': 'Leak suspect',
  'global-map': 'Global map',
  'subslice-pinning': 'Sub-slice pins an array',
  'goroutine-pileup': 'Goroutines pile up',
  'goroutines-blocked': 'Goroutines blocked',
  'http-body-not-closed': 'HTTP bodies not closed',
  'file-not-closed': 'Files not closed',
  'ticker-not-stopped': 'Tickers not stopped',
  'timers-pending': 'Timers pending in the runtime',
  'context-not-cancelled': 'Contexts not cancelled',
  'sql-conn-leak': 'database/sql connections not released',
  'sparse-map': 'Map kept its storage',
  'live-heap-growth': 'Live heap grew',
  'leaked-goroutines': 'Leaked goroutines (proved by the Go runtime)',
};
