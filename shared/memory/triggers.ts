/**
 * Watch triggers: `heap>512MiB` (a threshold) or `goroutines>+50%` (growth since the start of the
 * series; a restart starts a new series). A trigger fires once when its condition becomes true and
 * re-arms only after it has been false again, so a heap that stays above 512 MiB fires once.
 *
 * Metrics: heap (HeapInuse), live (the live heap: the gc=1 heap profile's inuse_space, else
 * HeapAlloc), goroutines, sys (Sys).
 */
import { HeapscopeError } from '../errors';
import { formatBytesPlain, formatCountPlain } from './format';

export const TRIGGER_METRICS = ['heap', 'live', 'goroutines', 'sys'] as const;
export type TriggerMetric = (typeof TRIGGER_METRICS)[number];

export interface TriggerSpec {
  /** As the user wrote it (normalised: no spaces), e.g. "heap>512MiB". */
  text: string;
  metric: TriggerMetric;
  /** above: value > threshold; growth: value > start × (1 + percent/100). */
  kind: 'above' | 'growth';
  /** Bytes or a count for `above`; percent for `growth`. */
  value: number;
}

const SIZE: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

function bad(message: string): HeapscopeError {
  return new HeapscopeError({ code: 'BAD_REQUEST', message });
}

/** Parse `METRIC>VALUE` (VALUE: 512MiB, 1e3, 1000) or `METRIC>+N%`. Throws BAD_REQUEST with a sentence. */
export function parseTrigger(input: string): TriggerSpec {
  const s = String(input).replace(/\s+/g, '');
  const m = /^([a-z]+)>(\+?)(\d+(?:\.\d+)?)([a-z%]*)$/i.exec(s);
  const usage = `a trigger looks like heap>512MiB or goroutines>+50% (metrics: ${TRIGGER_METRICS.join(', ')}), not ${JSON.stringify(String(input).slice(0, 60))}`;
  if (!m) throw bad(usage);
  const metric = m[1]!.toLowerCase() as TriggerMetric;
  if (!TRIGGER_METRICS.includes(metric)) throw bad(usage);
  const plus = m[2] === '+';
  const num = Number(m[3]);
  const unit = m[4]!.toLowerCase();
  if (plus || unit === '%') {
    if (!(plus && unit === '%')) throw bad(`growth triggers take +N%, e.g. ${metric}>+50%; not ${JSON.stringify(s)}`);
    if (!(num > 0)) throw bad('a growth trigger needs more than +0%');
    return { text: `${metric}>+${m[3]}%`, metric, kind: 'growth', value: num };
  }
  if (metric === 'goroutines') {
    if (unit !== '') throw bad(`goroutines are counted, not sized: goroutines>1000, not ${JSON.stringify(s)}`);
    return { text: s, metric, kind: 'above', value: num };
  }
  const mult = SIZE[unit];
  if (mult === undefined) throw bad(`unknown size unit ${JSON.stringify(m[4])} in ${JSON.stringify(s)} (use B, KiB, MiB, GiB)`);
  return { text: `${metric}>${m[3]}${m[4]}`, metric, kind: 'above', value: Math.round(num * mult) };
}

export type TriggerValues = Record<TriggerMetric, number | null>;

export interface TriggerFire {
  trigger: TriggerSpec;
  value: number;
  /** The threshold crossed (bytes or count). */
  threshold: number;
  message: string;
}

/** Evaluates triggers tick after tick: baselines (first value of the series) and armed state. */
export class TriggerState {
  private baseline: Partial<Record<TriggerMetric, number>> = {};
  private armed: boolean[];

  constructor(readonly triggers: readonly TriggerSpec[]) {
    this.armed = triggers.map(() => true);
  }

  /** A restart: growth is measured from the new series' first values; every trigger re-arms. */
  reset(): void {
    this.baseline = {};
    this.armed = this.triggers.map(() => true);
  }

  /** The triggers that fire on these values (each at most once per crossing). */
  evaluate(values: TriggerValues): TriggerFire[] {
    for (const k of TRIGGER_METRICS) if (this.baseline[k] === undefined && values[k] !== null) this.baseline[k] = values[k]!;
    const out: TriggerFire[] = [];
    this.triggers.forEach((t, i) => {
      const v = values[t.metric];
      if (v === null) return;
      const base = this.baseline[t.metric]!;
      const threshold = t.kind === 'above' ? t.value : base * (1 + t.value / 100);
      const on = v > threshold;
      if (on && this.armed[i]) {
        this.armed[i] = false;
        const fmt = (x: number) => (t.metric === 'goroutines' ? formatCountPlain(x) : formatBytesPlain(x));
        const why = t.kind === 'above' ? `above ${fmt(threshold)}` : `+${(((v - base) / Math.max(base, 1)) * 100).toFixed(0)}% since the start (${fmt(base)}), over +${t.value}%`;
        out.push({ trigger: t, value: v, threshold, message: `${t.text}: ${t.metric} is ${fmt(v)}, ${why}` });
      } else if (!on) this.armed[i] = true;
    });
    return out;
  }
}
