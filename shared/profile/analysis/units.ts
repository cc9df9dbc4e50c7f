/**
 * Units as pprof's internal/measurement treats them: byte sizes, times and GCUs, with pprof's
 * auto-scaling, its "%.2f" labels and its percentage format. Used for the text table and for
 * numeric label filters ("128kb:512kb").
 */

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}
interface UnitType {
  units: Unit[];
  defaultUnit: Unit;
}

const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | null {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  for (const x of ut.units) if (x.aliases.includes(u)) return x;
  return null;
}

function autoScale(ut: UnitType, value: number): [number, string] | null {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) {
      f = u.factor;
      name = u.name;
    }
  }
  if (f === 0) return null;
  return [value / f, name];
}

/** measurement.Scale: converts value from one unit to another ("auto"/"minimum" pick a readable one). */
export function scaleValue(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scaleValue(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of UNIT_TYPES) {
    const from = sniffUnit(ut, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      const a = autoScale(ut, v);
      if (a) return a;
      return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    }
    const to = sniffUnit(ut, toUnit);
    if (!to) return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    return [v / to.factor, to.name];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/**
 * Go's fmt "%.Nf": rounds the exact binary value, a tie (the value exactly halfway, e.g. 78.125)
 * to even like strconv; JS toFixed rounds such ties away from zero.
 */
export function goFixed(v: number, digits: number): string {
  const up = v.toFixed(digits);
  if (!Number.isFinite(v)) return up;
  const exact = Math.abs(v).toFixed(Math.min(100, digits + 60));
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(rest)) return up;
  const down = (v < 0 ? '-' : '') + exact.slice(0, dot + 1 + digits).replace(/\.$/, '');
  const last = down.replace(/\./, '').slice(-1);
  return Number(last) % 2 === 0 ? down : up;
}

/** Go's fmt "%.2f". */
function fixed2(v: number): string {
  return goFixed(v, 2);
}

/** measurement.ScaledLabel. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scaleValue(value, fromUnit, toUnit);
  let sv = fixed2(v);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** Go's %5.2g for a non-negative ratio below 1. */
function g2(r: number): string {
  if (r === 0) return '0';
  let s = r.toPrecision(2);
  // %g drops trailing zeros and uses exponent form for exp < -4.
  const exp = Math.floor(Math.log10(Math.abs(Number(s))));
  const e0 = Math.floor(Math.log10(Math.abs(r)));
  if (exp >= -4 && e0 === exp && exp < 2) {
    // Two significant digits as fixed decimals, ties to even on the exact value like Go's %g
    // (toPrecision rounds ties up: 0.125 would print 0.13 where pprof prints 0.12).
    s = goFixed(r, 1 - exp);
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  } else if (exp < -4) {
    s = Number(s).toExponential(1).replace(/\.0e/, 'e').replace(/e-(\d)$/, 'e-0$1');
  } else if (s.includes('.')) {
    s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  return s;
}

/** measurement.Percentage. */
export function percentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1.0) return `${goFixed(ratio, 2).padStart(5)}%`;
  return `${g2(ratio).padStart(5)}%`;
}

const TAG_RANGE_RX = /([+-]?[0-9]+)([A-Za-z]+)?/g;

/**
 * pprof's parseTagFilterRange: "32kb", ":64kb", "4mb:", "12kb:64mb". Returns a predicate over
 * (value, unit) or null when the string is not a range (then it is a regex).
 */
export function parseTagFilterRange(filter: string): ((v: number, unit: string) => boolean) | null {
  TAG_RANGE_RX.lastIndex = 0;
  const ranges: RegExpExecArray[] = [];
  for (let m = TAG_RANGE_RX.exec(filter); m && ranges.length < 2; m = TAG_RANGE_RX.exec(filter)) ranges.push(m);
  if (ranges.length === 0) return null;
  const r0 = ranges[0]!;
  const v0 = Number.parseInt(r0[1]!, 10);
  const u0 = r0[2] ?? '';
  const [scaled, unit] = scaleValue(v0, u0, u0);
  if (ranges.length === 1) {
    const match = r0[0];
    if (filter === match) return (v, u) => eqScaled(v, u, unit, (sv) => sv === scaled);
    if (filter === match + ':') return (v, u) => eqScaled(v, u, unit, (sv) => sv >= scaled);
    if (filter === ':' + match) return (v, u) => eqScaled(v, u, unit, (sv) => sv <= scaled);
    return null;
  }
  const r1 = ranges[1]!;
  if (filter !== `${r0[0]}:${r1[0]}`) return null;
  const [scaled2, unit2] = scaleValue(Number.parseInt(r1[1]!, 10), r1[2] ?? '', unit);
  if (unit !== unit2) return null;
  return (v, u) => eqScaled(v, u, unit, (sv) => sv >= scaled && sv <= scaled2);
}

function eqScaled(v: number, u: string, unit: string, test: (sv: number) => boolean): boolean {
  const [sv, su] = scaleValue(v, u, unit);
  return su === unit && test(sv);
}
