/**
 * Legacy text profiles written by Go's runtime/pprof with ?debug=1:
 *   heap / allocs   "heap profile: N: M [N2: M2] @ heap/RATE"
 *   goroutine       "goroutine profile: total N"      threadcreate: "threadcreate profile: total N"
 *   goroutineleak   "goroutineleak profile: total N"  (Go 1.26 with GOEXPERIMENT=goroutineleakprofile, 1.27+;
 *                   the goroutine profile's format restricted to leaked goroutines, `# labels:` included)
 *   mutex / block   "--- mutex:" / "--- contention:"
 *
 * Values, sample types, un-sampling and addresses follow google/pprof's legacy parsers exactly
 * (parseHeap + scaleHeapSample, parseGoCount, parseContention), so the numbers match
 * `go tool pprof`. Unlike pprof (which needs the binary to name addresses), frames are named from
 * the `#\t0xpc\tfunc+0xoff\tfile:line` comment lines Go writes under each record: a location's
 * address is the return address − 1 (pprof's adjustment), which is exactly the pc on the comment
 * line, and inlined calls (which Go reports as their own pcs) are named by their own function,
 * as in the protobuf profile. Addresses Go printed no comment line for (the leading runtime.*
 * frames it elides, runtime.goexit at the root) are trimmed from the stack ends, which is what
 * pprof's own drop_frames does to a symbolized legacy heap profile and what Go's protobuf heap
 * writer does; `keepUnnamedFrames` keeps them for address-level parity with pprof.
 * Extras kept: `# labels: {...}` lines become string labels; the `# runtime.MemStats` block
 * becomes metadata.
 */
import { HeapscopeError } from '../../errors';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import { ProfileBuilder, type BuilderLine } from '../builder';
import type { Profile } from '../model';
import { findCrashDump, sniffGoroutineDump } from './goroutines';

export type LegacyTextFormat =
  | 'heap-debug1'
  | 'goroutine-debug1'
  | 'goroutineleak-debug1'
  | 'threadcreate-debug1'
  | 'mutex-debug1'
  | 'block-debug1'
  | 'goroutine-debug2';

function asciiPrefix(b: Uint8Array, n: number): string {
  let s = '';
  const m = Math.min(b.length, n);
  for (let i = 0; i < m; i++) {
    const c = b[i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * True when the first bytes are plain text (printable ASCII/UTF-8, tabs and line ends only). A
 * profile.proto message has control bytes (tags, small varints) within its first few bytes, so a
 * text file is told apart before the protobuf decoder reports a confusing field error.
 */
export function isPlainText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return false;
  }
  return true;
}

/** Recognises the text formats from their first line(s); null if none matches. */
export function sniffLegacyText(b: Uint8Array): LegacyTextFormat | null {
  const head = asciiPrefix(b, 4096).replace(/^(?:[ \t]*\r?\n)+/, '');
  const firstLine = (head.split('\n', 1)[0] ?? '').replace(/\r$/, '');
  if (/^heap profile: *\d+: *\d+ *\[ *\d+: *\d+ *\] *@/.test(firstLine)) return 'heap-debug1';
  if (/^goroutine profile: total \d+/.test(firstLine)) return 'goroutine-debug1';
  if (/^goroutineleak profile: total \d+/.test(firstLine)) return 'goroutineleak-debug1';
  if (/^threadcreate profile: total \d+/.test(firstLine)) return 'threadcreate-debug1';
  if (firstLine.startsWith('--- mutex:')) return 'mutex-debug1';
  if (firstLine.startsWith('--- contention:')) return 'block-debug1';
  // A goroutine header (any Go's form: labels, gp=/m=), or a crash preamble followed by one.
  if (sniffGoroutineDump(head)) return 'goroutine-debug2';
  // A service's log with a crash's goroutine dump further on (kubectl logs, journalctl): plain text
  // whose every line the goroutine reader skips up to the dump.
  if (isPlainText(b) && findCrashDump(new TextDecoder('utf-8').decode(b)) !== null) return 'goroutine-debug2';
  return null;
}

export interface LegacyResult {
  profile: Profile;
  warnings: string[];
}

interface Record {
  lineNo: number;
  values: number[];
  addrs: Array<number | bigint>;
  labels?: Array<{ key: string; str: string }>;
  blockSize?: number;
  /** Address keys this record's own "#" lines name. */
  named?: Set<string>;
}

interface FrameName {
  func: string;
  file: string;
  line: number;
}

/** Parses a hex address; returns a number when exact, else a bigint. */
function parseHex(s: string): number | bigint | null {
  const h = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (h.length === 0 || h.length > 16 || !/^[0-9a-fA-F]+$/.test(h)) return null;
  if (h.length <= 13) return Number.parseInt(h, 16);
  return BigInt('0x' + h);
}

function minus1(a: number | bigint): number | bigint {
  if (typeof a === 'number') return a === 0 ? BigInt.asUintN(64, -1n) : a - 1;
  return BigInt.asUintN(64, a - 1n);
}

function addrKey(a: number | bigint): string {
  return typeof a === 'number' ? a.toString(16) : a.toString(16);
}

/** Go's strconv.ParseInt(s, 10, 64) bounds, as a number. */
function parseIntStrict(s: string): number | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  const v = Number(s);
  if (Math.abs(v) > 9223372036854775807) return null;
  return v;
}

/** Parses "#\t0x4b606e\tmain.leakBig+0x2e\t/tmp/main.go:17". */
function parseCommentFrame(line: string): { pc: number | bigint; name: FrameName | null } | null {
  const body = line.replace(/^#\s*/, '');
  const m = /^(0x[0-9a-fA-F]+)(?:\s+(.*))?$/.exec(body);
  if (!m) return null;
  const pc = parseHex(m[1]!);
  if (pc === null) return null;
  const rest = (m[2] ?? '').trim();
  if (rest === '') return { pc, name: null };
  // Function and file:line are separated by tabs; function names have no tabs.
  let fn: string;
  let fileLine: string;
  const tab = rest.search(/\t/);
  if (tab >= 0) {
    fn = rest.slice(0, tab);
    fileLine = rest.slice(tab).trim();
  } else {
    const sp = rest.search(/\s/);
    fn = sp >= 0 ? rest.slice(0, sp) : rest;
    fileLine = sp >= 0 ? rest.slice(sp).trim() : '';
  }
  fn = fn.replace(/\+0x[0-9a-fA-F]+$/, '');
  let file = fileLine;
  let lineNo = 0;
  const c = fileLine.lastIndexOf(':');
  if (c > 0 && /^\d+$/.test(fileLine.slice(c + 1))) {
    file = fileLine.slice(0, c);
    lineNo = Number(fileLine.slice(c + 1));
  }
  return { pc, name: { func: fn, file, line: lineNo } };
}

/** Go's labelMap.String(): {"k":"v", "k2":"v2"}. */
function parseLabels(s: string): Array<{ key: string; str: string }> {
  const out: Array<{ key: string; str: string }> = [];
  const re = /"((?:[^"\\]|\\.)*)":"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const unq = (x: string): string => {
      try {
        return JSON.parse(`"${x}"`) as string;
      } catch {
        return x;
      }
    };
    out.push({ key: unq(m[1]!), str: unq(m[2]!) });
  }
  return out;
}

/** pprof's scaleHeapSample (v2 sampling: probability 1 − exp(−size/rate)). */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

/** Go's integer division (truncates toward zero). */
function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

export interface LegacyTextOptions {
  /** Keep addresses that have no "#" line (pprof's exact stacks; frames show as <unknown>). */
  keepUnnamedFrames?: boolean;
}

export function parseLegacyText(
  bytes: Uint8Array,
  format: Exclude<LegacyTextFormat, 'goroutine-debug2'>,
  file: string,
  task: TaskContext = NO_TASK,
  opts: LegacyTextOptions = {},
): LegacyResult {
  const text = new TextDecoder('utf-8').decode(bytes);
  const lines = text.split('\n');
  const warnings: string[] = [];
  const b = new ProfileBuilder();
  const p = b.p;
  const fail = (code: 'BAD_FORMAT' | 'TRUNCATED', message: string, lineNo: number): never => {
    throw new HeapscopeError({ code, message, file, format, line: lineNo });
  };
  const records: Record[] = [];
  const names = new Map<string, FrameName>();
  const metadata: Array<{ key: string; value: string }> = [];
  let i = 0;
  const n = lines.length;
  const lineAt = (k: number): string => lines[k]!.replace(/\r$/, '');

  // Comment lines (frames, labels, MemStats) are shared by all formats.
  let inMemStats = false;
  let current: Record | null = null;
  const comment = (raw: string): void => {
    const t = raw.trim();
    if (t === '# runtime.MemStats') {
      inMemStats = true;
      return;
    }
    if (inMemStats) {
      const m = /^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/.exec(t);
      if (m) metadata.push({ key: m[1]!, value: m[2]! });
      return;
    }
    if (t.startsWith('# labels:')) {
      if (current) current.labels = parseLabels(t.slice('# labels:'.length));
      return;
    }
    const fr = parseCommentFrame(t);
    if (fr && fr.name && fr.name.func !== '') {
      const k = addrKey(fr.pc);
      if (!names.has(k)) names.set(k, fr.name);
      if (current) (current.named ??= new Set()).add(k);
    }
  };
  const isSpaceOrComment = (l: string): boolean => {
    const t = l.trim();
    return t.length === 0 || t[0] === '#';
  };
  const parseAddrs = (s: string, lineNo: number): Array<number | bigint> => {
    const out: Array<number | bigint> = [];
    for (const tok of s.match(/0x[0-9a-f]+/g) ?? []) {
      const a = parseHex(tok);
      if (a === null) fail('BAD_FORMAT', `failed to parse as hex 64-bit number: ${tok}`, lineNo);
      out.push(a!);
    }
    return out;
  };

  let start = 0;
  while (start < n - 1 && lineAt(start).trim() === '') start++;
  if (format === 'heap-debug1') {
    const header = lineAt(start);
    const h = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/.exec(header);
    if (!h) fail('BAD_FORMAT', 'unrecognized heap profile header', start + 1);
    let period = h![6] ? Number(h![6]) : 0;
    const hasAlloc = (h![3] !== h![1] && h![3] !== '0') || (h![4] !== h![2] && h![4] !== '0');
    let sampling = '';
    switch (h![5]) {
      case 'heapz_v2':
      case 'heap_v2':
        sampling = 'v2';
        break;
      case 'heapprofile':
        period = 1;
        break;
      case 'heap':
        sampling = 'v2';
        period = idiv(period, 2);
        break;
      default:
        fail('BAD_FORMAT', `unrecognized heap profile kind ${h![5]}`, start + 1);
    }
    p.periodType = b.valueType('space', 'bytes');
    p.period = period;
    p.sampleTypes = hasAlloc
      ? [b.valueType('alloc_objects', 'count'), b.valueType('alloc_space', 'bytes'), b.valueType('inuse_objects', 'count'), b.valueType('inuse_space', 'bytes')]
      : [b.valueType('objects', 'count'), b.valueType('space', 'bytes')];
    const sampleRe = /^(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;
    for (i = start + 1; i < n; i++) {
      if ((i & 4095) === 0) task.throwIfCancelled();
      const raw = lineAt(i);
      const l = raw.trim();
      if (isSpaceOrComment(l)) {
        if (l.startsWith('#')) comment(l);
        continue;
      }
      if (l.includes('--- Memory map: ---') || l.includes('MAPPED_LIBRARIES:')) break;
      inMemStats = false;
      const m = sampleRe.exec(l);
      if (!m) fail('BAD_FORMAT', `unexpected line in heap profile: ${JSON.stringify(l.slice(0, 80))}`, i + 1);
      const values: number[] = [];
      let blockSize = 0;
      const addValues = (cs: string, ss: string, label: string): void => {
        let count = parseIntStrict(cs);
        let size = parseIntStrict(ss);
        if (count === null || size === null) fail('BAD_FORMAT', `malformed sample: ${l}`, i + 1);
        if (count === 0 && size !== 0) fail('BAD_FORMAT', `${label} count was 0 but ${label} bytes was ${size}`, i + 1);
        if (count !== 0) {
          blockSize = idiv(size!, count!);
          if (sampling === 'v2') [count, size] = scaleHeapSample(count!, size!, period);
        }
        values.push(count!, size!);
      };
      if (hasAlloc) addValues(m![3]!, m![4]!, 'allocation');
      addValues(m![1]!, m![2]!, 'inuse');
      current = { lineNo: i + 1, values, addrs: parseAddrs(m![5]!, i + 1), blockSize };
      records.push(current);
    }
  } else if (format === 'goroutine-debug1' || format === 'goroutineleak-debug1' || format === 'threadcreate-debug1') {
    const m0 = /^(\S+) profile: total \d+/.exec(lineAt(start));
    const ptype = m0 ? m0[1]! : format === 'threadcreate-debug1' ? 'threadcreate' : format === 'goroutineleak-debug1' ? 'goroutineleak' : 'goroutine';
    p.periodType = b.valueType(ptype, 'count');
    p.period = 1;
    p.sampleTypes = [b.valueType(ptype, 'count')];
    for (i = start + 1; i < n; i++) {
      if ((i & 4095) === 0) task.throwIfCancelled();
      const l = lineAt(i);
      if (isSpaceOrComment(l)) {
        if (l.trim().startsWith('#')) comment(l);
        continue;
      }
      if (l.startsWith('---')) break;
      // pprof requires at least one address; Go writes "N @" for an empty stack (threadcreate).
      const m = /^(\d+) @((?: 0x[0-9a-f]+)*)\s*$/.exec(l);
      if (!m) fail('BAD_FORMAT', `malformed ${ptype} profile record: ${JSON.stringify(l.slice(0, 80))}`, i + 1);
      const count = parseIntStrict(m![1]!);
      if (count === null) fail('BAD_FORMAT', `malformed count: ${m![1]}`, i + 1);
      current = { lineNo: i + 1, values: [count!], addrs: parseAddrs(m![2]!, i + 1) };
      records.push(current);
    }
  } else {
    // mutex-debug1 / block-debug1
    p.periodType = b.valueType('contentions', 'count');
    p.period = 1;
    p.sampleTypes = [b.valueType('contentions', 'count'), b.valueType('delay', 'nanoseconds')];
    let cpuHz = 0;
    i = start + 1;
    for (; i < n; i++) {
      const l = lineAt(i).trim();
      if (isSpaceOrComment(l)) continue;
      if (l.startsWith('---')) break;
      const eq = l.indexOf('=');
      if (eq < 0) break;
      const key = l.slice(0, eq).trim();
      const val = l.slice(eq + 1).trim();
      const num = (): number => {
        const v = /^0x[0-9a-f]+$/i.test(val) ? Number.parseInt(val, 16) : parseIntStrict(val);
        if (v === null || Number.isNaN(v)) fail('BAD_FORMAT', `bad value for ${key}: ${val}`, i + 1);
        return v!;
      };
      switch (key) {
        case 'cycles/second':
          cpuHz = num();
          break;
        case 'sampling period':
          p.period = num();
          break;
        case 'ms since reset':
          p.durationNanos = BigInt(num()) * 1000000n;
          break;
        case 'discarded samples':
          break;
        default:
          fail('BAD_FORMAT', `unknown attribute ${JSON.stringify(key)}`, i + 1);
      }
    }
    const period = p.period;
    for (; i < n; i++) {
      if ((i & 4095) === 0) task.throwIfCancelled();
      const l = lineAt(i).trim();
      if (l.startsWith('---')) break;
      if (isSpaceOrComment(l)) {
        if (l.startsWith('#')) comment(l);
        continue;
      }
      const m = /(\d+) *(\d+) @([ x0-9a-f]*)/.exec(l);
      if (!m) fail('BAD_FORMAT', `malformed contention record: ${JSON.stringify(l.slice(0, 80))}`, i + 1);
      let v1 = parseIntStrict(m![1]!);
      let v2 = parseIntStrict(m![2]!);
      if (v1 === null || v2 === null) fail('BAD_FORMAT', `malformed sample: ${l}`, i + 1);
      if (period > 0) {
        if (cpuHz > 0) {
          const cpuGHz = cpuHz / 1e9;
          v1 = Math.trunc((v1! * period) / cpuGHz);
        }
        v2 = v2! * period;
      }
      current = { lineNo: i + 1, values: [v2!, v1!], addrs: parseAddrs(m![3]!, i + 1) };
      records.push(current);
    }
  }
  // Anything after the records (MemStats, other sections) may still hold comment lines.
  for (; i < n; i++) {
    const l = lineAt(i).trim();
    if (l.startsWith('#')) comment(l);
  }
  if (records.length === 0 && format !== 'threadcreate-debug1' && format !== 'goroutine-debug1' && format !== 'goroutineleak-debug1') {
    warnings.push('the profile has no samples');
  }

  // Locations: one per adjusted address (return address − 1), named from the comment lines.
  // Go prints no comment line for the leading runtime frames of a stack (mallocgc, gopark, ...)
  // nor for runtime.goexit at its root: those addresses are trimmed from both ends of the stack
  // (disclosed in a warning) unless keepUnnamedFrames is set, which keeps pprof's exact
  // address-level stacks.
  let unnamed = 0;
  let trimmed = 0;
  let nameless = 0;
  const locs: number[] = [];
  const adjusted: Array<number | bigint> = [];
  const keys: string[] = [];
  for (const r of records) {
    locs.length = 0;
    adjusted.length = 0;
    keys.length = 0;
    for (const a of r.addrs) {
      const adj = minus1(a);
      adjusted.push(adj);
      keys.push(addrKey(adj));
    }
    let from = 0;
    let to = keys.length;
    if (!opts.keepUnnamedFrames) {
      // Per record: Go prints "#" lines from the first frame outside the runtime on, so the
      // leading frames this record leaves unnamed go, even when another record names their pc
      // (e.g. runtime.mallocgc under a runtime caller): the stacks of Go's proto writer.
      const named = r.named ?? names;
      while (from < to && !named.has(keys[from]!)) from++;
      while (to > from && !named.has(keys[to - 1]!)) to--;
      if (from === to && keys.length > 0) {
        // No frame of this record has a symbol line (a profile written without them, or with
        // them stripped): nothing to trim around. Its samples still count, under their
        // addresses, as in pprof without the binary.
        from = 0;
        to = keys.length;
        nameless++;
      }
      trimmed += keys.length - (to - from);
    }
    for (let k = from; k < to; k++) {
      const key = keys[k]!;
      let li = b.findLocation(key);
      if (li < 0) {
        const nm = names.get(key);
        const lines: BuilderLine[] = nm ? [{ func: b.func(nm.func, nm.file), line: nm.line }] : [];
        if (!nm) unnamed++;
        li = b.location(key, adjusted[k]!, lines);
      }
      locs.push(li);
    }
    const labels: Array<{ key: string; str?: string; num?: number; unit?: string }> = [];
    if (r.labels) labels.push(...r.labels);
    if (r.blockSize !== undefined) labels.push({ key: 'bytes', num: r.blockSize });
    // pprof drops a numeric label with value 0 and no unit.
    b.sample(
      locs,
      r.values,
      labels.filter((x) => x.str !== undefined || (x.num ?? 0) !== 0),
    );
  }
  if (trimmed > 0) {
    warnings.push(`${trimmed} unnamed runtime frame${trimmed === 1 ? '' : 's'} (no "#" line: elided by Go's text format) trimmed from the ends of stacks`);
  }
  if (nameless > 0) {
    warnings.push(`${nameless} stack${nameless === 1 ? ' has' : 's have'} no symbol line ("#" line) at all: counted under their addresses, as pprof does without the binary`);
  }
  if (unnamed > 0) {
    warnings.push(`${unnamed} frame address${unnamed === 1 ? '' : 'es'} had no symbol line (Go omits leading runtime frames in debug=1 text); shown as <unknown>`);
  }
  const prof = b.build();
  prof.metadata = metadata;
  return { profile: prof, warnings };
}

export const __test = { parseCommentFrame, parseLabels };
