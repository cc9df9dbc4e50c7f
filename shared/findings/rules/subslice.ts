/**
 * Sub-slices pinning big backing arrays: an array reached only through strings and slices that use
 * little of it (shared/findings/README.md states the rule and its thresholds). With the dump file
 * readable, the string and slice headers decide wherever they point; the binary's types say which
 * words are headers and what an element weighs; without them, headers are told by their shape, and
 * the runtime's look-alikes (a Swiss table's groups reference, a channel's buffer) are told apart.
 */
import { isStdlib } from '../../compare/goroutines';
import { dominatingRoots } from '../../compare/heapdiff';
import { ALLOC_HEADER_BYTES, contentOffsetAt, edgeOffsetAt, NONE, usesSwissMaps, type HeapAnalysis } from '../../heap';
import { fmtBytes, round3 } from '../format';
import { PINNED_HIGH_SHARE, PINNED_MAX_USED_SHARE, PINNED_MIN_ARRAY_BYTES, PINNED_MIN_PREFIX_SHARE, PINNED_MIN_WASTED_BYTES } from '../thresholds';
import type { Finding } from '../types';
import { programCaller, type DumpReader } from './heap';
import { dumpWord, readWord } from './words';

const NOT_SAMPLED = '(no allocation sample)';


interface PinGroup {
  holder: string;
  /** Allocation sites of the arrays that have a sample (heap dumps sample as MemProfileRate says). */
  sites: Map<string, { fn: string; arrays: number; wastedBytes: number; node: number }>;
  sampled: number;
  referrerSite: string | null;
  arrays: number;
  arrayBytes: number;
  usedBytes: number;
  wastedBytes: number;
  lengthsRead: boolean;
  offsets: number[];
  example: string;
}

/**
 * The end (in the array's value) of what the string or slice header at holder u's edge e uses of
 * the array it points into, or -1 when that word is no header or the header cannot be read. `p`:
 * the address the pointer must hold; `off`: its offset in the array's value of `valueSize` bytes.
 * With the binary's types the holder's field decides what the word is; without them a header is
 * recognised by its shape (a length, and a capacity when it is a slice's), except a Swiss map
 * table's groups reference and a channel's buffer pointer, whose next words read like a length.
 */
function headerEnd(a: HeapAnalysis, read: DumpReader, u: number, e: number, target: number, p: number, off: number, valueSize: number, ptr: number, bigEndian: boolean, swiss: boolean): number {
  const kind = a.pointerKind(u, e);
  if (kind === 'other') return -1;
  try {
    const holder = contentOffsetAt(a.graph, u - a.graph.firstObject);
    const at = edgeOffsetAt(a.graph, e);
    const b = read(holder + at, 3 * ptr);
    if (b.length < 2 * ptr || readWord(b, 0, ptr, bigEndian) !== p) return -1;
    const len = readWord(b, ptr, ptr, bigEndian);
    // An empty header pointing at the start says nothing (a next pointer followed by a zero word
    // reads the same): only a used length decides.
    if (off === 0 && len === 0) return -1;
    if (kind === null && swiss && isSwissGroupsReference(a, read, u, at, len, ptr, bigEndian)) return -1;
    if (kind === null && isChanBuffer(a, read, u, at, len, valueSize, ptr, bigEndian)) return -1;
    const cap = b.length >= 3 * ptr ? readWord(b, 2 * ptr, ptr, bigEndian) : -1;
    if (kind !== 'string' && cap >= 0 && len <= cap) {
      // A slice's length and capacity count elements: bytes only for []byte.
      const es = elementBytes(a, target, off, cap, valueSize);
      if (off + cap * es <= valueSize) return off + len * es; // slice header
    }
    if (kind !== 'slice' && off + len <= valueSize) return off + len; // string header
    return -1;
  } catch {
    return -1;
  }
}

/**
 * Bytes per element of the array a slice header with capacity `cap` points `off` bytes into: from
 * the array's Go type when the binary typed it; else the element size that capacity implies when it
 * is a usual one for pointer-free arrays (2, 4, 8 or 16 bytes: a []uint64 of 16384 fills its
 * 128 KiB), else 1 (a []byte, or a slice cut short with a third index).
 */
function elementBytes(a: HeapAnalysis, target: number, off: number, cap: number, valueSize: number): number {
  const typed = a.arrayElementSize(target);
  if (typed !== null) return typed;
  if (cap <= 0) return 1;
  const q = Math.floor((valueSize - off) / cap);
  return q === 2 || q === 4 || q === 8 || q === 16 ? q : 1;
}

/**
 * Whether holder u's word at `at` is a channel's buffer pointer (runtime.hchan, every Go version:
 * qcount, dataqsiz, buf, then elemsize uint16 and closed uint32, which read like a length): the
 * count is within the capacity and capacity × element size fills the buffer. A channel of pointers
 * that is empty has a buffer the dump shows no pointers in.
 */
function isChanBuffer(a: HeapAnalysis, read: DumpReader, u: number, at: number, sizeWord: number, valueSize: number, ptr: number, bigEndian: boolean): boolean {
  if (at !== 2 * ptr) return false;
  const elemsize = sizeWord % 65536;
  const closed = Math.floor(sizeWord / 2 ** 32);
  if (elemsize === 0 || (ptr === 8 && closed > 1) || (ptr === 8 && Math.floor(sizeWord / 65536) % 65536 !== 0)) return false;
  const head = read(contentOffsetAt(a.graph, u - a.graph.firstObject), 2 * ptr);
  if (head.length < 2 * ptr) return false;
  const qcount = readWord(head, 0, ptr, bigEndian);
  const dataqsiz = readWord(head, ptr, ptr, bigEndian);
  const bytes = dataqsiz * elemsize;
  return dataqsiz > 0 && qcount <= dataqsiz && bytes <= valueSize && bytes * 2 > valueSize;
}

/**
 * Whether holder u's word at `at` is the groups reference of a Swiss map table
 * (internal/runtime/maps.table: used, capacity uint16 at +2, growthLeft, localDepth, index int,
 * then groups {data, lengthMask}): the word after the pointer is the group count less one (a power
 * of two less one) and the table's capacity is 8 slots per group.
 */
function isSwissGroupsReference(a: HeapAnalysis, read: DumpReader, u: number, at: number, lengthMask: number, ptr: number, bigEndian: boolean): boolean {
  if (at !== 8 + ptr || lengthMask < 0 || lengthMask >= 0xffff / 8 || (lengthMask & (lengthMask + 1)) !== 0) return false;
  const head = read(contentOffsetAt(a.graph, u - a.graph.firstObject), 4);
  if (head.length < 4) return false;
  const capacity = bigEndian ? head[2]! * 256 + head[3]! : head[3]! * 256 + head[2]!;
  return capacity === (lengthMask + 1) * 8;
}

export function subslicePinning(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const g = a.graph;
  const F = g.firstObject;
  const N = g.objectCount;
  const summary = a.summary();
  const { ptr, bigEndian } = dumpWord(a);
  const swiss = usesSwissMaps(summary.goVersion);
  // Offsets below are into each array's Go value: after a Go 1.22+ allocation header (pointerful
  // objects of 513 B to 32 KiB begin with their type's address), where every pointer to it points.
  const headered = new Uint8Array(N);
  for (let k = 0; k < g.typedObjects.length; k++) headered[g.typedObjects[k]!] = 1;
  const hb = (i: number): number => (headered[i] ? ALLOC_HEADER_BYTES : 0);
  const hasStart = new Uint8Array(N);
  const minOff = new Float64Array(N).fill(Infinity);
  const ie = g.interiorEdges;
  const io = g.interiorOffsets;
  const fs = g.fwd.start;
  const ft = g.fwd.targets;
  const edgeOff = (k: { k: number }, e: number): number => {
    while (k.k < ie.length && ie[k.k]! < e) k.k++;
    return k.k < ie.length && ie[k.k] === e ? io[k.k]! : 0;
  };
  // Pass 1: per big object, is there a pointer to its value's start, and the smallest interior offset.
  {
    const k = { k: 0 };
    for (let e = fs[1]!; e < fs[g.nodeCount]!; e++) {
      const v = ft[e]!;
      if (v < F) continue;
      const i = v - F;
      if (g.size[i]! < PINNED_MIN_ARRAY_BYTES) continue;
      const off = edgeOff(k, e);
      if (off <= hb(i)) hasStart[i] = 1;
      else if (off - hb(i) < minOff[i]!) minOff[i] = off - hb(i);
    }
  }
  // Candidates: big reachable objects with interior pointers, and (when the dump can be read, so
  // the string/slice headers' lengths can decide) also those pointed at from their start: `s[:12]`
  // of a 100 KB string pins it as surely as `s[len(s)-12:]` does.
  const cand = new Uint8Array(N);
  let any = false;
  for (let i = 0; i < N; i++) {
    // A pointer to the start is judged only for pointer-free arrays (string bytes, []byte, the
    // only arrays the dump shows no pointers in): a pointerful object reached from its start is a
    // struct or list node, whatever the words after the pointer hold.
    const pointerFree = fs[F + i + 1] === fs[F + i];
    if ((minOff[i]! < Infinity || (read && hasStart[i] && pointerFree)) && a.idom[F + i] !== NONE) {
      cand[i] = 1;
      any = true;
    }
  }
  if (!any) return [];
  // Pass 2: the used span of each candidate from the slice and string headers pointing into it.
  const usedEnd = new Float64Array(N);
  const unknown = new Uint8Array(N);
  const firstRef = new Int32Array(N).fill(-1);
  {
    const k = { k: 0 };
    for (let u = 1; u < g.nodeCount; u++) {
      for (let e = fs[u]!; e < fs[u + 1]!; e++) {
        const v = ft[e]!;
        if (v < F || !cand[v - F]) continue;
        const i = v - F;
        const raw = edgeOff(k, e);
        if (firstRef[i]! < 0) firstRef[i] = u;
        const end = read && u >= F ? headerEnd(a, read, u, e, v, g.address[i]! + raw, Math.max(0, raw - hb(i)), g.size[i]! - hb(i), ptr, bigEndian, swiss) : -1;
        if (end < 0) unknown[i] = 1;
        else if (end > usedEnd[i]!) usedEnd[i] = end;
      }
    }
  }
  const held = dominatingRoots(a);
  const groups = new Map<string, PinGroup>();
  for (let i = 0; i < N; i++) {
    if (!cand[i]) continue;
    const size = g.size[i]!;
    const valueSize = size - hb(i);
    const start = hasStart[i] ? 0 : minOff[i]!;
    let used: number;
    if (unknown[i]) {
      // A reference whose header could not be read (or is no slice or string): only interior
      // pointers can still tell (the bytes before the first one are unreachable for Go code); a
      // plain pointer to the start may use the whole array.
      if (hasStart[i]) continue;
      if (start < PINNED_MIN_PREFIX_SHARE * valueSize) continue;
      used = valueSize - start;
    } else {
      used = Math.max(0, usedEnd[i]! - start);
      if (used > PINNED_MAX_USED_SHARE * valueSize) continue;
    }
    const wasted = size - used;
    const u = firstRef[i]!;
    const r = u >= 1 && u <= g.rootCount ? u : held[u]!;
    const holder = r >= 1 && r <= g.rootCount ? g.roots[r - 1]!.name : '(several roots)';
    // One finding per holder: the fix is there. The arrays' sites are told by those sampled (most
    // big arrays have no allocation sample in a heap dump, yet are the same arrays).
    // Arrays no one root holds are kept apart by site: "(several roots)" is no one place to fix.
    const key = r >= 1 && r <= g.rootCount ? holder : `${holder}\u0000${a.allocSiteLabel(F + i) ?? ''}`;
    let pg = groups.get(key);
    if (!pg) {
      pg = {
        holder,
        sites: new Map(),
        sampled: 0,
        referrerSite: u >= F ? a.allocSiteLabel(u) : null,
        arrays: 0,
        arrayBytes: 0,
        usedBytes: 0,
        wastedBytes: 0,
        lengthsRead: true,
        offsets: [],
        example: `0x${g.address[i]!.toString(16)}`,
      };
      groups.set(key, pg);
    }
    const sid = a.allocSiteId(F + i);
    if (sid >= 0) {
      const label = a.allocSiteLabel(F + i) ?? a.sites[sid]!.func;
      const site = pg.sites.get(label) ?? { fn: a.sites[sid]!.func, arrays: 0, wastedBytes: 0, node: F + i };
      site.arrays++;
      site.wastedBytes += wasted;
      pg.sites.set(label, site);
      pg.sampled++;
    }
    pg.arrays++;
    pg.arrayBytes += size;
    pg.usedBytes += used;
    pg.wastedBytes += wasted;
    if (unknown[i]) pg.lengthsRead = false;
    if (pg.offsets.length < 10) pg.offsets.push(start);
  }
  const out: Finding[] = [];
  for (const pg of groups.values()) {
    if (pg.wastedBytes < PINNED_MIN_WASTED_BYTES) continue;
    const share = summary.reachableBytes > 0 ? pg.wastedBytes / summary.reachableBytes : 0;
    const each = pg.arrays > 0 ? pg.arrayBytes / pg.arrays : 0;
    const usedEach = pg.arrays > 0 ? pg.usedBytes / pg.arrays : 0;
    const usedText = pg.lengthsRead ? `${fmtBytes(Math.round(usedEach))} sub-slices` : `pointers ${fmtBytes(Math.min(...pg.offsets))}+ into them (sub-slices)`;
    const sites = [...pg.sites.entries()].sort((x, y) => y[1].wastedBytes - x[1].wastedBytes || (x[0] < y[0] ? -1 : 1));
    const top = sites[0];
    const fn = top ? top[1].fn : '(unknown)';
    const others = sites.length - 1;
    // A standard library site (strings.(*Builder).Write) is named with the program's function
    // that called it, as the allocation stack of one of its arrays says.
    const caller = top && isStdlib(fn) ? programCaller(a.allocStack(top[1].node)) : null;
    const from = top ? ` from ${caller ? `${caller} via ${fn}` : fn}${others > 0 ? ` and ${others} other site${others === 1 ? '' : 's'}` : ''}${pg.sampled < pg.arrays ? ` (${pg.sampled} sampled)` : ''}` : '';
    const title = `${pg.arrays} × ${fmtBytes(Math.round(each))} arrays${from} are kept alive by ${usedText} held by ${pg.holder}: ${fmtBytes(pg.wastedBytes)} pinned for nothing`;
    const evidence: Finding['evidence'] = {
      arrays: pg.arrays,
      arrayBytes: pg.arrayBytes,
      usedBytes: pg.usedBytes,
      wastedBytes: pg.wastedBytes,
      wastedShareOfReachable: round3(share),
      arraySite: top ? top[0] : NOT_SAMPLED,
      sampledArrays: pg.sampled,
      holder: pg.holder,
      pointerOffsets: pg.offsets,
      lengthsRead: pg.lengthsRead,
      exampleArray: pg.example,
    };
    if (others > 0) evidence.otherArraySites = sites.slice(1, 4).map(([label, x]) => `${label}: ${x.arrays} sampled, ${fmtBytes(x.wastedBytes)}`);
    if (caller) evidence.arraysCaller = caller;
    if (pg.referrerSite) evidence.referrerSite = pg.referrerSite;
    out.push({
      severity: share >= PINNED_HIGH_SHARE ? 'high' : 'medium',
      kind: 'subslice-pinning',
      title,
      subject: fn,
      evidence,
      link: top ? { view: 'heap', dump, allocSite: top[0], root: pg.holder } : { view: 'heap', dump, root: pg.holder },
      size: pg.wastedBytes,
      sources: [dump],
    });
  }
  return out;
}

/**
 * A root finding ("global map main.index holds 21 MiB") whose memory is mostly arrays pinned by the
 * sub-slices it holds says the same thing less well: the pinning finding, which says why it is big
 * and what to fix, takes its place (evidence `alsoFoundBy`, the root's type and retained bytes).
 * "Mostly": the waste is at least half of what the root alone keeps; otherwise both stay.
 */
export function foldPinnedHolders(rootFindings: Finding[], pinned: Finding[]): Finding[] {
  const byHolder = new Map<string, Finding>();
  for (const p of pinned) byHolder.set(String(p.evidence.holder), p);
  const out: Finding[] = [];
  for (const f of rootFindings) {
    const p = (f.kind === 'global-map' || f.kind === 'retained-by-root') && byHolder.get(f.subject);
    const retained = Number(f.evidence.retainedBytes);
    if (!p || !(retained > 0) || Number(p.evidence.wastedBytes) < 0.5 * retained) {
      out.push(f);
      continue;
    }
    p.evidence.alsoFoundBy = [...new Set([...(Array.isArray(p.evidence.alsoFoundBy) ? p.evidence.alsoFoundBy.map(String) : []), f.kind])];
    p.evidence.holderRetainedBytes = retained;
    if (f.evidence.rootType !== undefined) p.evidence.holderType = f.evidence.rootType;
    if (f.severity === 'high') p.severity = 'high';
  }
  return out;
}
