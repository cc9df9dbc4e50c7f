/**
 * The fast path of the profile.proto decoder, for the profiles Go and the common writers produce:
 * one-byte field tags, only the fields profile.proto defines, ids below 2^32 and not much above
 * the table sizes (Go numbers them 1..n). It exists for the cold process: `heapscope top` decodes
 * one profile and exits, and the numeric tables are decoded by an asm.js module (asm.ts), which V8
 * compiles up front instead of interpreting the decoder while its optimised code is being built.
 *
 * It never reports an error: for any input it does not take, or that the reference decoder
 * (decode.ts) would reject, it returns null and the caller runs the reference, which then gives
 * its exact answer or error. On an input it takes, the Profile is identical to the reference
 * decoder's (test/unit/profile/proto-fast.test.ts: every fixture, random profiles, mutations).
 *
 * Memory: the protobuf bytes are copied into the module's heap, followed by the decoded tables;
 * those are copied out into the Profile's own arrays. Untouched pages of the heap cost nothing.
 * Inputs over FAST_MAX_INPUT go to the reference decoder (no copy; V8 has time to optimise it).
 */
import { pprofDisplayName } from '../names';
import type { TaskContext } from '../../task';
import { emptyProfile, type Profile } from '../model';
import { protoAsmModule, type ProtoAsm } from './asm';
import { decodeStringTable } from './strings';

/** Slot numbers of asm.ts (int32 slots of the heap's slots area). */
const enum SLOT {
  // counts (count())
  nSampleTypes = 0,
  nSamples = 1,
  nMappings = 2,
  nLocations = 3,
  nFunctions = 4,
  nStrings = 5,
  nComments = 6,
  locIdSlots = 7,
  nLabels = 8,
  nLines = 9,
  sampleBytes = 10,
  // regions (byte offsets, written here)
  sampleTypes = 11,
  sampleRanges = 12,
  stringRanges = 13,
  comments = 14,
  mapId = 16,
  mapStart = 17,
  mapLimit = 18,
  mapOffset = 19,
  mapFile = 20,
  mapBuildId = 21,
  mapFlags = 22,
  locId = 23,
  locMapping = 24,
  locAddress = 25,
  locFolded = 26,
  locLineStart = 27,
  lineFunc = 28,
  lineLine = 29,
  funcId = 30,
  funcName = 31,
  funcSystemName = 32,
  funcFilename = 33,
  funcStartLine = 34,
  lineColumn = 35,
  mapIndex = 36,
  funcIndex = 37,
  locIndex = 38,
  stringHigh = 39,
  sampleLocs = 45,
  values = 46,
  sampleLocStart = 47,
  sampleLabelStart = 48,
  labelKey = 50,
  labelStr = 51,
  labelNum = 52,
  labelNumUnit = 53,
  // outputs
  nLabelsKept = 49,
  periodTypeSet = 56,
  periodType = 57,
  periodUnit = 58,
  scalars = 60, // (lo, hi) of drop_frames, keep_frames, time_nanos, duration_nanos, period, default_sample_type, doc_url
  count = 80,
}

const TWO32 = 4294967296;
const FOREIGN = { two32: TWO32, zero: 0 };
/** The largest heap used (offsets are int32 in the module). */
const MAX_HEAP = 1 << 30;
/**
 * The largest input taken. The heap holds a copy of the input beside the decoded tables, which are
 * then copied out: on an 87 MB profile that raised the peak by ~150 MB (523 → 675 MB in the speed
 * bench's tree row) for no gain in time, as a long decode is optimised early by V8 anyway.
 */
export const FAST_MAX_INPUT = 32 << 20;
/** Samples decoded between cancellation checks and progress reports. */
const SAMPLE_CHUNK = 4096;

/** A heap size asm.js accepts: a power of two from 64 KiB to 16 MiB, then multiples of 16 MiB. */
function heapSize(bytes: number): number {
  if (bytes <= 1 << 24) {
    let n = 1 << 16;
    while (n < bytes) n *= 2;
    return n;
  }
  return Math.ceil(bytes / (1 << 24)) * (1 << 24);
}

/** n rounded up to a multiple of 8 (plain arithmetic: a hostile input's layout may pass 2^31 before it is refused). */
const align8 = (n: number): number => Math.ceil(n / 8) * 8;

interface Heap {
  buf: ArrayBuffer;
  m: ProtoAsm;
  i32: Int32Array;
  slots: number;
}

function makeHeap(input: Uint8Array, size: number, slots: number): Heap | null {
  let buf: ArrayBuffer;
  try {
    buf = new ArrayBuffer(size);
  } catch {
    return null; // no memory for it: the reference decoder needs less
  }
  const mod = protoAsmModule();
  if (mod === null) return null;
  new Uint8Array(buf).set(input);
  const m = mod(globalThis, FOREIGN, buf);
  m.init(slots);
  return { buf, m, i32: new Int32Array(buf), slots };
}

/** (lo, hi) as a signed int64 number (PbReader.signed). */
function signed(lo: number, hi: number): number {
  lo >>>= 0;
  hi >>>= 0;
  if (hi < 0x80000000) return hi * TWO32 + lo;
  const nlo = (~lo + 1) >>> 0;
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
  return -(nhi * TWO32 + nlo);
}

function signedBig(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/**
 * Decodes an uncompressed profile.proto message on the fast path; null when the reference decoder
 * must decode it. Cancellation (task) propagates.
 */
export function decodeProfileProtoFast(input: Uint8Array, task: TaskContext): Profile | null {
  const len = input.length;
  if (len > FAST_MAX_INPUT) return null;
  const slots = align8(len);
  let at = slots + 4 * SLOT.count;
  if (at > MAX_HEAP) return null;
  // First guess: room for tables about six times the input; grown once if the counts need more.
  let h = makeHeap(input, heapSize(Math.min(MAX_HEAP, at + 6 * len + 4096)), slots);
  if (h === null || h.m.count(len) !== 0) return null;
  const counts = h.i32.slice(slots >> 2, (slots >> 2) + SLOT.count);
  const c = (k: SLOT): number => counts[k]!;
  const nST = c(SLOT.nSampleTypes);
  const nS = c(SLOT.nSamples);
  const nMap = c(SLOT.nMappings);
  const nLoc = c(SLOT.nLocations);
  const nFn = c(SLOT.nFunctions);
  const nStr = c(SLOT.nStrings);
  const nLines = c(SLOT.nLines);
  const nLabels = c(SLOT.nLabels);
  // The reference decoder's errors for these (the fast path leaves them to it).
  if (nStr === 0 && (nS > 0 || nST > 0 || nFn > 0)) return null;
  if (nST === 0 && nS > 0) return null;
  if (nS * nST > c(SLOT.sampleBytes)) return null;

  // Lay out the regions after the slots.
  const regions: Array<[SLOT, number]> = [
    [SLOT.sampleTypes, 8 * nST],
    [SLOT.sampleRanges, 8 * nS],
    [SLOT.stringRanges, 8 * nStr],
    [SLOT.stringHigh, 4 * nStr],
    [SLOT.comments, 4 * c(SLOT.nComments)],
    [SLOT.mapId, 8 * nMap],
    [SLOT.mapStart, 8 * nMap],
    [SLOT.mapLimit, 8 * nMap],
    [SLOT.mapOffset, 8 * nMap],
    [SLOT.mapFile, 4 * nMap],
    [SLOT.mapBuildId, 4 * nMap],
    [SLOT.mapFlags, 4 * nMap],
    [SLOT.locId, 8 * nLoc],
    [SLOT.locMapping, 8 * nLoc],
    [SLOT.locAddress, 8 * nLoc],
    [SLOT.locFolded, 4 * nLoc],
    [SLOT.locLineStart, 4 * (nLoc + 1)],
    [SLOT.lineFunc, 4 * nLines],
    [SLOT.lineLine, 8 * nLines],
    [SLOT.lineColumn, 8 * nLines],
    [SLOT.funcId, 8 * nFn],
    [SLOT.funcName, 4 * nFn],
    [SLOT.funcSystemName, 4 * nFn],
    [SLOT.funcFilename, 4 * nFn],
    [SLOT.funcStartLine, 8 * nFn],
    [SLOT.mapIndex, 4 * (4 * nMap + 1025)],
    [SLOT.funcIndex, 4 * (4 * nFn + 1025)],
    [SLOT.locIndex, 4 * (4 * nLoc + 1025)],
    [SLOT.sampleLocs, 4 * c(SLOT.locIdSlots)],
    [SLOT.values, 8 * nS * nST],
    [SLOT.sampleLocStart, 4 * (nS + 1)],
    [SLOT.sampleLabelStart, 4 * (nS + 1)],
    [SLOT.labelKey, 4 * nLabels],
    [SLOT.labelStr, 4 * nLabels],
    [SLOT.labelNum, 8 * nLabels],
    [SLOT.labelNumUnit, 4 * nLabels],
  ];
  const offsets: Array<[SLOT, number]> = [];
  for (const [k, bytes] of regions) {
    offsets.push([k, at]);
    at = align8(at + bytes);
  }
  if (at > MAX_HEAP) return null;
  if (at > h.buf.byteLength) {
    h = makeHeap(input, heapSize(at), slots);
    if (h === null) return null;
    h.i32.set(counts, slots >> 2);
  }
  const heap = h.buf;
  const m = h.m;
  const i32 = h.i32;
  for (const [k, o] of offsets) i32[(slots >> 2) + k] = o;
  const off = (k: SLOT): number => i32[(slots >> 2) + k]!;
  const s = (k: SLOT): number => i32[(slots >> 2) + k]!;

  if (m.fill(len) !== 0) return null;
  task.throwIfCancelled();

  const p = emptyProfile();
  // Strings (from the input itself: the ranges are offsets into it).
  if (nStr > 0) {
    const ranges = new Int32Array(heap, off(SLOT.stringRanges), 2 * nStr);
    if (ranges[0] !== ranges[1]) return null; // strings[0] must be ""
    const strings = new Array<string>(nStr);
    decodeStringTable(input, ranges, nStr, strings, new Int32Array(heap, off(SLOT.stringHigh), nStr));
    p.strings = strings;
  }
  const strIdx = (x: number): number => (x >= 0 && x < p.strings.length ? x : -1);
  const scalar = (i: number): number => signed(s(SLOT.scalars + 2 * i), s(SLOT.scalars + 2 * i + 1));
  const dropFrames = strIdx(scalar(0));
  const keepFrames = strIdx(scalar(1));
  const defaultSampleType = strIdx(scalar(5));
  const docUrl = strIdx(scalar(6));
  if (dropFrames < 0 || keepFrames < 0 || defaultSampleType < 0 || docUrl < 0) return null;
  p.dropFrames = dropFrames;
  p.keepFrames = keepFrames;
  p.defaultSampleType = defaultSampleType;
  p.docUrl = docUrl;
  p.timeNanos = signedBig(s(SLOT.scalars + 4), s(SLOT.scalars + 5));
  p.durationNanos = signedBig(s(SLOT.scalars + 6), s(SLOT.scalars + 7));
  p.period = scalar(4);
  p.comments = Array.from(new Int32Array(heap, off(SLOT.comments), c(SLOT.nComments)));
  const st = new Int32Array(heap, off(SLOT.sampleTypes), 2 * nST);
  for (let i = 0; i < nST; i++) p.sampleTypes.push({ type: st[2 * i]!, unit: st[2 * i + 1]! });
  if (s(SLOT.periodTypeSet) === 1) p.periodType = { type: s(SLOT.periodType), unit: s(SLOT.periodUnit) };

  if (m.link() !== 0) return null;

  p.mappingCount = nMap;
  p.mapId = new Uint32Array(heap, off(SLOT.mapId), 2 * nMap).slice();
  p.mapStart = new Uint32Array(heap, off(SLOT.mapStart), 2 * nMap).slice();
  p.mapLimit = new Uint32Array(heap, off(SLOT.mapLimit), 2 * nMap).slice();
  p.mapOffset = new Uint32Array(heap, off(SLOT.mapOffset), 2 * nMap).slice();
  p.mapFile = new Int32Array(heap, off(SLOT.mapFile), nMap).slice();
  p.mapBuildId = new Int32Array(heap, off(SLOT.mapBuildId), nMap).slice();
  p.mapFlags = Uint8Array.from(new Int32Array(heap, off(SLOT.mapFlags), nMap));

  p.functionCount = nFn;
  p.funcId = new Uint32Array(heap, off(SLOT.funcId), 2 * nFn).slice();
  p.funcName = new Int32Array(heap, off(SLOT.funcName), nFn).slice();
  p.funcSystemName = new Int32Array(heap, off(SLOT.funcSystemName), nFn).slice();
  p.funcFilename = new Int32Array(heap, off(SLOT.funcFilename), nFn).slice();
  p.funcStartLine = new Float64Array(heap, off(SLOT.funcStartLine), nFn).slice();
  // The names pprof shows (its symbolizer simplifies C++-looking names at load; see pprofDisplayName).
  const strings = p.strings;
  for (let i = 0; i < nFn; i++) {
    const name = strings[p.funcName[i]!]!;
    const shown = pprofDisplayName(name, strings[p.funcSystemName[i]!]!);
    if (shown !== name) p.funcName[i] = strings.push(shown) - 1;
  }

  p.locationCount = nLoc;
  p.locId = new Uint32Array(heap, off(SLOT.locId), 2 * nLoc).slice();
  p.locMapping = new Int32Array(heap, off(SLOT.locMapping), nLoc).slice();
  p.locAddress = new Uint32Array(heap, off(SLOT.locAddress), 2 * nLoc).slice();
  p.locIsFolded = Uint8Array.from(new Int32Array(heap, off(SLOT.locFolded), nLoc));
  p.locLineStart = new Uint32Array(heap, off(SLOT.locLineStart), nLoc + 1).slice();
  p.lineFunc = new Int32Array(heap, off(SLOT.lineFunc), nLines).slice();
  p.lineLine = new Float64Array(heap, off(SLOT.lineLine), nLines).slice();
  p.lineColumn = new Float64Array(heap, off(SLOT.lineColumn), nLines).slice();
  task.throwIfCancelled();

  let nSL = 0;
  for (let from = 0; from < nS || from === 0; from += SAMPLE_CHUNK) {
    if (from > 0) {
      task.throwIfCancelled();
      task.progress('decoding samples', from, nS);
    }
    nSL = m.samples(from, Math.min(nS, from + SAMPLE_CHUNK));
    if (nSL < 0) return null;
  }
  const nLab = s(SLOT.nLabelsKept);
  p.sampleCount = nS;
  p.sampleLocStart = new Uint32Array(heap, off(SLOT.sampleLocStart), nS + 1).slice();
  p.sampleLocs = new Uint32Array(heap, off(SLOT.sampleLocs), nSL).slice();
  p.values = new Float64Array(heap, off(SLOT.values), nS * nST).slice();
  p.sampleLabelStart = new Uint32Array(heap, off(SLOT.sampleLabelStart), nS + 1).slice();
  p.labelKey = new Int32Array(heap, off(SLOT.labelKey), nLab).slice();
  p.labelStr = new Int32Array(heap, off(SLOT.labelStr), nLab).slice();
  p.labelNum = new Float64Array(heap, off(SLOT.labelNum), nLab).slice();
  p.labelNumUnit = new Int32Array(heap, off(SLOT.labelNumUnit), nLab).slice();
  return p;
}
