/**
 * Comparing the inputs with a baseline set (for example the main branch's profiles from its last
 * run), without flakiness:
 * - each family (heap profiles, heap dumps, goroutine profiles/dumps, goroutines of heap dumps) is
 *   compared only with the same family of the baseline;
 * - when both series have as many snapshots, snapshot i is compared with baseline snapshot i (the same
 *   point of the same test run); otherwise every snapshot is compared with the baseline's largest value;
 * - a site counts as growing only when it is beyond the band in EVERY current snapshot;
 * - the band is max(tolerance percent × the baseline value, an absolute minimum): small absolute
 *   changes (heap profile sampling noise, a goroutine or two) are ignored;
 * - the tolerance is stated in words (`tolerance`) for every output.
 */
import type { FindingsInput } from '../findings';
import { fmtBytes } from '../findings';
import { FAMILY_UNIT, siteSeries, type SiteSnapshot } from './measure';
import type { BaselineFamily, BaselineFamilyResult, BaselineItem, BaselineResult, Tolerance } from './types';

export function toleranceText(t: Tolerance): string {
  return (
    `an allocation site or goroutine stack fails only when it exceeds the baseline by more than ` +
    `max(${t.percent}% of its baseline value, ${fmtBytes(t.minBytes)}) for memory, ` +
    `max(${t.percent}%, ${t.minGoroutines} goroutine${t.minGoroutines === 1 ? '' : 's'}) for goroutines, ` +
    `in every snapshot of the series (snapshot i against baseline snapshot i when both series have as many, else against the baseline's largest value)`
  );
}

/** The band around one baseline value. */
export function bandOf(base: number, unit: 'bytes' | 'goroutines', t: Tolerance): number {
  return Math.max((t.percent / 100) * base, unit === 'bytes' ? t.minBytes : t.minGoroutines);
}

/**
 * The core rule on plain series: per site, the reference of each current snapshot, the band, and
 * whether the site is beyond it in every snapshot.
 */
export function compareSeries(family: BaselineFamily, base: readonly SiteSnapshot[], cur: readonly SiteSnapshot[], t: Tolerance): { items: BaselineItem[]; pairing: 'pairwise' | 'max' } {
  const unit = FAMILY_UNIT[family];
  const pairwise = base.length === cur.length;
  const keys = new Set<string>();
  for (const s of cur) for (const k of s.values.keys()) keys.add(k);
  const items: BaselineItem[] = [];
  for (const k of keys) {
    const baseMax = Math.max(0, ...base.map((s) => s.values.get(k) ?? 0));
    const refs = cur.map((_, i) => (pairwise ? (base[i]!.values.get(k) ?? 0) : baseMax));
    const vals = cur.map((s) => s.values.get(k) ?? 0);
    const band = refs.map((r) => bandOf(r, unit, t));
    let beyond = 0;
    let growth = Infinity;
    for (let i = 0; i < vals.length; i++) {
      const d = vals[i]! - refs[i]!;
      if (d > band[i]!) beyond++;
      growth = Math.min(growth, d);
    }
    if (beyond === 0) continue;
    const label = cur.map((s) => s.labels.get(k)).find((l) => l !== undefined) ?? { subject: k };
    const item: BaselineItem = { family, subject: label.subject, unit, baseline: refs, current: vals, band, growth, growing: beyond === vals.length, beyond };
    if (label.stack) item.stack = label.stack;
    items.push(item);
  }
  items.sort((a, b) => b.growth - a.growth || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return { items, pairing: pairwise ? 'pairwise' : 'max' };
}

const MAX_NOISY = 20;

export function compareWithBaseline(baseline: readonly FindingsInput[], current: readonly FindingsInput[], t: Tolerance): BaselineResult {
  const b = siteSeries(baseline);
  const c = siteSeries(current);
  const families: BaselineFamilyResult[] = [];
  const growing: BaselineItem[] = [];
  const noisy: BaselineItem[] = [];
  const notes: string[] = [];
  for (const [family, cur] of c) {
    const base = b.get(family);
    if (!base || base.length === 0) {
      notes.push(`${family}: not in the baseline; not compared`);
      continue;
    }
    const r = compareSeries(family, base, cur, t);
    families.push({
      family,
      baseline: base.map((s) => s.name),
      current: cur.map((s) => s.name),
      pairing: r.pairing,
      baselineTotals: base.map((s) => s.total),
      currentTotals: cur.map((s) => s.total),
    });
    for (const it of r.items) (it.growing ? growing : noisy).push(it);
  }
  for (const family of b.keys()) if (!c.has(family)) notes.push(`${family}: only in the baseline; not compared`);
  noisy.sort((x, y) => y.beyond / y.current.length - x.beyond / x.current.length || y.growth - x.growth);
  if (noisy.length > MAX_NOISY) notes.push(`${noisy.length} sites beyond the band in some snapshots but not all (noise, ignored); the first ${MAX_NOISY} are listed`);
  return { tolerance: toleranceText(t), families, growing, noisy: noisy.slice(0, MAX_NOISY), notes };
}

/**
 * Heap in use over the baseline's, percent, that held in every current snapshot (the lowest); null
 * when no memory family was compared.
 */
export function heapGrowthPercent(r: BaselineResult): { percent: number; family: BaselineFamily } | null {
  const f = r.families.find((x) => x.family === 'heap profiles') ?? r.families.find((x) => x.family === 'heap dumps');
  if (!f) return null;
  const pairwise = f.pairing === 'pairwise';
  const baseMax = Math.max(...f.baselineTotals);
  let low = Infinity;
  f.currentTotals.forEach((v, i) => {
    const ref = pairwise ? f.baselineTotals[i]! : baseMax;
    const pct = ref > 0 ? ((v - ref) / ref) * 100 : v > 0 ? Infinity : 0;
    low = Math.min(low, pct);
  });
  return { percent: low, family: f.family };
}
