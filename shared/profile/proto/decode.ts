/**
 * profile.proto decoder straight into the typed-array model (no intermediate objects).
 *
 * Two passes: the first walks the top-level Profile message and records where each sub-message
 * lives (the string table usually comes last, so it must be read before anything can be resolved);
 * the second decodes each table into exactly-sized arrays. Validation follows pprof's
 * postDecode + CheckValid: zero or duplicate ids, dangling location ids, lines without a function,
 * out-of-range string indices and value-count mismatches are errors with the byte offset.
 */
import { pprofDisplayName } from '../names';
import { HeapscopeError } from '../../errors';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import {
  MAP_HAS_FILENAMES,
  MAP_HAS_FUNCTIONS,
  MAP_HAS_INLINE_FRAMES,
  MAP_HAS_LINE_NUMBERS,
  emptyProfile,
  type Profile,
  type ValueTypeIdx,
} from '../model';
import { decodeProfileProtoFast } from './fast';
import { PbReader, WIRE_LEN, WIRE_VARINT } from './reader';
import { decodeStringTable } from './strings';

export const PPROF_FORMAT = 'pprof';

const TWO32 = 4294967296;

/** Ranges [start, end) of repeated sub-messages, collected in the first pass. */
class Ranges {
  a: Uint32Array = new Uint32Array(64);
  n = 0;
  push(s: number, e: number): void {
    if (this.n * 2 + 2 > this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n * 2] = s;
    this.a[this.n * 2 + 1] = e;
    this.n++;
  }
  bytes(): number {
    let t = 0;
    for (let i = 0; i < this.n; i++) t += this.a[2 * i + 1]! - this.a[2 * i]!;
    return t;
  }
}

/** Maps 64-bit ids to table indices: a dense array when ids are small, a Map otherwise. */
class IdIndex {
  private dense: Int32Array | null;
  private map: Map<number | string, number> | null = null;
  /** Entries set so far, and whether each was id = index + 1 (how Go numbers what it writes). */
  private entries = 0;
  private sequential = true;
  constructor(count: number, maxLo: number, allSmall: boolean) {
    this.dense = allSmall && maxLo <= count * 4 + 1024 ? new Int32Array(maxLo + 1).fill(-1) : null;
    if (!this.dense) this.map = new Map();
  }
  static key(lo: number, hi: number): number | string {
    return hi < 0x200000 ? hi * TWO32 + lo : `${hi}:${lo}`;
  }
  /** Returns false if the id was already present. */
  set(lo: number, hi: number, idx: number): boolean {
    this.entries++;
    if (hi !== 0 || lo !== idx + 1) this.sequential = false;
    if (this.dense) {
      if (this.dense[lo] !== -1) return false;
      this.dense[lo] = idx;
      return true;
    }
    const k = IdIndex.key(lo, hi);
    if (this.map!.has(k)) return false;
    this.map!.set(k, idx);
    return true;
  }
  denseTable(): Int32Array | null {
    return this.dense;
  }
  /**
   * n when the ids set were exactly 1..n, each at index id − 1 (runtime/pprof numbers its
   * locations so): a lookup is then `id − 1` with no table read. Else −1.
   */
  sequentialCount(): number {
    return this.sequential ? this.entries : -1;
  }
  get(lo: number, hi: number): number {
    if (this.dense) {
      if (hi !== 0 || lo >= this.dense.length) return -1;
      return this.dense[lo]!;
    }
    const v = this.map!.get(IdIndex.key(lo, hi));
    return v === undefined ? -1 : v;
  }
}

function idStats(ids: Uint32Array, n: number): { maxLo: number; allSmall: boolean } {
  let maxLo = 0;
  let allSmall = true;
  for (let i = 0; i < n; i++) {
    if (ids[2 * i + 1] !== 0) allSmall = false;
    const lo = ids[2 * i]!;
    if (lo > maxLo) maxLo = lo;
  }
  return { maxLo, allSmall };
}

function idString2(lo: number, hi: number): string {
  return hi < 0x200000 ? String(hi * TWO32 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function idString(ids: Uint32Array, i: number): string {
  const hi = ids[2 * i + 1]!;
  const lo = ids[2 * i]!;
  return hi < 0x200000 ? String(hi * TWO32 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Where the sub-messages of a Profile live, and its scalar fields (first pass). */
interface Layout {
  sampleR: Ranges;
  mappingR: Ranges;
  locationR: Ranges;
  functionR: Ranges;
  stringR: Ranges;
  sampleTypeR: Ranges;
  periodTypeS: number;
  periodTypeE: number;
  dropX: number;
  keepX: number;
  defaultX: number;
  docX: number;
  commentX: number[];
  scalarAt: number;
}

/** Validates a string index against the table. */
class StrCheck {
  constructor(
    private readonly r: PbReader,
    private readonly n: number,
  ) {}
  check(x: number, at: number): number {
    if (!(x >= 0 && x < this.n)) this.r.fail('BAD_FORMAT', `string index ${x} out of range (table has ${this.n})`, at);
    return x;
  }
}

/*
 * Each table is decoded by its own function: V8 optimizes (OSR) a hot loop per function, and a
 * single giant function would be recompiled, and deoptimized, at every phase of a cold run.
 */

function layout(r: PbReader, buf: Uint8Array, file: string, p: Profile): Layout {
  const L: Layout = {
    sampleR: new Ranges(),
    mappingR: new Ranges(),
    locationR: new Ranges(),
    functionR: new Ranges(),
    stringR: new Ranges(),
    sampleTypeR: new Ranges(),
    periodTypeS: -1,
    periodTypeE: -1,
    dropX: 0,
    keepX: 0,
    defaultX: 0,
    docX: 0,
    commentX: [],
    scalarAt: 0,
  };
  // Pass 1: top-level fields. Fields 1-6 with lengths below 2^14 (nearly every one) are read
  // inline; anything else goes through tag() and its checks.
  const byTag: Array<Ranges | undefined> = [];
  byTag[0x0a] = L.sampleTypeR;
  byTag[0x12] = L.sampleR;
  byTag[0x1a] = L.mappingR;
  byTag[0x22] = L.locationR;
  byTag[0x2a] = L.functionR;
  byTag[0x32] = L.stringR;
  for (;;) {
    const pos = r.pos;
    if (pos + 3 <= r.end) {
      const ranges = byTag[buf[pos]!];
      if (ranges !== undefined) {
        let n = buf[pos + 1]!;
        let s = pos + 2;
        if (n >= 0x80) {
          const b = buf[pos + 2]!;
          n = b < 0x80 ? (n & 0x7f) | (b << 7) : -1;
          s = pos + 3;
        }
        if (n >= 0 && s + n <= r.end) {
          ranges.push(s, s + n);
          r.pos = s + n;
          continue;
        }
      }
    }
    if (!r.tag()) break;
    const f = r.field;
    const at = r.pos;
    if (f === 1 || f === 2 || f === 3 || f === 4 || f === 5 || f === 6 || f === 11) {
      r.expectWire(WIRE_LEN, `Profile field ${f}`);
      const e = r.lenEnd();
      const s = r.pos;
      switch (f) {
        case 1:
          L.sampleTypeR.push(s, e);
          break;
        case 2:
          L.sampleR.push(s, e);
          break;
        case 3:
          L.mappingR.push(s, e);
          break;
        case 4:
          L.locationR.push(s, e);
          break;
        case 5:
          L.functionR.push(s, e);
          break;
        case 6:
          L.stringR.push(s, e);
          break;
        case 11:
          L.periodTypeS = s;
          L.periodTypeE = e;
          break;
      }
      r.pos = e;
      continue;
    }
    if (f === 13) {
      // comment: repeated int64, packed or not.
      if (r.wire === WIRE_LEN) {
        const e = r.lenEnd();
        const sub = new PbReader(buf, r.pos, e, file, PPROF_FORMAT);
        while (sub.pos < e) {
          sub.varint();
          L.commentX.push(sub.signed());
        }
        r.pos = e;
      } else {
        r.expectWire(WIRE_VARINT, 'Profile.comment');
        r.varint();
        L.commentX.push(r.signed());
      }
      L.scalarAt = at;
      continue;
    }
    if (f >= 7 && f <= 15) {
      r.expectWire(WIRE_VARINT, `Profile field ${f}`);
      r.varint();
      switch (f) {
        case 7:
          L.dropX = r.signed();
          break;
        case 8:
          L.keepX = r.signed();
          break;
        case 9:
          p.timeNanos = r.signedBig();
          break;
        case 10:
          p.durationNanos = r.signedBig();
          break;
        case 12:
          p.period = r.signed();
          break;
        case 14:
          L.defaultX = r.signed();
          break;
        case 15:
          L.docX = r.signed();
          break;
      }
      L.scalarAt = at;
      continue;
    }
    r.skip();
  }
  return L;
}

function decodeStrings(r: PbReader, buf: Uint8Array, L: Layout, p: Profile): StrCheck {
  const { stringR, sampleR, sampleTypeR, functionR } = L;
  const nStr = stringR.n;
  const strings: string[] = new Array<string>(nStr);
  decodeStringTable(buf, stringR.a, nStr, strings);
  if (nStr === 0) {
    if (sampleR.n > 0 || sampleTypeR.n > 0 || functionR.n > 0) {
      r.fail('BAD_FORMAT', 'profile has no string table', 0);
    }
    strings.push('');
  } else if (strings[0] !== '') {
    r.fail('BAD_FORMAT', 'string table does not start with ""', stringR.a[0]!);
  }
  p.strings = strings;
  const str = new StrCheck(r, strings.length);
  p.dropFrames = str.check(L.dropX, L.scalarAt);
  p.keepFrames = str.check(L.keepX, L.scalarAt);
  p.defaultSampleType = str.check(L.defaultX, L.scalarAt);
  p.docUrl = str.check(L.docX, L.scalarAt);
  p.comments = L.commentX.map((x) => str.check(x, L.scalarAt));
  return str;
}

function decodeValueTypes(buf: Uint8Array, file: string, L: Layout, p: Profile, str: StrCheck): void {
  const { sampleTypeR } = L;
  const readValueType = (s: number, e: number): ValueTypeIdx => {
    const vr = new PbReader(buf, s, e, file, PPROF_FORMAT);
    let type = 0;
    let unit = 0;
    while (vr.tag()) {
      const at = vr.pos;
      if (vr.field === 1 || vr.field === 2) {
        vr.expectWire(WIRE_VARINT, 'ValueType field');
        vr.varint();
        const x = str.check(vr.signed(), at);
        if (vr.field === 1) type = x;
        else unit = x;
      } else vr.skip();
    }
    return { type, unit };
  };
  for (let i = 0; i < sampleTypeR.n; i++) p.sampleTypes.push(readValueType(sampleTypeR.a[2 * i]!, sampleTypeR.a[2 * i + 1]!));
  if (L.periodTypeS >= 0) p.periodType = readValueType(L.periodTypeS, L.periodTypeE);

}

function decodeMappings(r: PbReader, L: Layout, p: Profile, str: StrCheck): IdIndex {
  const { mappingR } = L;
  const nMap = mappingR.n;
  p.mappingCount = nMap;
  p.mapId = new Uint32Array(2 * nMap);
  p.mapStart = new Uint32Array(2 * nMap);
  p.mapLimit = new Uint32Array(2 * nMap);
  p.mapOffset = new Uint32Array(2 * nMap);
  p.mapFile = new Int32Array(nMap);
  p.mapBuildId = new Int32Array(nMap);
  p.mapFlags = new Uint8Array(nMap);
  for (let i = 0; i < nMap; i++) {
    r.pos = mappingR.a[2 * i]!;
    r.end = mappingR.a[2 * i + 1]!;
    let flags = 0;
    while (r.tag()) {
      const f = r.field;
      const at = r.pos;
      if (f >= 1 && f <= 10) {
        r.expectWire(WIRE_VARINT, `Mapping field ${f}`);
        r.varint();
        switch (f) {
          case 1:
            p.mapId[2 * i] = r.lo;
            p.mapId[2 * i + 1] = r.hi;
            break;
          case 2:
            p.mapStart[2 * i] = r.lo;
            p.mapStart[2 * i + 1] = r.hi;
            break;
          case 3:
            p.mapLimit[2 * i] = r.lo;
            p.mapLimit[2 * i + 1] = r.hi;
            break;
          case 4:
            p.mapOffset[2 * i] = r.lo;
            p.mapOffset[2 * i + 1] = r.hi;
            break;
          case 5:
            p.mapFile[i] = str.check(r.signed(), at);
            break;
          case 6:
            p.mapBuildId[i] = str.check(r.signed(), at);
            break;
          case 7:
            if (r.lo | r.hi) flags |= MAP_HAS_FUNCTIONS;
            break;
          case 8:
            if (r.lo | r.hi) flags |= MAP_HAS_FILENAMES;
            break;
          case 9:
            if (r.lo | r.hi) flags |= MAP_HAS_LINE_NUMBERS;
            break;
          case 10:
            if (r.lo | r.hi) flags |= MAP_HAS_INLINE_FRAMES;
            break;
        }
      } else r.skip();
    }
    p.mapFlags[i] = flags;
  }
  const mapStats = idStats(p.mapId, nMap);
  const mapIndex = new IdIndex(nMap, mapStats.maxLo, mapStats.allSmall);
  for (let i = 0; i < nMap; i++) {
    const lo = p.mapId[2 * i]!;
    const hi = p.mapId[2 * i + 1]!;
    if (lo === 0 && hi === 0) r.fail('BAD_FORMAT', 'found mapping with reserved ID=0', mappingR.a[2 * i]!);
    if (!mapIndex.set(lo, hi, i)) r.fail('BAD_FORMAT', `multiple mappings with same id: ${idString(p.mapId, i)}`, mappingR.a[2 * i]!);
  }

  return mapIndex;
}

function decodeFunctions(r: PbReader, L: Layout, p: Profile, str: StrCheck): IdIndex {
  const { functionR } = L;
  const nFn = functionR.n;
  p.functionCount = nFn;
  p.funcId = new Uint32Array(2 * nFn);
  p.funcName = new Int32Array(nFn);
  p.funcSystemName = new Int32Array(nFn);
  p.funcFilename = new Int32Array(nFn);
  p.funcStartLine = new Float64Array(nFn);
  for (let i = 0; i < nFn; i++) {
    r.pos = functionR.a[2 * i]!;
    r.end = functionR.a[2 * i + 1]!;
    while (r.tag()) {
      const f = r.field;
      const at = r.pos;
      if (f >= 1 && f <= 5) {
        r.expectWire(WIRE_VARINT, `Function field ${f}`);
        r.varint();
        switch (f) {
          case 1:
            p.funcId[2 * i] = r.lo;
            p.funcId[2 * i + 1] = r.hi;
            break;
          case 2:
            p.funcName[i] = str.check(r.signed(), at);
            break;
          case 3:
            p.funcSystemName[i] = str.check(r.signed(), at);
            break;
          case 4:
            p.funcFilename[i] = str.check(r.signed(), at);
            break;
          case 5:
            p.funcStartLine[i] = r.signed();
            break;
        }
      } else r.skip();
    }
  }
  // The names pprof shows (its symbolizer simplifies C++-looking names at load; see pprofDisplayName).
  for (let i = 0; i < nFn; i++) {
    const name = p.strings[p.funcName[i]!]!;
    const sys = p.strings[p.funcSystemName[i]!]!;
    const shown = pprofDisplayName(name, sys);
    if (shown !== name) p.funcName[i] = p.strings.push(shown) - 1;
  }
  const fnStats = idStats(p.funcId, nFn);
  const fnIndex = new IdIndex(nFn, fnStats.maxLo, fnStats.allSmall);
  for (let i = 0; i < nFn; i++) {
    const lo = p.funcId[2 * i]!;
    const hi = p.funcId[2 * i + 1]!;
    if (lo === 0 && hi === 0) r.fail('BAD_FORMAT', 'found function with reserved ID=0', functionR.a[2 * i]!);
    if (!fnIndex.set(lo, hi, i)) r.fail('BAD_FORMAT', `multiple functions with same id: ${idString(p.funcId, i)}`, functionR.a[2 * i]!);
  }

  return fnIndex;
}

function decodeLocations(r: PbReader, buf: Uint8Array, file: string, L: Layout, p: Profile, mapIndex: IdIndex, fnIndex: IdIndex): IdIndex {
  const { locationR } = L;
  const nLoc = locationR.n;
  p.locationCount = nLoc;
  p.locId = new Uint32Array(2 * nLoc);
  p.locMapping = new Int32Array(nLoc).fill(-1);
  p.locAddress = new Uint32Array(2 * nLoc);
  p.locIsFolded = new Uint8Array(nLoc);
  p.locLineStart = new Uint32Array(nLoc + 1);
  // Each Line message costs at least 2 bytes (tag + length).
  const maxLines = (locationR.bytes() >>> 1) + 1;
  let lineFunc = new Int32Array(Math.min(maxLines, 1024));
  let lineLine = new Float64Array(lineFunc.length);
  let lineColumn = new Float64Array(lineFunc.length);
  let nLines = 0;
  const lr = new PbReader(buf, 0, 0, file, PPROF_FORMAT);
  for (let i = 0; i < nLoc; i++) {
    const locStart = locationR.a[2 * i]!;
    r.pos = locStart;
    r.end = locationR.a[2 * i + 1]!;
    p.locLineStart[i] = nLines;
    while (r.tag()) {
      const f = r.field;
      const at = r.pos;
      if (f === 4) {
        r.expectWire(WIRE_LEN, 'Location.line');
        const e = r.lenEnd();
        if (nLines === lineFunc.length) {
          const cap = Math.min(maxLines, lineFunc.length * 2);
          const a = new Int32Array(cap);
          a.set(lineFunc);
          lineFunc = a;
          const b = new Float64Array(cap);
          b.set(lineLine);
          lineLine = b;
          const c = new Float64Array(cap);
          c.set(lineColumn);
          lineColumn = c;
        }
        lr.pos = r.pos;
        lr.end = e;
        let fnLo = 0;
        let fnHi = 0;
        let line = 0;
        let col = 0;
        while (lr.tag()) {
          const lf = lr.field;
          if (lf >= 1 && lf <= 3) {
            lr.expectWire(WIRE_VARINT, `Line field ${lf}`);
            lr.varint();
            if (lf === 1) {
              fnLo = lr.lo;
              fnHi = lr.hi;
            } else if (lf === 2) line = lr.signed();
            else col = lr.signed();
          } else lr.skip();
        }
        const fi = fnLo === 0 && fnHi === 0 ? -1 : fnIndex.get(fnLo, fnHi);
        if (fi < 0) r.fail('BAD_FORMAT', `location has a line with ${fnLo === 0 && fnHi === 0 ? 'no' : 'an unknown'} function`, at);
        lineFunc[nLines] = fi;
        lineLine[nLines] = line;
        lineColumn[nLines] = col;
        nLines++;
        r.pos = e;
      } else if (f >= 1 && f <= 5) {
        r.expectWire(WIRE_VARINT, `Location field ${f}`);
        r.varint();
        switch (f) {
          case 1:
            p.locId[2 * i] = r.lo;
            p.locId[2 * i + 1] = r.hi;
            break;
          case 2:
            if (r.lo !== 0 || r.hi !== 0) p.locMapping[i] = mapIndex.get(r.lo, r.hi);
            break;
          case 3:
            p.locAddress[2 * i] = r.lo;
            p.locAddress[2 * i + 1] = r.hi;
            break;
          case 5:
            p.locIsFolded[i] = r.lo | r.hi ? 1 : 0;
            break;
        }
      } else r.skip();
    }
  }
  p.locLineStart[nLoc] = nLines;
  p.lineFunc = lineFunc.slice(0, nLines);
  p.lineLine = lineLine.slice(0, nLines);
  p.lineColumn = lineColumn.slice(0, nLines);
  const locStats = idStats(p.locId, nLoc);
  const locIndex = new IdIndex(nLoc, locStats.maxLo, locStats.allSmall);
  for (let i = 0; i < nLoc; i++) {
    const lo = p.locId[2 * i]!;
    const hi = p.locId[2 * i + 1]!;
    if (lo === 0 && hi === 0) r.fail('BAD_FORMAT', 'found location with reserved id=0', locationR.a[2 * i]!);
    if (!locIndex.set(lo, hi, i)) r.fail('BAD_FORMAT', `multiple locations with same id: ${idString(p.locId, i)}`, locationR.a[2 * i]!);
  }

  return locIndex;
}

/** Location ids (256M, 1 GB of address space) up to which decodeSamples reserves at the bound. */
const SAMPLE_LOCS_RESERVE = 1 << 28;

function decodeSamples(r: PbReader, buf: Uint8Array, file: string, L: Layout, p: Profile, locIndex: IdIndex, str: StrCheck, task: TaskContext): void {
  const { sampleR } = L;
  const lr = new PbReader(buf, 0, 0, file, PPROF_FORMAT);
  const nS = sampleR.n;
  const nT = p.sampleTypes.length;
  if (nT === 0 && nS > 0) r.fail('BAD_FORMAT', 'missing sample type information', sampleR.a[0]!);
  // Every sample holds nT values of at least one byte each: reject impossible shapes before
  // allocating (a hostile header could otherwise ask for terabytes).
  if (nS * nT > sampleR.bytes()) r.fail('BAD_FORMAT', `${nS} samples cannot hold ${nT} values each`, sampleR.a[0]!);
  p.sampleCount = nS;
  p.sampleLocStart = new Uint32Array(nS + 1);
  p.sampleLabelStart = new Uint32Array(nS + 1);
  p.values = new Float64Array(nS * nT);
  // Every location id takes at least one byte, so the samples' bytes bound their count. Up to
  // SAMPLE_LOCS_RESERVE ids the array is made at that bound once and handed out as a view of its
  // used part: the kernel backs only the pages written, where growing by doubling would write (and
  // fault in) about three times the final size and copy it twice.
  const sampleLocCap = sampleR.bytes();
  let sampleLocs = new Uint32Array(sampleLocCap <= SAMPLE_LOCS_RESERVE ? Math.max(16, sampleLocCap) : 1 << 16);
  let nSL = 0;
  let labelKey: number[] = [];
  let labelStr: number[] = [];
  let labelNum: number[] = [];
  let labelUnit: number[] = [];
  const values = p.values;
  const dense = locIndex.denseTable();
  // Ids 1..n at indices 0..n−1 (every profile Go writes): index = id − 1, checked against n, with
  // no read of the id table at random (the loop's hottest line in a profile of the speed bench's
  // wide tree; 0.95–0.97× wall for that child in paired runs).
  const seqN = locIndex.sequentialCount();
  const addLoc = (lo: number, hi: number, at: number): void => {
    const li = locIndex.get(lo, hi);
    if (li < 0) r.fail('BAD_FORMAT', `sample refers to unknown location id ${idString2(lo, hi)}`, at);
    if (nSL === sampleLocs.length) {
      const a = new Uint32Array(Math.min(sampleLocCap, sampleLocs.length * 2));
      a.set(sampleLocs);
      sampleLocs = a;
    }
    sampleLocs[nSL++] = li;
  };
  const progressEvery = 4096;
  for (let i = 0; i < nS; i++) {
    if ((i & (progressEvery - 1)) === 0 && i > 0) {
      task.throwIfCancelled();
      task.progress('decoding samples', i, nS);
    }
    const sStart = sampleR.a[2 * i]!;
    r.pos = sStart;
    r.end = sampleR.a[2 * i + 1]!;
    p.sampleLocStart[i] = nSL;
    p.sampleLabelStart[i] = labelKey.length;
    let nv = 0;
    const vbase = i * nT;
    for (;;) {
      // One-byte tags (fields 1-15 with a valid wire type) inline; anything else through tag().
      const tb = r.pos < r.end ? buf[r.pos]! : 0;
      if (tb >= 8 && tb < 0x80 && ((1 << (tb & 7)) & 0b100111) !== 0) {
        r.pos++;
        r.field = tb >> 3;
        r.wire = tb & 7;
      } else if (!r.tag()) break;
      const f = r.field;
      const at = r.pos;
      if (f === 1) {
        if (r.wire === WIRE_LEN) {
          const e = r.lenEnd();
          // Hot path: packed location ids, varints of up to 3 bytes decoded inline.
          if (nSL + (e - r.pos) > sampleLocs.length) {
            const a = new Uint32Array(Math.min(sampleLocCap, Math.max(sampleLocs.length * 2, nSL + (e - r.pos))));
            a.set(sampleLocs.subarray(0, nSL));
            sampleLocs = a;
          }
          let pos = r.pos;
          while (pos < e) {
            let id = -1;
            if (dense !== null && pos + 3 <= e) {
              let b = buf[pos]!;
              if (b < 0x80) {
                id = b;
                pos += 1;
              } else {
                let v = b & 0x7f;
                b = buf[pos + 1]!;
                if (b < 0x80) {
                  id = v | (b << 7);
                  pos += 2;
                } else {
                  v |= (b & 0x7f) << 7;
                  b = buf[pos + 2]!;
                  if (b < 0x80) {
                    id = v | (b << 14);
                    pos += 3;
                  }
                }
              }
            }
            let li: number;
            if (id >= 0) {
              li = seqN >= 0 ? ((id - 1) >>> 0 < seqN ? id - 1 : -1) : id < dense!.length ? dense![id]! : -1;
              if (li < 0) r.fail('BAD_FORMAT', `sample refers to unknown location id ${id}`, pos);
            } else {
              const save = r.end;
              r.pos = pos;
              r.end = e;
              r.varint();
              r.end = save;
              pos = r.pos;
              li = locIndex.get(r.lo, r.hi);
              if (li < 0) r.fail('BAD_FORMAT', `sample refers to unknown location id ${idString2(r.lo, r.hi)}`, pos);
            }
            sampleLocs[nSL++] = li;
          }
          r.pos = e;
        } else {
          r.expectWire(WIRE_VARINT, 'Sample.location_id');
          r.varint();
          addLoc(r.lo, r.hi, at);
        }
      } else if (f === 2) {
        if (r.wire === WIRE_LEN) {
          const e = r.lenEnd();
          const save = r.end;
          r.end = e;
          while (r.pos < e) {
            r.varint();
            if (nv < nT) values[vbase + nv] = r.signed();
            nv++;
          }
          r.end = save;
        } else {
          r.expectWire(WIRE_VARINT, 'Sample.value');
          r.varint();
          if (nv < nT) values[vbase + nv] = r.signed();
          nv++;
        }
      } else if (f === 3) {
        r.expectWire(WIRE_LEN, 'Sample.label');
        const e = r.lenEnd();
        lr.pos = r.pos;
        lr.end = e;
        let key = 0;
        let sx = 0;
        let num = 0;
        let unit = 0;
        while (lr.tag()) {
          const lf = lr.field;
          const lat = lr.pos;
          if (lf >= 1 && lf <= 4) {
            lr.expectWire(WIRE_VARINT, `Label field ${lf}`);
            lr.varint();
            if (lf === 1) key = str.check(lr.signed(), lat);
            else if (lf === 2) sx = str.check(lr.signed(), lat);
            else if (lf === 3) num = lr.signed();
            else unit = str.check(lr.signed(), lat);
          } else lr.skip();
        }
        // pprof keeps a label only if it has a string value, a non-zero number or a unit.
        if (sx !== 0 || num !== 0 || unit !== 0) {
          labelKey.push(key);
          labelStr.push(sx);
          labelNum.push(sx !== 0 ? 0 : num);
          labelUnit.push(sx !== 0 ? 0 : unit);
        }
        r.pos = e;
      } else r.skip();
    }
    if (nv !== nT) r.fail('BAD_FORMAT', `sample has ${nv} values vs. ${nT} sample types`, sStart);
  }
  p.sampleLocStart[nS] = nSL;
  p.sampleLabelStart[nS] = labelKey.length;
  p.sampleLocs =
    nSL === sampleLocs.length ? sampleLocs : sampleLocCap <= SAMPLE_LOCS_RESERVE ? sampleLocs.subarray(0, nSL) : sampleLocs.slice(0, nSL);
  p.labelKey = Int32Array.from(labelKey);
  p.labelStr = Int32Array.from(labelStr);
  p.labelNum = Float64Array.from(labelNum);
  p.labelNumUnit = Int32Array.from(labelUnit);
  labelKey = labelStr = labelNum = labelUnit = [];
}

/**
 * Decodes an uncompressed profile.proto message.
 * Throws HeapscopeError (BAD_FORMAT / TRUNCATED with a byte offset) on malformed input.
 * The fast path (fast.ts) decodes the usual encodings; anything else, and every input that is
 * rejected, is decoded by the reference decoder below, which gives the exact error.
 */
export function decodeProfileProto(buf: Uint8Array, file: string, task: TaskContext = NO_TASK): Profile {
  return decodeProfileProtoFast(buf, task) ?? decodeProfileProtoReference(buf, file, task);
}

/**
 * The reference decoder: every encoding profile.proto allows (unpacked fields, unknown fields,
 * 64-bit and sparse ids), pprof's validation, errors with byte offsets.
 */
export function decodeProfileProtoReference(buf: Uint8Array, file: string, task: TaskContext = NO_TASK): Profile {
  const r = new PbReader(buf, 0, buf.length, file, PPROF_FORMAT);
  const p = emptyProfile();
  const L = layout(r, buf, file, p);
  task.throwIfCancelled();
  const str = decodeStrings(r, buf, L, p);
  decodeValueTypes(buf, file, L, p, str);
  const mapIndex = decodeMappings(r, L, p, str);
  const fnIndex = decodeFunctions(r, L, p, str);
  task.throwIfCancelled();
  const locIndex = decodeLocations(r, buf, file, L, p, mapIndex, fnIndex);
  task.throwIfCancelled();
  decodeSamples(r, buf, file, L, p, locIndex, str, task);
  return p;
}

/**
 * Cheap check that bytes start like a protobuf Profile message: the first fields (up to 16) have
 * Profile field numbers with their wire types and lengths that fit. A message cut short after at
 * least one good field still counts (decoding then reports TRUNCATED with the offset).
 */
export function looksLikeProfileProto(buf: Uint8Array): boolean {
  const r = new PbReader(buf, 0, buf.length, '', PPROF_FORMAT);
  let fields = 0;
  try {
    while (fields < 16 && r.pos < r.end) {
      r.tag();
      const f = r.field;
      if (f < 1 || f > 15) return false;
      const lenField = f <= 6 || f === 11;
      if (lenField && r.wire !== WIRE_LEN) return false;
      if (!lenField && r.wire !== WIRE_VARINT && !(f === 13 && r.wire === WIRE_LEN)) return false;
      if (r.wire === WIRE_LEN) {
        const n = r.varint();
        if (r.hi !== 0) return false;
        // Cut short: still a profile (decoding reports TRUNCATED) if this is a sane first field.
        if (r.pos + n > buf.length) return fields > 0 || (n < 1 << 28 && r.pos < buf.length);
        r.pos += n;
      } else r.varint();
      fields++;
    }
  } catch (e) {
    if (e instanceof HeapscopeError) return e.code === 'TRUNCATED' && fields > 0;
    throw e;
  }
  return fields > 0;
}
