/** Small formatting helpers for capture messages (English, stable: tests assert these texts). */

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 1073741824 → "1 GiB", 1536 → "1.5 KiB", 100 → "100 bytes". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${formatCount(v)} ${v === 1 ? 'byte' : 'bytes'}`;
  const s = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${s.replace(/\.?0+$/, '')} ${units[u]}`;
}

/** 300 → "0.3 s", 10000 → "10 s", 1250 → "1.25 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  const t = s >= 100 ? s.toFixed(0) : s.toFixed(3).replace(/\.?0+$/, '');
  return `${t} s`;
}

/** Text from a remote peer made safe to put in one line of a message: no control characters, bounded. */
export function sanitizeRemoteText(s: string, max = 200): string {
  const clean = s
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** 2026-11-22T15:30:12.345Z → "20261122T153012Z". */
export function compactTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}
