/** Byte and count formatting for explanations (shared/ has no locale-dependent helpers of its own). */

/** 1536 → "1.5 KiB", 100 → "100 B", -2048 → "-2 KiB". */
export function formatBytesPlain(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = Math.abs(v);
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  const s = u === 0 ? String(Math.round(x)) : (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.?0+$/, '');
  return `${v < 0 ? '-' : ''}${s} ${units[u]}`;
}

/** 12345 → "12,345". */
export function formatCountPlain(v: number): string {
  return String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
