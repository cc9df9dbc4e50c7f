/**
 * Y axes for the charts (pure): round tick values in the value's unit (steps of 1024^k for bytes).
 */

/** "Nice" tick values from 0 to at least `max`: steps of 1, 2, 2.5 or 5 × 10^n (of 1024^k for bytes). */
export function niceTicks(max: number, unit: string, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const bytes = unit.toLowerCase() === 'bytes';
  const scale = bytes ? 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024))) : 1;
  const m = max / scale;
  const raw = m / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((x) => x * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; v < m + step * 0.999; v += step) out.push(v * scale);
  if (out.length < 2) out.push(step * scale);
  return out;
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * A y-axis for the values: round ticks (in KiB/MiB/GiB steps for bytes), two or three intervals,
 * starting at 0 or above. A flat series gets a band around its value.
 */
export function yAxis(values: number[], bytes: boolean): { lo: number; hi: number; ticks: number[] } {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const d = Math.max(Math.abs(lo) * 0.05, 1);
    lo = Math.max(0, lo - d);
    hi += d;
  }
  const scale = bytes && hi >= 1024 ? 1024 ** Math.floor(Math.log(hi) / Math.log(1024)) : 1;
  let step = niceStep((hi - lo) / scale / 2) * scale;
  if (!bytes) step = Math.max(step, 1);
  const a = Math.max(0, Math.floor(lo / step) * step);
  const b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = a; v <= b + step / 2 && ticks.length < 8; v += step) ticks.push(v);
  return { lo: a, hi: ticks[ticks.length - 1]! > a ? ticks[ticks.length - 1]! : a + step, ticks };
}
