/**
 * Streaming parser for Go heap dumps (runtime/debug.WriteHeapDump, "go1.7 heap dump\n").
 *
 * The caller reads the file in chunks and calls push(chunk) for each, then end(). Records may straddle
 * chunk boundaries; a record is retried once more bytes are present (no byte is ever re-read more than
 * a few times: big records wait until they are complete). Nothing holds a reference to a pushed chunk
 * after push() returns, so callers may reuse their buffer. Files beyond 2 GB are fine: offsets are
 * float64 and only the current record is ever buffered.
 *
 * Truncated input (no EOF record) yields a partial HeapDump with complete = false and a warning.
 * Corrupt bytes throw a BAD_FORMAT HeapscopeError naming the record kind and the byte offset of the
 * record (or, with partialOnCorruption, stop there and return what was read, marked incomplete).
 */
import { HeapscopeError } from '../errors';
import { NO_TASK, type TaskContext } from '../task';
import {
  aRecord,
  MEMSTATS_FIELDS,
  RECORD_NAMES,
  type DumpFinalizer,
  type DumpFrame,
  type DumpGoroutine,
  type DumpMemProfBucket,
  type DumpMemStats,
  type DumpSegment,
  type DumpThread,
  type HeapDump,
  type HeapDumpParams,
  type RootSlot,
} from './dump';
import { AddrBlocks, GrowF64, GrowU32, newU16 } from './grow';
import { PAGE_SIZE, hasAllocHeader, isSpanTail, mayHaveTail, spanLayout, type SpanLayout } from './spans';

export const HEAPDUMP_FORMAT = 'heapdump';
const HEADER = 'go1.7 heap dump\n';
const HEADER_BYTES = new Uint8Array([...HEADER].map((c) => c.charCodeAt(0)));

/** True when the bytes start like a Go heap dump (sniffing). */
export function isHeapDump(head: Uint8Array): boolean {
  if (head.length < HEADER_BYTES.length) return false;
  for (let i = 0; i < HEADER_BYTES.length; i++) if (head[i] !== HEADER_BYTES[i]) return false;
  return true;
}

export interface HeapDumpParserOptions {
  /** File size when known: progress, and earlier detection of absurd lengths. */
  totalBytes?: number;
  task?: TaskContext;
  /** File name for error messages. */
  file?: string;
  /** On corrupt bytes, stop and return what was read (complete = false) instead of throwing. */
  partialOnCorruption?: boolean;
}

class NeedMore {}
const NEED_MORE = new NeedMore();

class CutShort {}
/** The record cannot complete within the announced file size. */
const CUT_SHORT = new CutShort();

class Corrupt {
  constructor(readonly message: string) {}
}

const MAX_STRING = 1 << 24;
const MAX_FRAMES = 1 << 20;
const TWO32 = 4294967296;
const CANCEL_EVERY = 1 << 18;
/** Growth of the carry-over buffer stops doubling here (bigger records get exactly what they need). */
const MAX_BUFFER = 1 << 30;

const decoder = new TextDecoder('utf-8');

export class HeapDumpParser {
  private readonly opts: HeapDumpParserOptions;
  private readonly task: TaskContext;

  // Current window of bytes being parsed.
  private buf: Uint8Array = new Uint8Array(0);
  private p = 0;
  private lim = 0;
  /** Absolute file offset of buf[0]. */
  private base = 0;
  /** Bytes waiting for more input (copy of an unfinished record's start plus following chunks). */
  private acc: Uint8Array = new Uint8Array(0);
  private accLen = 0;
  /** Absolute offset of acc[0]. */
  private accBase = 0;
  /** Do not retry parsing until this many bytes (absolute end offset) are available. */
  private needAbs = 0;
  /** needAbs is where a length read from the record ends (not a guess that doubles). */
  private needExact = false;
  private consumedAbs = 0;
  private headerSeen = 0;
  private done = false;
  private stopped = false;
  private ended = false;
  private recStartAbs = 0;
  private recTag = -1;
  private sinceCancel = 0;

  // Output.
  private params: HeapDumpParams = {
    bigEndian: false,
    ptrSize: 8,
    arenaStart: 0,
    arenaEnd: 0,
    goarch: '',
    goVersion: '',
    ncpu: 0,
  };
  private haveParams = false;
  private readonly warnings: string[] = [];
  private records = 0;
  private readonly recordCounts: number[] = new Array(RECORD_NAMES.length).fill(0);
  /** Object addresses: 32-bit offsets from the arena start when the arena spans <= 4 GiB. */
  private objAddr: AddrBlocks | null = null;
  private objCount = 0;
  /** Object sizes: 32-bit until an object of 4 GiB or more shows up. */
  private objSize: GrowU32 | null;
  private objSizeBig: GrowF64 | null = null;
  /** Low 32 bits of the contents' file offsets; they only grow, so the high bits are a few steps. */
  private readonly objContent: GrowU32;
  private readonly contentSteps: { index: number; high: number }[] = [];
  private contentHigh = 0;
  private readonly objEdgeStart: GrowU32;
  /** Edge targets relative to edgeBase: 32-bit when the arena spans <= 4 GiB (decided at the first object). */
  private edgeRel: GrowU32 | null = null;
  private edgeAbs: GrowF64 | null = null;
  private edgeBase = 0;
  private edgeCount = 0;
  private readonly edgeOffset: GrowU32;
  private readonly goroutines: DumpGoroutine[] = [];
  private readonly gByAddr = new Map<number, DumpGoroutine>();
  private readonly segments: DumpSegment[] = [];
  private readonly finalizers: DumpFinalizer[] = [];
  private readonly queuedFinalizers: DumpFinalizer[] = [];
  private readonly otherRoots: { description: string; pointer: number }[] = [];
  private readonly types: { address: number; size: number; name: string }[] = [];
  private readonly itabs: { address: number; typeAddress: number }[] = [];
  private readonly threads: DumpThread[] = [];
  private memStats: DumpMemStats | null = null;
  private readonly memProf: DumpMemProfBucket[] = [];
  private sampleObj: AddrBlocks | null = null;
  private readonly sampleBucket: GrowU32;
  private readonly bucketIndex = new Map<number, number>();
  /** The bucket of the last alloc sample and its index (-1: none; reset when a bucket is added). */
  private lastBucket = -1;
  private lastBucketIndex = 0xffffffff;
  /** Span layout of the runtime that wrote the dump (from the params record). */
  private layout: SpanLayout | null = null;
  /** The span (page, element size) the last small object lay in, and whether it holds pointers. */
  private spanPage = -1;
  private spanSize = 0;
  private spanScan = false;
  private tailAddr: GrowF64 | null = null;
  private tailSize: GrowF64 | null = null;
  private tailContent: GrowF64 | null = null;
  private tailBytes = 0;
  /** Where the dump stops short: byte offset and the record kind cut there. */
  private cut: { offset: number; record: string } | null = null;
  private typeObj: GrowF64 | null = null;
  private typeWord: GrowF64 | null = null;

  constructor(opts: HeapDumpParserOptions = {}) {
    this.opts = opts;
    this.task = opts.task ?? NO_TASK;
    // Per-object and per-pointer arrays start at an estimate from the file's size (grow.ts: only
    // the pages written count). A Go object record takes at least 17 bytes (a heap address is a
    // 6-byte varint, contents at least 8), a pointer at least 10 (its field entry and its word);
    // a file of smaller records still parses, its arrays then grow by doubling.
    const total = opts.totalBytes ?? 0;
    this.objCap = Math.floor(total / 16);
    this.edgeCap = Math.floor(total / 8);
    this.objSize = new GrowU32(this.objCap);
    this.objContent = new GrowU32(this.objCap);
    this.objEdgeStart = new GrowU32(this.objCap);
    this.edgeOffset = new GrowU32(this.edgeCap);
    // An alloc sample record holds two addresses (13 bytes or more): the objects' estimate fits
    // every dump with no more samples than objects.
    this.sampleBucket = new GrowU32(this.objCap);
  }
  private readonly objCap: number;
  private readonly edgeCap: number;

  /**
   * Feed the next chunk of the file. Records are parsed straight from the chunk; only an unfinished
   * record is copied (and then only as many of the next chunk's bytes as it needs, in doubling
   * steps), so the parser holds at most about one record beyond the caller's chunk.
   */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new HeapscopeError({ code: 'INTERNAL', message: 'push() after end()' });
    if (chunk.length === 0 || this.stopped) return;
    this.task.throwIfCancelled();
    let off = 0;
    if (this.accLen > 0) {
      // Complete the pending record from the front of the chunk.
      const pendingEnd = this.accBase + this.accLen;
      let small = 1 << 12;
      for (;;) {
        // What the record is known to need (exact once its length prefix was read), else a small
        // step that doubles while it keeps falling short.
        const step = Math.max(this.needAbs - (this.accBase + this.accLen), small);
        const take = Math.min(step, chunk.length - off);
        this.append(chunk.subarray(off, off + take));
        off += take;
        if (this.accBase + this.accLen >= this.needAbs) this.runAcc(false);
        if (this.stopped) return;
        if (this.accLen === 0) break;
        if (this.accBase >= pendingEnd) {
          // What is left in acc came from this chunk: drop the copy and parse the chunk itself.
          off -= this.accLen;
          this.accLen = 0;
          this.shrinkAcc();
          break;
        }
        if (off >= chunk.length) return;
        small *= 2;
      }
      if (off >= chunk.length) return;
    }
    const rest = off === 0 ? chunk : chunk.subarray(off);
    // Parse straight from the caller's chunk; keep only the unfinished tail.
    this.accBase = this.consumedAbs;
    if (this.consumedAbs + rest.length < this.needAbs) {
      this.append(rest);
      return;
    }
    this.buf = rest;
    this.base = this.consumedAbs;
    this.p = 0;
    this.lim = rest.length;
    this.run(false);
    const left = rest.length - this.p;
    this.consumedAbs = this.base + this.p;
    this.accBase = this.consumedAbs;
    if (left > 0 && !this.stopped) this.append(rest.subarray(this.p));
    this.releaseWindow();
  }

  /** Let go of a carry-over buffer that grew for one big record. */
  private shrinkAcc(): void {
    if (this.acc.length > 1 << 20 && this.accLen < this.acc.length >>> 2) this.acc = this.acc.slice(0, Math.max(this.accLen, 1 << 16));
  }

  /** No more input: returns the dump (partial when the file ended early). */
  end(): HeapDump {
    if (this.ended) throw new HeapscopeError({ code: 'INTERNAL', message: 'end() called twice' });
    if (!this.stopped && this.accLen > 0) {
      this.needAbs = 0;
      this.runAcc(true);
    }
    this.ended = true;
    if (this.headerSeen < HEADER_BYTES.length && !this.stopped) {
      throw this.error('not a Go heap dump: file ends inside the header', 0, 'TRUNCATED');
    }
    if (!this.done) {
      const left = this.accLen;
      if (!this.stopped) {
        if (left > 0) {
          const tag = this.acc[0];
          const kind = tag < RECORD_NAMES.length ? `${RECORD_NAMES[tag]} record` : 'record';
          this.warnings.push(`dump is incomplete: the file ends inside ${aRecord(kind)} at byte ${this.accBase}`);
          this.cut = { offset: this.accBase, record: kind };
        } else {
          this.warnings.push(`dump is incomplete: no EOF record (the file ends at byte ${this.consumedAbs})`);
          this.cut = { offset: this.consumedAbs, record: '' };
        }
      }
    }
    const objCount = this.objCount;
    this.objEdgeStart.push(this.edgeCount);
    const edgeTarget = this.edgeRel ? this.edgeRel.take() : this.edgeAbs ? this.edgeAbs.take() : new Uint32Array(0);
    const address = this.objAddr ? this.objAddr.take() : { values: new Uint32Array(0), base: 0 };
    const samples = this.sampleObj ? this.sampleObj.take() : { values: new Uint32Array(0), base: 0 };
    let contentOffsetHigh: Uint16Array | null = null;
    if (this.contentSteps.length) {
      contentOffsetHigh = newU16(objCount);
      for (const st of this.contentSteps) contentOffsetHigh.fill(st.high, st.index);
    }
    const dump: HeapDump = {
      complete: this.done && !this.stopped,
      cut: this.done && !this.stopped ? null : this.cut ?? { offset: this.consumedAbs, record: '' },
      warnings: this.warnings,
      bytesRead: this.consumedAbs,
      records: this.records,
      recordCounts: this.recordCounts,
      params: this.params,
      objects: {
        count: objCount,
        address: address.values,
        addressBase: address.base,
        size: this.objSize ? this.objSize.take() : this.objSizeBig!.take(),
        contentOffset: this.objContent.take(),
        contentOffsetHigh,
        edgeStart: this.objEdgeStart.take(),
        edgeTarget,
        edgeTargetBase: this.edgeBase,
        edgeOffset: this.edgeOffset.take(),
      },
      goroutines: this.goroutines,
      segments: this.segments,
      finalizers: this.finalizers,
      queuedFinalizers: this.queuedFinalizers,
      otherRoots: this.otherRoots,
      types: this.types,
      itabs: this.itabs,
      threads: this.threads,
      memStats: this.memStats,
      memProf: this.memProf,
      allocSamples: { object: samples.values, objectBase: samples.base, bucket: this.sampleBucket.take() },
      spanTails: {
        count: this.tailAddr ? this.tailAddr.length : 0,
        bytes: this.tailBytes,
        address: this.tailAddr ? this.tailAddr.take() : new Float64Array(0),
        size: this.tailSize ? this.tailSize.take() : new Float64Array(0),
        contentOffset: this.tailContent ? this.tailContent.take() : new Float64Array(0),
      },
      ...(this.opts.file !== undefined ? { file: this.opts.file } : {}),
      typeWords: { object: this.typeObj ? this.typeObj.take() : new Float64Array(0), type: this.typeWord ? this.typeWord.take() : new Float64Array(0) },
    };
    this.acc = new Uint8Array(0);
    this.accLen = 0;
    this.releaseWindow();
    return dump;
  }

  private rollbackEdges(mark: number): void {
    if (this.edgeCount === mark) return;
    this.edgeRel?.truncate(mark);
    this.edgeAbs?.truncate(mark);
    this.edgeOffset.truncate(mark);
    this.edgeCount = mark;
  }

  private releaseWindow(): void {
    this.buf = new Uint8Array(0);
    this.p = 0;
    this.lim = 0;
  }

  private append(bytes: Uint8Array): void {
    const need = this.accLen + bytes.length;
    if (need > this.acc.length) {
      let cap = Math.max(this.acc.length * 2, 1 << 16);
      while (cap < need) cap *= 2;
      if (cap > MAX_BUFFER) cap = Math.max(need, MAX_BUFFER);
      // A record whose length is known (a big object's contents) gets that much at once, plus an
      // eighth for what follows the contents (the field list), as far as the file goes: growing
      // by doubling copied it over and over.
      const total = this.opts.totalBytes;
      if (this.needExact && total !== undefined) {
        const known = this.needAbs - this.accBase;
        if (known > need) cap = Math.max(need, Math.min(known + (known >>> 3) + (1 << 16), total - this.accBase));
      }
      let next: Uint8Array;
      try {
        next = new Uint8Array(cap);
      } catch {
        // One record (a multi-gigabyte object) does not fit in memory as a single buffer.
        this.stopped = true;
        throw this.error(`a record of more than ${this.accLen} bytes starting at byte ${this.accBase} is too large to buffer`, this.accBase, 'BAD_FORMAT');
      }
      next.set(this.acc.subarray(0, this.accLen));
      this.acc = next;
    }
    this.acc.set(bytes, this.accLen);
    this.accLen = need;
  }

  private runAcc(final: boolean): void {
    this.buf = this.acc;
    this.base = this.accBase;
    this.p = 0;
    this.lim = this.accLen;
    this.run(final);
    const used = this.p;
    this.consumedAbs = this.base + used;
    if (this.stopped) {
      this.acc = new Uint8Array(0);
      this.accLen = 0;
    } else if (used > 0) {
      const rest = this.accLen - used;
      if (rest < this.acc.length >>> 2 && this.acc.length > 1 << 20) {
        // Shrink a buffer that grew for one big record.
        this.acc = this.acc.slice(used, used + Math.max(rest, 1 << 16));
      } else {
        this.acc.copyWithin(0, used, this.accLen);
      }
      this.accLen = rest;
      this.accBase = this.consumedAbs;
    }
    this.releaseWindow();
  }

  private error(message: string, offset: number, code: 'BAD_FORMAT' | 'TRUNCATED' = 'BAD_FORMAT'): HeapscopeError {
    const info: ConstructorParameters<typeof HeapscopeError>[0] = { code, message, format: HEAPDUMP_FORMAT, offset };
    if (this.opts.file !== undefined) info.file = this.opts.file;
    return new HeapscopeError(info);
  }

  private run(final: boolean): void {
    // Header.
    while (this.headerSeen < HEADER_BYTES.length) {
      if (this.p >= this.lim) return;
      if (this.buf[this.p] !== HEADER_BYTES[this.headerSeen]) {
        this.stopped = true;
        throw this.error('not a Go heap dump (expected the header "go1.7 heap dump")', this.base + this.p);
      }
      this.p++;
      this.headerSeen++;
    }
    const total = this.opts.totalBytes ?? 0;
    while (!this.done && this.p < this.lim) {
      const start = this.p;
      this.recStartAbs = this.base + start;
      const edgeMark = this.edgeCount;
      try {
        this.record();
      } catch (e) {
        if (e === NEED_MORE) {
          this.rollbackEdges(edgeMark);
          this.p = start;
          const have = this.lim - start;
          if (!final && have > 1 << 20 && this.needExact && this.needAbs <= this.recStartAbs + have) {
            // A big record's known part (an object's contents) is in, what follows it (the field
            // list) is not: an eighth more first, which the buffer made at the known length already
            // holds (a pointer-free object's list is one byte), before doubling. Doubling at once
            // buffered up to twice every big []byte.
            this.needAbs = this.recStartAbs + have + Math.max(1 << 16, have >>> 3);
            this.needExact = false;
          } else {
            if (!final && this.needAbs < this.recStartAbs + have + 1) {
              this.needAbs = this.recStartAbs + have + 1;
              this.needExact = false;
            }
            // A big record (e.g. a large object's field list) waits until the buffer has doubled.
            if (!final && have > 1 << 20 && this.needAbs < this.recStartAbs + have * 2) {
              this.needAbs = this.recStartAbs + have * 2;
              this.needExact = false;
            }
          }
          if (total > 0 && this.needAbs > total) this.needAbs = total;
          return;
        }
        if (e === CUT_SHORT) {
          this.rollbackEdges(edgeMark);
          this.p = start;
          const tag = this.recTag;
          const kind = tag >= 0 && tag < RECORD_NAMES.length ? `${RECORD_NAMES[tag]} record` : 'record';
          this.warnings.push(`dump is incomplete: the file ends inside ${aRecord(kind)} at byte ${this.recStartAbs}`);
          this.cut = { offset: this.recStartAbs, record: kind };
          this.stopped = true;
          return;
        }
        if (e instanceof Corrupt) {
          this.rollbackEdges(edgeMark);
          this.p = start;
          const tag = this.recTag;
          const kind = tag >= 0 && tag < RECORD_NAMES.length ? `${RECORD_NAMES[tag]} record` : 'record';
          const msg = `corrupt heap dump: ${e.message} in ${kind} at byte ${this.recStartAbs}`;
          if (this.opts.partialOnCorruption) {
            this.warnings.push(`dump is incomplete: ${msg}; the rest of the file was not read`);
            this.cut = { offset: this.recStartAbs, record: kind };
            this.stopped = true;
            return;
          }
          this.stopped = true;
          throw this.error(`corrupt heap dump: ${e.message} in ${kind}`, this.recStartAbs);
        }
        throw e;
      }
      this.records++;
      if (this.recTag >= 0 && this.recTag < this.recordCounts.length) this.recordCounts[this.recTag]++;
      if (++this.sinceCancel >= CANCEL_EVERY) {
        this.sinceCancel = 0;
        this.task.progress('Reading heap dump', this.base + this.p, total);
        this.task.throwIfCancelled();
      }
    }
    if (this.done) {
      // Anything after EOF is ignored.
      if (this.p < this.lim) {
        if (!this.warnings.some((w) => w.startsWith('ignored'))) this.warnings.push('ignored bytes after the EOF record');
        this.p = this.lim;
      }
    }
  }

  // ---- primitives -------------------------------------------------------------------------------

  private uv(): number {
    const buf = this.buf;
    const end = this.lim;
    let p = this.p;
    if (p >= end) throw NEED_MORE;
    let b = buf[p++];
    if (b < 128) {
      this.p = p;
      return b;
    }
    let x = b & 127;
    let mul = 128;
    for (let i = 1; ; i++) {
      if (p >= end) throw NEED_MORE;
      b = buf[p++];
      if (i === 9 && b > 1) throw new Corrupt('varint overflows 64 bits');
      x += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    this.p = p;
    return x;
  }

  /** Exact uvarint as a bigint. */
  private uvBig(): bigint {
    const buf = this.buf;
    const end = this.lim;
    let p = this.p;
    let x = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (p >= end) throw NEED_MORE;
      const b = buf[p++];
      if (i === 9 && b > 1) throw new Corrupt('varint overflows 64 bits');
      x |= BigInt(b & 127) << shift;
      if (b < 128) break;
      shift += 7n;
    }
    this.p = p;
    return x;
  }

  private bool(): boolean {
    const v = this.uv();
    if (v > 1) throw new Corrupt(`bad bool value ${v}`);
    return v === 1;
  }

  /** Length-prefixed bytes: returns the start index in buf; this.p moves past them. */
  private bytes(max: number, what: string): { at: number; len: number } {
    const len = this.uv();
    if (len > max) throw new Corrupt(`${what} length ${len} is too large`);
    const total = this.opts.totalBytes;
    const at = this.p;
    if (total !== undefined && this.base + at + len > total) {
      // Cannot be complete within this file: it was cut short here (or the length is corrupt).
      if (len > total) throw new Corrupt(`${what} length ${len} exceeds the file size`);
      throw CUT_SHORT;
    }
    if (at + len > this.lim) {
      const needEnd = this.base + at + len;
      if (needEnd > this.needAbs) {
        this.needAbs = needEnd;
        this.needExact = true;
      }
      throw NEED_MORE;
    }
    this.p = at + len;
    return { at, len };
  }

  private str(what: string): string {
    const { at, len } = this.bytes(MAX_STRING, what);
    if (len === 0) return '';
    return decoder.decode(this.buf.subarray(at, at + len));
  }

  /** Read a pointer-sized word at buf[q]; returns 0 for values that cannot be addresses (> 2^53). */
  private word(q: number): number {
    const b = this.buf;
    if (this.params.ptrSize === 8) {
      let lo: number;
      let hi: number;
      if (!this.params.bigEndian) {
        lo = (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) >>> 0;
        hi = (b[q + 4] | (b[q + 5] << 8) | (b[q + 6] << 16) | (b[q + 7] << 24)) >>> 0;
      } else {
        hi = ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
        lo = ((b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]) >>> 0;
      }
      if (hi >= 0x200000) return 0;
      return hi * TWO32 + lo;
    }
    if (!this.params.bigEndian) return (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) >>> 0;
    return ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
  }

  /**
   * Field list of a region whose contents are buf[at, at+len): pointer slots that hit the arena;
   * with `outside`, the other non-nil pointer slots go there (data/bss segments only).
   */
  private slots(at: number, len: number, outside?: RootSlot[]): RootSlot[] {
    const out: RootSlot[] = [];
    const ps = this.params.ptrSize;
    const lo = this.params.arenaStart;
    const hi = this.params.arenaEnd;
    for (;;) {
      const kind = this.uv();
      if (kind === 0) break;
      const off = this.uv();
      let wo: number;
      if (kind === 1) wo = off;
      else if (kind === 2 || kind === 3) wo = off + ps;
      else throw new Corrupt(`bad field kind ${kind}`);
      if (wo + ps > len) continue;
      const v = this.word(at + wo);
      if (v >= lo && v < hi && v !== 0) out.push({ offset: wo, target: v });
      else if (outside && v !== 0) outside.push({ offset: wo, target: v });
    }
    return out;
  }

  /** Base for 32-bit addresses: the arena start when the arena spans at most 4 GiB. */
  private arenaBase(): number | null {
    const lo = this.params.arenaStart;
    return this.haveParams && this.params.arenaEnd - lo <= 0xffffffff ? lo : null;
  }

  private maxObject(): number {
    const span = this.params.arenaEnd - this.params.arenaStart;
    return this.haveParams && span > 0 ? span : 2 ** 44;
  }

  // ---- records ----------------------------------------------------------------------------------

  private record(): void {
    const tag = this.uv();
    this.recTag = tag;
    switch (tag) {
      case 0:
        this.done = true;
        return;
      case 1:
        return this.object();
      case 2: {
        const description = this.str('description');
        const pointer = this.uv();
        this.otherRoots.push({ description, pointer });
        return;
      }
      case 3: {
        const address = this.uv();
        const size = this.uv();
        const name = this.str('type name');
        this.uv(); // "indirect" bool: no information
        this.types.push({ address, size, name });
        return;
      }
      case 4:
        return this.goroutine();
      case 5:
        return this.frame();
      case 6:
        return this.paramsRecord();
      case 7:
      case 11: {
        const f: DumpFinalizer = { object: this.uv(), funcval: this.uv(), fnPc: this.uv(), argType: this.uv(), objType: this.uv() };
        (tag === 7 ? this.finalizers : this.queuedFinalizers).push(f);
        return;
      }
      case 8: {
        const address = this.uv();
        const typeAddress = this.uv();
        this.itabs.push({ address, typeAddress });
        return;
      }
      case 9: {
        const address = this.uv();
        const id = this.uv();
        const osId = this.uv();
        this.threads.push({ address, id, osId });
        return;
      }
      case 10:
        return this.memstats();
      case 12:
      case 13: {
        const base = this.uv();
        const { at, len } = this.bytes(2 ** 36, 'segment');
        const staticSlots: RootSlot[] = [];
        const slots = this.slots(at, len, staticSlots);
        this.segments.push({ kind: tag === 12 ? 'data' : 'bss', base, size: len, contentsAt: this.base + at, slots, staticSlots });
        return;
      }
      case 14: {
        const address = this.uv();
        const g = this.uv();
        const d = { address, sp: this.uv(), pc: this.uv(), funcval: this.uv(), fnPc: this.uv(), link: this.uv() };
        const gr = this.gByAddr.get(g) ?? this.goroutines[this.goroutines.length - 1];
        if (gr) gr.defers.push(d);
        return;
      }
      case 15: {
        const address = this.uv();
        const g = this.uv();
        const efaceType = this.uv();
        const efaceData = this.uv();
        this.uv();
        const link = this.uv();
        const gr = this.gByAddr.get(g) ?? this.goroutines[this.goroutines.length - 1];
        if (gr) gr.panics.push({ address, efaceType, efaceData, link });
        return;
      }
      case 16:
        return this.memprof();
      case 17: {
        const obj = this.uv();
        const bucket = this.uv();
        if (!this.sampleObj) this.sampleObj = new AddrBlocks(this.arenaBase(), this.objCap);
        this.sampleObj.push(obj);
        // Samples come span by span, in runs of one bucket (19M samples in 262k runs in the 1 GB
        // bench dump, made with MemProfileRate=1): a Map lookup by a 40-bit key per sample was
        // ~0.25 s of the parse.
        if (bucket !== this.lastBucket) {
          this.lastBucket = bucket;
          this.lastBucketIndex = this.bucketIndex.get(bucket) ?? 0xffffffff;
        }
        this.sampleBucket.push(this.lastBucketIndex);
        return;
      }
      default:
        this.recTag = -1;
        throw new Corrupt(`unknown record tag ${tag}`);
    }
  }

  private paramsRecord(): void {
    const bigEndian = this.bool();
    const ptrSize = this.uv();
    if (ptrSize !== 4 && ptrSize !== 8) throw new Corrupt(`bad pointer size ${ptrSize}`);
    const arenaStart = this.uv();
    const arenaEnd = this.uv();
    if (arenaEnd < arenaStart) throw new Corrupt('arena end before arena start');
    const goarch = this.str('GOARCH');
    const goVersion = this.str('Go version');
    const ncpu = this.uv();
    this.params = { bigEndian, ptrSize, arenaStart, arenaEnd, goarch, goVersion, ncpu };
    this.haveParams = true;
    this.layout = spanLayout(goVersion, ptrSize);
    this.spanPage = -1;
  }

  private object(): void {
    const address = this.uv();
    const { at, len } = this.bytes(this.maxObject(), 'object');
    const ps = this.params.ptrSize;
    const lo = this.params.arenaStart;
    const hi = this.params.arenaEnd;
    if (!this.edgeRel && !this.edgeAbs) {
      if (this.haveParams && hi - lo <= 0xffffffff) {
        this.edgeRel = new GrowU32(this.edgeCap);
        this.edgeBase = lo;
      } else this.edgeAbs = new GrowF64(this.edgeCap);
    }
    const rel = this.edgeRel;
    const abs = this.edgeAbs;
    const base = this.edgeBase;
    const eo = this.edgeOffset;
    const mark = this.edgeCount;
    let count = mark;
    /** Pointer slots listed, whatever their value (the object's type has pointers). */
    let listed = 0;
    // The field list is most of a dump's bytes: read with the position in a local, one-byte
    // varints and little-endian 64-bit words inline; anything else through uv() and word().
    const buf = this.buf;
    const lim = this.lim;
    const le64 = ps === 8 && !this.params.bigEndian;
    let p = this.p;
    for (;;) {
      let kind: number;
      if (p < lim && buf[p] < 128) kind = buf[p++];
      else {
        this.p = p;
        kind = this.uv();
        p = this.p;
      }
      if (kind === 0) break;
      listed++;
      let off: number;
      if (p < lim && buf[p] < 128) off = buf[p++];
      else {
        this.p = p;
        off = this.uv();
        p = this.p;
      }
      let wo: number;
      if (kind === 1) wo = off;
      else if (kind === 2 || kind === 3) wo = off + ps;
      else {
        this.p = p;
        throw new Corrupt(`bad field kind ${kind}`);
      }
      if (wo + ps > len) continue;
      let v: number;
      if (le64) {
        const q = at + wo;
        const hw = (buf[q + 4] | (buf[q + 5] << 8) | (buf[q + 6] << 16) | (buf[q + 7] << 24)) >>> 0;
        v = hw >= 0x200000 ? 0 : hw * TWO32 + ((buf[q] | (buf[q + 1] << 8) | (buf[q + 2] << 16) | (buf[q + 3] << 24)) >>> 0);
      } else v = this.word(at + wo);
      if (v >= lo && v < hi && v !== 0) {
        if (rel) {
          const r = v - base;
          if (r < 0 || r > 0xffffffff) continue; // arena moved by a second params record: not representable
          rel.push(r);
        } else abs!.push(v);
        eo.push(wo > 0xffffffff ? 0xffffffff : wo);
        this.edgeCount = ++count;
      }
    }
    this.p = p;
    const layout = this.layout;
    if (layout && layout.headers) {
      if (mayHaveTail(layout, len)) {
        // Small-object spans are one page; the dumper writes a span's slots in order.
        const page = address - (address % PAGE_SIZE);
        if (page !== this.spanPage || len !== this.spanSize) {
          this.spanPage = page;
          this.spanSize = len;
          this.spanScan = false;
        }
        if (listed > 0) this.spanScan = true;
        if (isSpanTail(layout, address, len, this.spanScan)) {
          this.rollbackEdges(mark);
          if (!this.tailAddr) {
            this.tailAddr = new GrowF64();
            this.tailSize = new GrowF64();
            this.tailContent = new GrowF64();
          }
          this.tailAddr.push(address);
          this.tailSize!.push(len);
          this.tailContent!.push(this.base + at);
          this.tailBytes += len;
          return;
        }
      } else if (listed > 0 && len >= ps && hasAllocHeader(layout, len)) {
        if (!this.typeObj) {
          this.typeObj = new GrowF64();
          this.typeWord = new GrowF64();
        }
        this.typeObj.push(address);
        this.typeWord!.push(this.word(at));
      }
    }
    // Commit.
    const i = this.objCount++;
    if (!this.objAddr) this.objAddr = new AddrBlocks(this.arenaBase(), this.objCap);
    this.objAddr.push(address);
    if (this.objSize && len > 0xffffffff) {
      this.objSizeBig = this.objSize.toF64(0);
      this.objSize = null;
    }
    if (this.objSize) this.objSize.push(len);
    else this.objSizeBig!.push(len);
    const content = this.base + at;
    const high = Math.floor(content / TWO32);
    if (high !== this.contentHigh) {
      this.contentHigh = high;
      this.contentSteps.push({ index: i, high });
    }
    this.objContent.push(content - high * TWO32);
    this.objEdgeStart.push(mark);
  }

  private goroutine(): void {
    const address = this.uv();
    const sp = this.uv();
    const goid = this.uv();
    const gopc = this.uv();
    const status = this.uv();
    const isSystem = this.bool();
    const isBackground = this.bool();
    const waitSince = this.uvBig();
    const waitReason = this.str('wait reason');
    const ctxt = this.uv();
    const m = this.uv();
    const topDefer = this.uv();
    const topPanic = this.uv();
    const g: DumpGoroutine = {
      address,
      sp,
      goid,
      gopc,
      status,
      isSystem,
      isBackground,
      waitSince: BigInt.asIntN(64, waitSince).toString(),
      waitReason,
      ctxt,
      m,
      topDefer,
      topPanic,
      frames: [],
      defers: [],
      panics: [],
    };
    this.goroutines.push(g);
    this.gByAddr.set(address, g);
  }

  private frame(): void {
    const sp = this.uv();
    const depth = this.uv();
    const childSp = this.uv();
    const { at, len } = this.bytes(1 << 30, 'frame');
    const entryPc = this.uv();
    const pc = this.uv();
    const continuationPc = this.uv();
    const name = this.str('function name');
    const slots = this.slots(at, len);
    const g = this.goroutines[this.goroutines.length - 1];
    if (!g) throw new Corrupt('stack frame outside a goroutine');
    if (g.frames.length >= MAX_FRAMES) throw new Corrupt('too many stack frames');
    const f: DumpFrame = { sp, depth, childSp, size: len, contentsAt: this.base + at, entryPc, pc, continuationPc, name, slots };
    g.frames.push(f);
  }

  private memstats(): void {
    const fields: Record<string, string> = {};
    for (const name of MEMSTATS_FIELDS) fields[name] = this.uvBig().toString();
    const pauseNs: string[] = [];
    for (let i = 0; i < 256; i++) pauseNs.push(this.uvBig().toString());
    const numGC = this.uv();
    this.memStats = { fields, pauseNs, numGC };
  }

  private memprof(): void {
    const id = this.uv();
    const size = this.uv();
    const n = this.uv();
    if (n > 100000) throw new Corrupt(`bad frame count ${n}`);
    const frames = [];
    for (let i = 0; i < n; i++) {
      const func = this.str('function name');
      const file = this.str('file name');
      const line = this.uv();
      frames.push({ func, file, line });
    }
    const allocs = this.uv();
    const frees = this.uv();
    if (!this.bucketIndex.has(id)) this.bucketIndex.set(id, this.memProf.length);
    this.lastBucket = -1; // a sample's bucket may be listed only now
    this.memProf.push({ id, size, frames, allocs, frees });
  }
}

/** Parse a whole dump held in memory (tests, small files); chunks it like a file reader would. */
export function parseHeapDump(bytes: Uint8Array, opts: HeapDumpParserOptions = {}, chunkSize = 1 << 22): HeapDump {
  const p = new HeapDumpParser({ totalBytes: bytes.length, ...opts });
  for (let off = 0; off < bytes.length; off += chunkSize) p.push(bytes.subarray(off, Math.min(bytes.length, off + chunkSize)));
  return p.end();
}
