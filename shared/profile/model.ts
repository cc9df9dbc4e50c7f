/**
 * The canonical profile model: profile.proto's tables, linked by index instead of by id, stored in
 * typed arrays (struct-of-arrays). Every importer (protobuf, legacy text, goroutine dumps) produces
 * this; every analysis reads it. Immutable once built: analyses derive views, never mutate.
 *
 * Conventions
 * - Strings are indices into `strings` (index 0 is always "").
 * - 64-bit identities (ids, addresses, mapping bounds) are kept exact as (lo, hi) uint32 pairs in one
 *   Uint32Array of length 2n: element i is [2i] = low 32 bits, [2i+1] = high 32 bits.
 * - Sample values and numeric labels are float64 (exact below 2^53, like every JS number); times
 *   (time_nanos, duration_nanos) are bigint.
 * - Location/line/label lists are CSR: `xxxStart` has n+1 offsets into the flat arrays.
 */

export interface ValueTypeIdx {
  /** String index of the type (e.g. "inuse_space"). */
  type: number;
  /** String index of the unit (e.g. "bytes"). */
  unit: number;
}

/** Mapping flag bits (mapFlags). */
export const MAP_HAS_FUNCTIONS = 1;
export const MAP_HAS_FILENAMES = 2;
export const MAP_HAS_LINE_NUMBERS = 4;
export const MAP_HAS_INLINE_FRAMES = 8;

export interface Profile {
  strings: string[];
  sampleTypes: ValueTypeIdx[];
  /** String index of default_sample_type (0 = unset). */
  defaultSampleType: number;
  periodType: ValueTypeIdx | null;
  period: number;
  timeNanos: bigint;
  durationNanos: bigint;
  /** String indices. */
  comments: number[];
  /** String indices of drop_frames / keep_frames regexes (0 = unset). */
  dropFrames: number;
  keepFrames: number;
  docUrl: number;

  // Mappings
  mappingCount: number;
  mapId: Uint32Array; // 2n
  mapStart: Uint32Array; // 2n
  mapLimit: Uint32Array; // 2n
  mapOffset: Uint32Array; // 2n
  mapFile: Int32Array;
  mapBuildId: Int32Array;
  mapFlags: Uint8Array;

  // Functions
  functionCount: number;
  funcId: Uint32Array; // 2n
  funcName: Int32Array;
  funcSystemName: Int32Array;
  funcFilename: Int32Array;
  funcStartLine: Float64Array;

  // Locations
  locationCount: number;
  locId: Uint32Array; // 2n
  /** Mapping index, -1 = none. */
  locMapping: Int32Array;
  locAddress: Uint32Array; // 2n
  locIsFolded: Uint8Array;
  /** CSR into the line arrays; line[start] is the innermost inlined frame, the last is the caller. */
  locLineStart: Uint32Array; // n+1
  /** Function index, -1 = none. */
  lineFunc: Int32Array;
  lineLine: Float64Array;
  lineColumn: Float64Array;

  // Samples
  sampleCount: number;
  /** CSR into sampleLocs; leaf first. */
  sampleLocStart: Uint32Array; // n+1
  sampleLocs: Uint32Array; // location indices
  /** sampleCount * sampleTypes.length, row-major. */
  values: Float64Array;
  sampleLabelStart: Uint32Array; // n+1
  labelKey: Int32Array;
  /** String value index; 0 when the label is numeric. */
  labelStr: Int32Array;
  labelNum: Float64Array;
  labelNumUnit: Int32Array;

  /** Extra context from the importer (e.g. the runtime.MemStats block of a legacy heap profile). */
  metadata: Array<{ key: string; value: string }>;
}

/** Build a string-table interner (index 0 = ""). */
export class StringTable {
  readonly strings: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const TWO32 = 4294967296;

/** Unsigned 64-bit (lo, hi) at element i of a pair array, as bigint. */
export function u64Big(a: Uint32Array, i: number): bigint {
  const hi = a[2 * i + 1]!;
  const lo = a[2 * i]!;
  if (hi < 0x200000) return BigInt(hi * TWO32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Unsigned 64-bit pair as a decimal string (exact). */
export function u64String(a: Uint32Array, i: number): string {
  return u64Big(a, i).toString();
}

/** Unsigned 64-bit pair as a number (exact below 2^53). */
export function u64Num(a: Uint32Array, i: number): number {
  return a[2 * i + 1]! * TWO32 + a[2 * i]!;
}

/** Unsigned 64-bit pair as 16 lowercase hex digits (Go's %016x). */
export function u64Hex16(a: Uint32Array, i: number): string {
  return a[2 * i + 1]!.toString(16).padStart(8, '0') + a[2 * i]!.toString(16).padStart(8, '0');
}

export function u64IsZero(a: Uint32Array, i: number): boolean {
  return a[2 * i] === 0 && a[2 * i + 1] === 0;
}

export function setU64(a: Uint32Array, i: number, v: bigint | number): void {
  if (typeof v === 'number') {
    a[2 * i] = v % TWO32;
    a[2 * i + 1] = Math.floor(v / TWO32);
  } else {
    const x = BigInt.asUintN(64, v);
    a[2 * i] = Number(x & 0xffffffffn);
    a[2 * i + 1] = Number(x >> 32n);
  }
}

/** Sample type names of a profile, resolved. */
export function sampleTypeNames(p: Profile): Array<{ type: string; unit: string }> {
  return p.sampleTypes.map((t) => ({ type: p.strings[t.type] ?? '', unit: p.strings[t.unit] ?? '' }));
}

/** pprof's rule: default_sample_type if it names a sample type, else the last one. */
export function defaultSampleIndex(p: Profile): number {
  if (p.defaultSampleType !== 0) {
    const want = p.strings[p.defaultSampleType];
    for (let i = 0; i < p.sampleTypes.length; i++) if (p.strings[p.sampleTypes[i]!.type] === want) return i;
  }
  return Math.max(0, p.sampleTypes.length - 1);
}

/** An empty profile with the given sample types (used by builders). */
export function emptyProfile(): Profile {
  return {
    strings: [''],
    sampleTypes: [],
    defaultSampleType: 0,
    periodType: null,
    period: 0,
    timeNanos: 0n,
    durationNanos: 0n,
    comments: [],
    dropFrames: 0,
    keepFrames: 0,
    docUrl: 0,
    mappingCount: 0,
    mapId: new Uint32Array(0),
    mapStart: new Uint32Array(0),
    mapLimit: new Uint32Array(0),
    mapOffset: new Uint32Array(0),
    mapFile: new Int32Array(0),
    mapBuildId: new Int32Array(0),
    mapFlags: new Uint8Array(0),
    functionCount: 0,
    funcId: new Uint32Array(0),
    funcName: new Int32Array(0),
    funcSystemName: new Int32Array(0),
    funcFilename: new Int32Array(0),
    funcStartLine: new Float64Array(0),
    locationCount: 0,
    locId: new Uint32Array(0),
    locMapping: new Int32Array(0),
    locAddress: new Uint32Array(0),
    locIsFolded: new Uint8Array(0),
    locLineStart: new Uint32Array(1),
    lineFunc: new Int32Array(0),
    lineLine: new Float64Array(0),
    lineColumn: new Float64Array(0),
    sampleCount: 0,
    sampleLocStart: new Uint32Array(1),
    sampleLocs: new Uint32Array(0),
    values: new Float64Array(0),
    sampleLabelStart: new Uint32Array(1),
    labelKey: new Int32Array(0),
    labelStr: new Int32Array(0),
    labelNum: new Float64Array(0),
    labelNumUnit: new Int32Array(0),
    metadata: [],
  };
}
