/**
 * The words of an upload's progress: bytes sent of the total, the rate over the last seconds and
 * the time left at that rate. Pure (no DOM), so it is unit-tested.
 */

/** Decimal units, as browsers and file managers show file sizes: 340 MB, 1.1 GB. */
export function formatSize(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let x = n;
  let i = -1;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x >= 100 ? Math.round(x) : x.toFixed(1)} ${units[i]}`;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ''}`.trim();
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** Bytes per second over a sliding window of samples (the last `windowMs`). */
export class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 5000) {}

  add(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Null until two samples at least 200 ms apart exist. */
  rate(): number | null {
    if (this.samples.length < 2) return null;
    const a = this.samples[0]!;
    const b = this.samples[this.samples.length - 1]!;
    const dt = b.t - a.t;
    if (dt < 200) return null;
    return ((b.bytes - a.bytes) * 1000) / dt;
  }
}

/** "Uploading big.dump: 340 MB of 1.1 GB · 85 MB/s · 9 s left". */
export function uploadLabel(name: string, sent: number, total: number, rate: number | null): string {
  const parts = [`Uploading ${name}: ${formatSize(sent)} of ${formatSize(total)}`];
  if (rate !== null && rate > 0) {
    parts.push(`${formatSize(rate)}/s`);
    const eta = formatEta((total - sent) / rate);
    if (eta) parts.push(`${eta} left`);
  }
  return parts.join(' · ');
}
