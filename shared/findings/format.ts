/** Number formatting for finding titles (the evidence keeps raw numbers). */

export function fmtBytes(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a < 1024) return `${sign}${a} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = a / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const s = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
  return `${sign}${s} ${units[u]}`;
}

export function fmtPct(share: number): string {
  const p = share * 100;
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${p.toFixed(1).replace(/\.0$/, '')}%`;
  return `${p.toFixed(2).replace(/\.?0+$/, '')}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Rounds to 3 decimals (shares and slopes in the evidence). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function fmtMinutes(m: number): string {
  if (m < 1) return `${Math.round(m * 60)} s`;
  if (m < 120) return `${Math.round(m)} min`;
  return `${(m / 60).toFixed(1).replace(/\.0$/, '')} h`;
}
