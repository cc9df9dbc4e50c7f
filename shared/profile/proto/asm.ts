/**
 * The numeric part of the fast profile.proto decoder (fast.ts), written as an asm.js module.
 *
 * Why asm.js: `heapscope top` decodes one profile and exits, so ordinary JavaScript decoding runs
 * mostly in V8's interpreter while its optimised code is still being compiled. V8 validates an
 * asm.js module and compiles it as WebAssembly when the module is first linked: the decoding loops
 * run as machine code from the first byte (cold decode of a 1.2 MB CPU profile: ~40 ms → ~8 ms).
 * Were a future V8 to stop validating asm.js, this is still plain, correct JavaScript (only slower).
 *
 * asm.js rules kept here (V8 runs the module as ordinary JavaScript if any is broken; the test
 * test/unit/profile/proto-fast.test.ts checks that it validates): only the declarations below in
 * the module body; every parameter coerced on entry (`x = x | 0`); int expressions wrapped
 * (`(a + b) | 0`, `U8[p] | 0`, `f() | 0`); doubles via `+`; no objects, strings or closures.
 *
 * Memory (the heap): the protobuf bytes at 0, then the tables fast.ts lays out from the counts of
 * `count`; their offsets are in the slots area at `slots` (SLOT in fast.ts).
 * Ids are (lo, hi) int32 pairs; indices are 0-based; every function returns 0 (or a count) on
 * success and -1 for any input it does not decode (fast.ts then runs the reference decoder).
 */

/** The parts of the global object the module links (globalThis). */
export interface AsmStdlib {
  Math: Math;
  Uint8Array: Uint8ArrayConstructor;
  Int32Array: Int32ArrayConstructor;
  Float64Array: Float64ArrayConstructor;
}

/** Double constants the module imports. */
export interface AsmForeign {
  two32: number;
  zero: number;
}

export interface ProtoAsm {
  /** Sets the byte offset of the slots area; call first. */
  init(slots: number): number;
  /** Pass 1 over the top-level message [0, end): counts into the slots; 0 or -1. */
  count(end: number): number;
  /** Pass 2: decodes every table but the samples into the regions laid out in the slots; 0 or -1. */
  fill(end: number): number;
  /** Builds the id indexes and resolves location → mapping and line → function ids; 0 or -1. */
  link(): number;
  /** Decodes samples [from, to) (in order, from 0); the number of location ids so far, or -1. */
  samples(from: number, to: number): number;
}

/*
 * The module's source. It is a string compiled with the Function constructor because bundlers
 * do not keep asm.js intact (esbuild drops every 'use asm' directive, and prints 0.0 as 0).
 * Slot numbers (int32 index from `slots`) are those of SLOT in fast.ts: counts written by count()
 * (0..10), region offsets written by fast.ts (11..39, 45..53), outputs of fill() and samples()
 * (49, 56..58, 60..73).
 */
const SOURCE = `
'use asm';
var U8 = new stdlib.Uint8Array(heap);
var I32 = new stdlib.Int32Array(heap);
var F64 = new stdlib.Float64Array(heap);
var imul = stdlib.Math.imul;
var TWO32 = +foreign.two32;
var ZERO = +foreign.zero;
var S = 0;
var vlo = 0;
var vhi = 0;
var vend = 0;
var nSL = 0;
var nLab = 0;
var cIds = 0;
var cLabels = 0;
var cLines = 0;

function asmInit(slots) {
  slots = slots | 0;
  S = slots;
  nSL = 0;
  nLab = 0;
  return 0;
}

function get(k) {
  k = k | 0;
  return I32[(S + (k << 2)) >> 2] | 0;
}

function put(k, v) {
  k = k | 0;
  v = v | 0;
  I32[(S + (k << 2)) >> 2] = v;
}

/** Reads a varint at pos (before end) into vlo/vhi/vend like PbReader.varint; 0 or -1. */
function varint(pos, end) {
  pos = pos | 0;
  end = end | 0;
  var b = 0;
  var lo = 0;
  var hi = 0;
  var shift = 0;
  if ((pos | 0) >= (end | 0)) return -1;
  b = U8[pos] | 0;
  pos = (pos + 1) | 0;
  if ((b | 0) < 0x80) {
    vlo = b;
    vhi = 0;
    vend = pos;
    return 0;
  }
  lo = b & 0x7f;
  for (shift = 7; (shift | 0) < 28; shift = (shift + 7) | 0) {
    if ((pos | 0) >= (end | 0)) return -1;
    b = U8[pos] | 0;
    pos = (pos + 1) | 0;
    lo = lo | ((b & 0x7f) << shift);
    if ((b | 0) < 0x80) {
      vlo = lo;
      vhi = 0;
      vend = pos;
      return 0;
    }
  }
  if ((pos | 0) >= (end | 0)) return -1;
  b = U8[pos] | 0;
  pos = (pos + 1) | 0;
  lo = lo | ((b & 0x0f) << 28);
  hi = (b & 0x7f) >> 4;
  if ((b | 0) >= 0x80) {
    shift = 3;
    while (1) {
      if ((pos | 0) >= (end | 0)) return -1;
      b = U8[pos] | 0;
      pos = (pos + 1) | 0;
      if ((shift | 0) < 32) hi = hi | ((b & 0x7f) << shift);
      if ((b | 0) < 0x80) break;
      if ((shift | 0) >= 31) return -1;
      shift = (shift + 7) | 0;
    }
  }
  vlo = lo;
  vhi = hi;
  vend = pos;
  return 0;
}

/** The last varint as a signed int64, as a double (PbReader.signed). */
function sval() {
  var nlo = 0;
  var nhi = 0;
  if ((vhi | 0) >= 0) return +(+(vhi >>> 0) * TWO32 + +(vlo >>> 0));
  nlo = (~vlo + 1) | 0;
  nhi = (~vhi + ((nlo | 0) == 0 ? 1 : 0)) | 0;
  return +-(+(nhi >>> 0) * TWO32 + +(nlo >>> 0));
}

/** The last varint as a string index below nStr, or -1. */
function sidx(nStr) {
  nStr = nStr | 0;
  if ((vhi | 0) != 0) return -1;
  if ((vlo | 0) < 0) return -1;
  if ((vlo | 0) >= (nStr | 0)) return -1;
  return vlo | 0;
}

/** Reads a length at pos (before end): the end offset of the delimited bytes, or -1. */
function lenEnd(pos, end) {
  pos = pos | 0;
  end = end | 0;
  var e = 0;
  if (varint(pos, end) | 0) return -1;
  if ((vhi | 0) != 0) return -1;
  if ((vlo | 0) < 0) return -1;
  e = (vend + vlo) | 0;
  if ((e | 0) < (vend | 0)) return -1;
  if ((e | 0) > (end | 0)) return -1;
  return e | 0;
}

/** Skips the fields of a sample, counting location-id slots (cIds) and labels (cLabels). */
function countSample(pos, end) {
  pos = pos | 0;
  end = end | 0;
  var tag = 0;
  var e = 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if ((tag & 7) == 2) {
      e = lenEnd(pos, end) | 0;
      if ((e | 0) < 0) return -1;
      if ((tag | 0) == 0x0a) cIds = (cIds + ((e - vend) | 0)) | 0;
      else if ((tag | 0) == 0x1a) cLabels = (cLabels + 1) | 0;
      else if ((tag | 0) != 0x12) return -1;
      pos = e;
    } else {
      if ((tag | 0) == 0x08) cIds = (cIds + 1) | 0;
      else if ((tag | 0) != 0x10) return -1;
      if (varint(pos, end) | 0) return -1;
      pos = vend;
    }
  }
  return 0;
}

/** Skips the fields of a location, counting its lines (cLines). */
function countLocation(pos, end) {
  pos = pos | 0;
  end = end | 0;
  var tag = 0;
  var e = 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    switch (tag | 0) {
      case 0x22:
        e = lenEnd(pos, end) | 0;
        if ((e | 0) < 0) return -1;
        cLines = (cLines + 1) | 0;
        pos = e;
        break;
      case 0x08:
      case 0x10:
      case 0x18:
      case 0x28:
        if (varint(pos, end) | 0) return -1;
        pos = vend;
        break;
      default:
        return -1;
    }
  }
  return 0;
}

/**
 * Pass 1: counts sample types (slot 0), samples (1), mappings (2), locations (3), functions (4),
 * strings (5), comments (6), location-id slots (7), labels (8), lines (9), sample bytes (10).
 */
function asmCount(end) {
  end = end | 0;
  var pos = 0;
  var tag = 0;
  var e = 0;
  var k = 0;
  var nST = 0;
  var nS = 0;
  var nMap = 0;
  var nLoc = 0;
  var nFn = 0;
  var nStr = 0;
  var nCom = 0;
  var sBytes = 0;
  cIds = 0;
  cLabels = 0;
  cLines = 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if ((tag & 7) == 2) {
      e = lenEnd(pos, end) | 0;
      if ((e | 0) < 0) return -1;
      pos = vend;
      switch (tag | 0) {
        case 0x0a:
          nST = (nST + 1) | 0;
          break;
        case 0x12:
          if (countSample(pos, e) | 0) return -1;
          nS = (nS + 1) | 0;
          sBytes = (sBytes + ((e - pos) | 0)) | 0;
          break;
        case 0x1a:
          nMap = (nMap + 1) | 0;
          break;
        case 0x22:
          if (countLocation(pos, e) | 0) return -1;
          nLoc = (nLoc + 1) | 0;
          break;
        case 0x2a:
          nFn = (nFn + 1) | 0;
          break;
        case 0x32:
          nStr = (nStr + 1) | 0;
          break;
        case 0x5a:
          break;
        case 0x6a:
          k = pos;
          while ((k | 0) < (e | 0)) {
            if (varint(k, e) | 0) return -1;
            k = vend;
            nCom = (nCom + 1) | 0;
          }
          break;
        default:
          return -1;
      }
      pos = e;
    } else if ((tag & 7) == 0) {
      if ((tag | 0) < 0x38) return -1;
      if ((tag | 0) > 0x78) return -1;
      if ((tag | 0) == 0x58) return -1;
      if (varint(pos, end) | 0) return -1;
      if ((tag | 0) == 0x68) nCom = (nCom + 1) | 0;
      pos = vend;
    } else return -1;
  }
  put(0, nST);
  put(1, nS);
  put(2, nMap);
  put(3, nLoc);
  put(4, nFn);
  put(5, nStr);
  put(6, nCom);
  put(7, cIds);
  put(8, cLabels);
  put(9, cLines);
  put(10, sBytes);
  return 0;
}

/** A ValueType message into (type, unit) at out; 0 or -1. */
function valueType(pos, end, out, nStr) {
  pos = pos | 0;
  end = end | 0;
  out = out | 0;
  nStr = nStr | 0;
  var tag = 0;
  var x = 0;
  I32[out >> 2] = 0;
  I32[(out + 4) >> 2] = 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if (varint(pos, end) | 0) return -1;
    pos = vend;
    x = sidx(nStr) | 0;
    if ((x | 0) < 0) return -1;
    if ((tag | 0) == 0x08) I32[out >> 2] = x;
    else if ((tag | 0) == 0x10) I32[(out + 4) >> 2] = x;
    else return -1;
  }
  return 0;
}

/** Mapping i from [pos, end). */
function mapping(pos, end, i, nStr) {
  pos = pos | 0;
  end = end | 0;
  i = i | 0;
  nStr = nStr | 0;
  var tag = 0;
  var flags = 0;
  var x = 0;
  var o2 = 0;
  o2 = i << 3;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if ((tag & 7) != 0) return -1;
    if ((tag | 0) < 0x08) return -1;
    if ((tag | 0) > 0x50) return -1;
    if (varint(pos, end) | 0) return -1;
    pos = vend;
    switch (tag >> 3) {
      case 1:
        I32[((get(16) | 0) + o2) >> 2] = vlo;
        I32[((get(16) | 0) + o2 + 4) >> 2] = vhi;
        break;
      case 2:
        I32[((get(17) | 0) + o2) >> 2] = vlo;
        I32[((get(17) | 0) + o2 + 4) >> 2] = vhi;
        break;
      case 3:
        I32[((get(18) | 0) + o2) >> 2] = vlo;
        I32[((get(18) | 0) + o2 + 4) >> 2] = vhi;
        break;
      case 4:
        I32[((get(19) | 0) + o2) >> 2] = vlo;
        I32[((get(19) | 0) + o2 + 4) >> 2] = vhi;
        break;
      case 5:
        x = sidx(nStr) | 0;
        if ((x | 0) < 0) return -1;
        I32[((get(20) | 0) + (i << 2)) >> 2] = x;
        break;
      case 6:
        x = sidx(nStr) | 0;
        if ((x | 0) < 0) return -1;
        I32[((get(21) | 0) + (i << 2)) >> 2] = x;
        break;
      default:
        // 7..10: has_functions, has_filenames, has_line_numbers, has_inline_frames
        if (vlo | vhi) flags = flags | (1 << ((tag >> 3) - 7));
    }
  }
  I32[((get(22) | 0) + (i << 2)) >> 2] = flags;
  return 0;
}

/** Function i from [pos, end). */
function func(pos, end, i, nStr) {
  pos = pos | 0;
  end = end | 0;
  i = i | 0;
  nStr = nStr | 0;
  var tag = 0;
  var x = 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if (varint(pos, end) | 0) return -1;
    pos = vend;
    if ((tag | 0) == 0x08) {
      I32[((get(30) | 0) + (i << 3)) >> 2] = vlo;
      I32[((get(30) | 0) + (i << 3) + 4) >> 2] = vhi;
    } else if ((tag | 0) == 0x28) {
      F64[((get(34) | 0) + (i << 3)) >> 3] = +sval();
    } else {
      x = sidx(nStr) | 0;
      if ((x | 0) < 0) return -1;
      if ((tag | 0) == 0x10) I32[((get(31) | 0) + (i << 2)) >> 2] = x;
      else if ((tag | 0) == 0x18) I32[((get(32) | 0) + (i << 2)) >> 2] = x;
      else if ((tag | 0) == 0x20) I32[((get(33) | 0) + (i << 2)) >> 2] = x;
      else return -1;
    }
  }
  return 0;
}

/** Location i from [pos, end); its lines from line index ln on; the next line index, or -1. */
function location(pos, end, i, ln) {
  pos = pos | 0;
  end = end | 0;
  i = i | 0;
  ln = ln | 0;
  var tag = 0;
  var e = 0;
  var fn = 0;
  I32[((get(27) | 0) + (i << 2)) >> 2] = ln;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if ((tag | 0) == 0x22) {
      e = lenEnd(pos, end) | 0;
      if ((e | 0) < 0) return -1;
      pos = vend;
      fn = 0;
      F64[((get(29) | 0) + (ln << 3)) >> 3] = ZERO;
      F64[((get(35) | 0) + (ln << 3)) >> 3] = ZERO;
      while ((pos | 0) < (e | 0)) {
        tag = U8[pos] | 0;
        pos = (pos + 1) | 0;
        if (varint(pos, e) | 0) return -1;
        pos = vend;
        if ((tag | 0) == 0x08) {
          if ((vhi | 0) != 0) return -1;
          fn = vlo;
        } else if ((tag | 0) == 0x10) F64[((get(29) | 0) + (ln << 3)) >> 3] = +sval();
        else if ((tag | 0) == 0x18) F64[((get(35) | 0) + (ln << 3)) >> 3] = +sval();
        else return -1;
      }
      I32[((get(28) | 0) + (ln << 2)) >> 2] = fn;
      ln = (ln + 1) | 0;
      continue;
    }
    if (varint(pos, end) | 0) return -1;
    pos = vend;
    if ((tag | 0) == 0x08) {
      I32[((get(23) | 0) + (i << 3)) >> 2] = vlo;
      I32[((get(23) | 0) + (i << 3) + 4) >> 2] = vhi;
    } else if ((tag | 0) == 0x10) {
      // the mapping id, resolved to an index by link()
      I32[((get(24) | 0) + (i << 3)) >> 2] = vlo;
      I32[((get(24) | 0) + (i << 3) + 4) >> 2] = vhi;
    } else if ((tag | 0) == 0x18) {
      I32[((get(25) | 0) + (i << 3)) >> 2] = vlo;
      I32[((get(25) | 0) + (i << 3) + 4) >> 2] = vhi;
    } else if ((tag | 0) == 0x28) {
      I32[((get(26) | 0) + (i << 2)) >> 2] = (vlo | vhi) != 0 ? 1 : 0;
    } else return -1;
  }
  return ln | 0;
}

/**
 * Pass 2: sample types, sample ranges, mappings, locations, functions, string ranges, comments
 * and the scalar fields (slots 60..73: lo, hi of drop_frames, keep_frames, time_nanos,
 * duration_nanos, period, default_sample_type, doc_url; slot 56: 1 when period_type is set, its
 * type and unit in slots 57 and 58).
 */
function asmFill(end) {
  end = end | 0;
  var pos = 0;
  var tag = 0;
  var e = 0;
  var nStr = 0;
  var iST = 0;
  var iS = 0;
  var iM = 0;
  var iL = 0;
  var iF = 0;
  var iStr = 0;
  var iC = 0;
  var ln = 0;
  var k = 0;
  var x = 0;
  nStr = get(5) | 0;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if ((tag & 7) == 2) {
      e = lenEnd(pos, end) | 0;
      if ((e | 0) < 0) return -1;
      pos = vend;
      switch (tag | 0) {
        case 0x0a:
          if (valueType(pos, e, ((get(11) | 0) + (iST << 3)) | 0, nStr) | 0) return -1;
          iST = (iST + 1) | 0;
          break;
        case 0x12:
          I32[((get(12) | 0) + (iS << 3)) >> 2] = pos;
          I32[((get(12) | 0) + (iS << 3) + 4) >> 2] = e;
          iS = (iS + 1) | 0;
          break;
        case 0x1a:
          if (mapping(pos, e, iM, nStr) | 0) return -1;
          iM = (iM + 1) | 0;
          break;
        case 0x22:
          ln = location(pos, e, iL, ln) | 0;
          if ((ln | 0) < 0) return -1;
          iL = (iL + 1) | 0;
          break;
        case 0x2a:
          if (func(pos, e, iF, nStr) | 0) return -1;
          iF = (iF + 1) | 0;
          break;
        case 0x32:
          I32[((get(13) | 0) + (iStr << 3)) >> 2] = pos;
          I32[((get(13) | 0) + (iStr << 3) + 4) >> 2] = e;
          // the string's high bits (0: ASCII)
          x = 0;
          for (k = pos; (k | 0) < (e | 0); k = (k + 1) | 0) x = x | (U8[k] | 0);
          I32[((get(39) | 0) + (iStr << 2)) >> 2] = x & 0x80;
          iStr = (iStr + 1) | 0;
          break;
        case 0x5a:
          if (valueType(pos, e, (S + (57 << 2)) | 0, nStr) | 0) return -1;
          put(56, 1);
          break;
        default:
          // 0x6a: packed comments
          k = pos;
          while ((k | 0) < (e | 0)) {
            if (varint(k, e) | 0) return -1;
            k = vend;
            x = sidx(nStr) | 0;
            if ((x | 0) < 0) return -1;
            I32[((get(14) | 0) + (iC << 2)) >> 2] = x;
            iC = (iC + 1) | 0;
          }
      }
      pos = e;
    } else {
      if (varint(pos, end) | 0) return -1;
      pos = vend;
      if ((tag | 0) == 0x68) {
        x = sidx(nStr) | 0;
        if ((x | 0) < 0) return -1;
        I32[((get(14) | 0) + (iC << 2)) >> 2] = x;
        iC = (iC + 1) | 0;
      } else {
        // 0x38 drop, 0x40 keep, 0x48 time, 0x50 duration, 0x60 period, 0x70 default, 0x78 doc
        k = (tag >> 3) - 7 | 0;
        if ((k | 0) > 4) k = (k - 1) | 0;
        if ((k | 0) > 4) k = (k - 1) | 0;
        put((60 + (k << 1)) | 0, vlo);
        put((61 + (k << 1)) | 0, vhi);
      }
    }
  }
  I32[((get(27) | 0) + (iL << 2)) >> 2] = ln;
  put(9, ln);
  return 0;
}

/**
 * The dense index of n ids (pairs at ids) in a table at idx of 4n+1025 entries (id → index + 1);
 * -1 for an id that is 0, above 2^32, past the table, or repeated.
 */
function index(ids, n, idx) {
  ids = ids | 0;
  n = n | 0;
  idx = idx | 0;
  var i = 0;
  var lo = 0;
  var max = 0;
  max = ((n << 2) + 1024) | 0;
  for (i = 0; (i | 0) < (n | 0); i = (i + 1) | 0) {
    if ((I32[(ids + (i << 3) + 4) >> 2] | 0) != 0) return -1;
    lo = I32[(ids + (i << 3)) >> 2] | 0;
    if ((lo | 0) <= 0) return -1;
    if ((lo | 0) > (max | 0)) return -1;
    if ((I32[(idx + (lo << 2)) >> 2] | 0) != 0) return -1;
    I32[(idx + (lo << 2)) >> 2] = (i + 1) | 0;
  }
  return 0;
}

function asmLink() {
  var i = 0;
  var n = 0;
  var lo = 0;
  var hi = 0;
  var x = 0;
  var max = 0;
  if (index(get(16) | 0, get(2) | 0, get(36) | 0) | 0) return -1;
  if (index(get(30) | 0, get(4) | 0, get(37) | 0) | 0) return -1;
  if (index(get(23) | 0, get(3) | 0, get(38) | 0) | 0) return -1;
  // location mapping ids → indices (-1: none or unknown, as the reference decoder)
  n = get(3) | 0;
  max = (((get(2) | 0) << 2) + 1024) | 0;
  for (i = 0; (i | 0) < (n | 0); i = (i + 1) | 0) {
    lo = I32[((get(24) | 0) + (i << 3)) >> 2] | 0;
    hi = I32[((get(24) | 0) + (i << 3) + 4) >> 2] | 0;
    x = -1;
    if ((hi | 0) == 0) if ((lo | 0) > 0) if ((lo | 0) <= (max | 0)) x = ((I32[((get(36) | 0) + (lo << 2)) >> 2] | 0) - 1) | 0;
    I32[((get(24) | 0) + (i << 2)) >> 2] = x;
  }
  // line function ids → indices (a line must name a known function)
  n = get(9) | 0;
  max = (((get(4) | 0) << 2) + 1024) | 0;
  for (i = 0; (i | 0) < (n | 0); i = (i + 1) | 0) {
    lo = I32[((get(28) | 0) + (i << 2)) >> 2] | 0;
    if ((lo | 0) <= 0) return -1;
    if ((lo | 0) > (max | 0)) return -1;
    x = ((I32[((get(37) | 0) + (lo << 2)) >> 2] | 0) - 1) | 0;
    if ((x | 0) < 0) return -1;
    I32[((get(28) | 0) + (i << 2)) >> 2] = x;
  }
  return 0;
}

/** A location id (the last varint) as a location index, stored at the next sample-location slot. */
function addLoc(id, maxId, lidx, locs) {
  id = id | 0;
  maxId = maxId | 0;
  lidx = lidx | 0;
  locs = locs | 0;
  var li = 0;
  if ((id | 0) <= 0) return -1;
  if ((id | 0) > (maxId | 0)) return -1;
  li = ((I32[(lidx + (id << 2)) >> 2] | 0) - 1) | 0;
  if ((li | 0) < 0) return -1;
  I32[(locs + (nSL << 2)) >> 2] = li;
  nSL = (nSL + 1) | 0;
  return 0;
}

/** One label of a sample from [pos, end), kept (as pprof does) if it has a string, a number or a unit. */
function label(pos, end, nStr) {
  pos = pos | 0;
  end = end | 0;
  nStr = nStr | 0;
  var tag = 0;
  var key = 0;
  var str = 0;
  var unit = 0;
  var at = 0;
  at = ((get(52) | 0) + (nLab << 3)) | 0;
  F64[at >> 3] = ZERO;
  while ((pos | 0) < (end | 0)) {
    tag = U8[pos] | 0;
    pos = (pos + 1) | 0;
    if (varint(pos, end) | 0) return -1;
    pos = vend;
    if ((tag | 0) == 0x18) F64[at >> 3] = +sval();
    else {
      if ((sidx(nStr) | 0) < 0) return -1;
      if ((tag | 0) == 0x08) key = vlo;
      else if ((tag | 0) == 0x10) str = vlo;
      else if ((tag | 0) == 0x20) unit = vlo;
      else return -1;
    }
  }
  if ((str | 0) == 0) if (+F64[at >> 3] == ZERO) if ((unit | 0) == 0) return 0;
  if ((str | 0) != 0) {
    F64[at >> 3] = ZERO;
    unit = 0;
  }
  I32[((get(50) | 0) + (nLab << 2)) >> 2] = key;
  I32[((get(51) | 0) + (nLab << 2)) >> 2] = str;
  I32[((get(53) | 0) + (nLab << 2)) >> 2] = unit;
  nLab = (nLab + 1) | 0;
  return 0;
}

function asmSamples(from, to) {
  from = from | 0;
  to = to | 0;
  var i = 0;
  var pos = 0;
  var end = 0;
  var tag = 0;
  var e = 0;
  var b = 0;
  var v = 0;
  var nv = 0;
  var nT = 0;
  var nStr = 0;
  var ranges = 0;
  var locs = 0;
  var lidx = 0;
  var maxId = 0;
  var vals = 0;
  var locStart = 0;
  var labStart = 0;
  nT = get(0) | 0;
  nStr = get(5) | 0;
  ranges = get(12) | 0;
  locs = get(45) | 0;
  lidx = get(38) | 0;
  maxId = (((get(3) | 0) << 2) + 1024) | 0;
  vals = get(46) | 0;
  locStart = get(47) | 0;
  labStart = get(48) | 0;
  for (i = from; (i | 0) < (to | 0); i = (i + 1) | 0) {
    pos = I32[(ranges + (i << 3)) >> 2] | 0;
    end = I32[(ranges + (i << 3) + 4) >> 2] | 0;
    I32[(locStart + (i << 2)) >> 2] = nSL;
    I32[(labStart + (i << 2)) >> 2] = nLab;
    nv = 0;
    while ((pos | 0) < (end | 0)) {
      tag = U8[pos] | 0;
      pos = (pos + 1) | 0;
      if ((tag | 0) == 0x0a) {
        e = lenEnd(pos, end) | 0;
        if ((e | 0) < 0) return -1;
        pos = vend;
        while ((pos | 0) < (e | 0)) {
          b = U8[pos] | 0;
          if ((b | 0) < 0x80) {
            v = b;
            pos = (pos + 1) | 0;
          } else {
            if ((pos + 1 | 0) < (e | 0)) {
              v = U8[(pos + 1) | 0] | 0;
              if ((v | 0) < 0x80) {
                v = (b & 0x7f) | (v << 7);
                pos = (pos + 2) | 0;
              } else v = -1;
            } else v = -1;
            if ((v | 0) < 0) {
              if (varint(pos, e) | 0) return -1;
              if ((vhi | 0) != 0) return -1;
              v = vlo;
              pos = vend;
            }
          }
          if ((v | 0) <= 0) return -1;
          if ((v | 0) > (maxId | 0)) return -1;
          v = ((I32[(lidx + (v << 2)) >> 2] | 0) - 1) | 0;
          if ((v | 0) < 0) return -1;
          I32[(locs + (nSL << 2)) >> 2] = v;
          nSL = (nSL + 1) | 0;
        }
      } else if ((tag | 0) == 0x12) {
        e = lenEnd(pos, end) | 0;
        if ((e | 0) < 0) return -1;
        pos = vend;
        while ((pos | 0) < (e | 0)) {
          if (varint(pos, e) | 0) return -1;
          pos = vend;
          if ((nv | 0) < (nT | 0)) F64[(vals + ((imul(i, nT) | 0) + nv << 3)) >> 3] = +sval();
          nv = (nv + 1) | 0;
        }
      } else if ((tag | 0) == 0x08) {
        if (varint(pos, end) | 0) return -1;
        pos = vend;
        if ((vhi | 0) != 0) return -1;
        if (addLoc(vlo, maxId, lidx, locs) | 0) return -1;
      } else if ((tag | 0) == 0x10) {
        if (varint(pos, end) | 0) return -1;
        pos = vend;
        if ((nv | 0) < (nT | 0)) F64[(vals + ((imul(i, nT) | 0) + nv << 3)) >> 3] = +sval();
        nv = (nv + 1) | 0;
      } else if ((tag | 0) == 0x1a) {
        e = lenEnd(pos, end) | 0;
        if ((e | 0) < 0) return -1;
        if (label(vend, e, nStr) | 0) return -1;
        pos = e;
      } else return -1;
    }
    if ((nv | 0) != (nT | 0)) return -1;
  }
  I32[(locStart + (to << 2)) >> 2] = nSL;
  I32[(labStart + (to << 2)) >> 2] = nLab;
  put(49, nLab);
  return nSL | 0;
}

return { init: asmInit, count: asmCount, fill: asmFill, link: asmLink, samples: asmSamples };
`;

type AsmModule = (stdlib: AsmStdlib, foreign: AsmForeign, heap: ArrayBuffer) => ProtoAsm;
let compiled: AsmModule | null | undefined;

/**
 * The module function, compiled once per process; null where code cannot be compiled at run time
 * (a Content-Security-Policy without 'unsafe-eval'): the reference decoder is used there.
 */
export function protoAsmModule(): AsmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new Function('stdlib', 'foreign', 'heap', SOURCE) as AsmModule;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}
