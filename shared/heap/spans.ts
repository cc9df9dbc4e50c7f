/**
 * What the Go runtime that wrote a heap dump did with the ends of its small-object spans, read off the
 * dump's build version (runtime.Version(): `go1.26.8`, `go1.26.8-X:nogreenteagc` (a space before `X:` when the version already holds a `-`, and in releases before go.dev/issue/75953), `devel go1.27-…`).
 *
 * From Go 1.22 (allocation headers) a span of small pointerful objects (element size ≤ ptrSize ×
 * ptrSize × 8: 512 B on 64-bit) keeps its pointer bitmap in its last bytes (8192 / ptrSize / 8 = 128 B
 * on 64-bit); with the Green Tea GC (1.26 default, 1.25 `X:greenteagc`) every span of element size
 * 16..512 B also keeps 128 B of inline mark bits there, pointerful or not. The span then holds fewer
 * objects (`nelems`) than fit in its page, but `dumpobjs` (runtime/heapdump.go) walks every slot
 * that fits and checks the free bits of the first `nelems` only: the slots over the reserved tail are
 * written as objects. They are not objects: `isSpanTail` recognises them.
 *
 * Spans of these sizes are always one 8 KiB page (size classes ≤ 512 B, identical from 1.19 to 1.27),
 * so the span is the page the slot lies in. Pointerful ("scan") spans are told apart from noscan ones
 * by the field lists: the dumper lists the pointer slots of every object of a scan span (from its
 * heap bits), never any of a noscan span, and every in-use span still holds an allocated object.
 */

export const PAGE_SIZE = 8192;

/** Size classes up to 512 B (runtime sizeclasses.go, the same in Go 1.19 through 1.27). */
const SMALL_CLASSES = [8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512];
const IS_SMALL_CLASS = new Set(SMALL_CLASSES);

/** Size of runtime.spanInlineMarkBits (scans [63]uint8, owned uint8, marks [63]uint8, class uint8). */
export const INLINE_MARK_BYTES = 128;

export interface GoVersionInfo {
  /** Minor version (26 for go1.26.8); the newest known for devel builds; 0 when unknown. */
  minor: number;
  devel: boolean;
  /** GOEXPERIMENT flags that differ from the version's defaults (`X:nogreenteagc,…`). */
  experiments: string[];
}

/** The newest Go this engine knows the layouts of; devel builds are taken as this or later. */
export const NEWEST_KNOWN_MINOR = 27;

export function parseGoVersion(v: string): GoVersionInfo {
  const s = v.trim();
  const experiments: string[] = [];
  const x = /(?:^|[\s-])X:([^\s]+)/.exec(s);
  if (x) for (const e of x[1].split(',')) if (e) experiments.push(e);
  if (s.startsWith('devel')) {
    const m = /\bgo1\.(\d+)/.exec(s);
    return { minor: m ? Number(m[1]) : NEWEST_KNOWN_MINOR, devel: true, experiments };
  }
  const m = /^go1(?:\.(\d+))?/.exec(s);
  if (!m) return { minor: 0, devel: false, experiments };
  return { minor: m[1] === undefined ? 0 : Number(m[1]), devel: false, experiments };
}

export interface SpanLayout {
  /** Allocation headers: pointerful objects > headerMin (and ≤ 32 KiB) start with their type's address. */
  headers: boolean;
  /** Largest element size whose spans keep heap bits in the span (ptrSize × ptrSize × 8). */
  heapBitsMax: number;
  /** Bytes the heap bitmap takes at the end of a scan span (8192 / ptrSize / 8). */
  bitmapBytes: number;
  /** Green Tea inline mark bits at the end of spans of element size 16..heapBitsMax. */
  inlineMarks: boolean;
  ptrSize: number;
}

/** Largest small object (size classes above it are large objects: no header, type kept in the span). */
export const MAX_SMALL_SIZE = 32768;

function experimentOn(info: GoVersionInfo, name: string, byDefault: boolean): boolean {
  if (info.experiments.includes(name)) return true;
  if (info.experiments.includes('no' + name)) return false;
  return byDefault;
}

/**
 * Whether the runtime that wrote the dump keeps maps as Swiss tables (internal/runtime/maps): the
 * default from Go 1.24 (GOEXPERIMENT=noswissmap turned it off in 1.24 and 1.25), the only maps
 * from 1.26. An unknown version is taken as the newest.
 */
export function usesSwissMaps(goVersion: string): boolean {
  const info = parseGoVersion(goVersion);
  const minor = info.minor === 0 ? NEWEST_KNOWN_MINOR : info.minor;
  return minor >= 26 || (minor >= 24 && experimentOn(info, 'swissmap', true));
}

/**
 * The span layout of the runtime that wrote the dump. A version this cannot read (every real dump
 * names one) is taken as the newest layout.
 */
export function spanLayout(goVersion: string, ptrSize: number): SpanLayout {
  const info = parseGoVersion(goVersion);
  const minor = info.minor === 0 ? NEWEST_KNOWN_MINOR : info.minor;
  // allocheaders: default in 1.22 (X:noallocheaders turns it off), always from 1.23.
  const headers = minor >= 23 || (minor === 22 && experimentOn(info, 'allocheaders', true));
  // greenteagc: experiment in 1.25 (off), default from 1.26.
  const inlineMarks = headers && ((minor >= 26 && experimentOn(info, 'greenteagc', true)) || (minor === 25 && experimentOn(info, 'greenteagc', false)));
  return { headers, heapBitsMax: ptrSize * ptrSize * 8, bitmapBytes: PAGE_SIZE / ptrSize / 8, inlineMarks, ptrSize };
}

/** Bytes reserved at the end of a one-page span of element size `size` (0: none). */
export function spanTailBytes(layout: SpanLayout, size: number, scan: boolean): number {
  if (!layout.headers || size > layout.heapBitsMax) return 0;
  let r = 0;
  if (layout.inlineMarks && size >= 16) r += INLINE_MARK_BYTES;
  if (scan) r += layout.bitmapBytes;
  return r;
}

/** True when `size` is a small size class whose spans may have a reserved tail under this layout. */
export function mayHaveTail(layout: SpanLayout, size: number): boolean {
  return layout.headers && size <= layout.heapBitsMax && IS_SMALL_CLASS.has(size);
}

/**
 * True when the slot [address, address + size) lies over the span's reserved tail: it is not an
 * object (the slot index is at least the span's nelems). `scan`: whether the span holds pointerful
 * objects.
 */
export function isSpanTail(layout: SpanLayout, address: number, size: number, scan: boolean): boolean {
  if (!mayHaveTail(layout, size)) return false;
  const reserve = spanTailBytes(layout, size, scan);
  if (reserve === 0) return false;
  const off = address % PAGE_SIZE;
  if (off % size !== 0) return false; // not a slot of a span of this class
  const nelems = Math.floor((PAGE_SIZE - reserve) / size);
  return off / size >= nelems;
}

/** Whether objects of this size in a pointerful span start with an allocation header (type address). */
export function hasAllocHeader(layout: SpanLayout, size: number): boolean {
  return layout.headers && size > layout.heapBitsMax && size <= MAX_SMALL_SIZE;
}
