/**
 * Goroutine dumps (`/debug/pprof/goroutine?debug=2`, `runtime.Stack(buf, true)`, panics, SIGQUIT):
 * one block per goroutine, Go 1.19 to 1.27:
 *
 *   goroutine 6 [chan receive, 12 minutes]:
 *   main.worker(0xc000010000)
 *   	/src/main.go:57 +0x45
 *   created by main.main in goroutine 1
 *   	/src/main.go:20 +0x66
 *
 * The header, in full (every part after the id optional; each form confirmed on real output):
 *
 *   goroutine N[ gp=0x… m=N mp=0x…| gp=0x… m=nil] [STATE[ (leaked)][ (scan)][ (durable)][, N minutes][, locked to thread][, synctest bubble N][ labels:{"k": "v", …}]][ {k: v, …}]:
 *
 * - `gp= m= mp=`: GOTRACEBACK=system or higher, in crash output (1.22+; runtime.Stack and
 *   ?debug=2 never print them). Frames then end in ` fp=0x… sp=0x… pc=0x…`.
 * - STATE: a wait reason or status (waitreasons.ts); ` (leaked)` marks goroutines the leak detector
 *   proved stuck (1.26 with GOEXPERIMENT=goroutineleakprofile, 1.27); ` (durable)` (1.26+; 1.24–1.25:
 *   ` (synctest)`) goroutines durably blocked in a synctest bubble, some reasons carrying it in their
 *   own name (`chan receive (durable)`).
 * - Labels (pprof.Do / SetGoroutineLabels), printed with GODEBUG=tracebacklabels=1 (default for
 *   modules declaring `go 1.27`), sorted by key:
 *     1.26: inside the brackets, every key and value quoted: `[select labels:{"k": "v", "k2": "a b"}]:`
 *     1.27: after them, quoted only when holding a byte outside [A-Za-z0-9./_]: `[select] {k: v, k2: "a b"}:`
 *   Quoting (runtime printquoted): `\"` `\\` `\n` `\r` `\t`, other ASCII controls `\xHH`, non-ASCII
 *   `\uHHHH` / `\UHHHHHHHH`, and (1.27) bytes of invalid UTF-8 `\xHH` (read back as U+FFFD, as a
 *   proto label's string would decode).
 *
 * Inside a block: frames as pairs `pkg.F(args)` / `\tfile:line[ +0xoff][ fp= sp= pc=]` (`panic(…)`
 * is runtime.gopanic, named so here as in profiles); `...N frames elided...` (1.21+: the innermost
 * 50 frames, the marker, the outermost 50) or `...additional frames elided...` (older);
 * `created by F[ in goroutine N]`; `\tgoroutine running on other thread; stack unavailable`;
 * `[originating from goroutine N]:` ancestor tracebacks (GODEBUG=tracebackancestors), kept apart.
 * Before the first goroutine, a crash's preamble: `panic: X[ [recovered][, repanicked]]` (also
 * `panic: X [recovered]` / `\tpanic: Y` chains before 1.25), `fatal error: X`, `[signal …]`.
 *
 * Each goroutine becomes a GoroutineRecord. The records are also aggregated into a count profile
 * ("goroutine"/"count"): one sample per distinct (stack, state, wait, creator, labels, flags),
 * valued by how many goroutines share it, with labels
 *   state      string  the state without suffixes ("chan receive", "sync.Mutex.Lock", "running", ...)
 *   wait       number  wait duration in nanoseconds (Go prints whole minutes), only when printed
 *   created_by string  the creating function, when printed
 *   locked     string  "true" for goroutines locked to their OS thread
 *   leaked     string  "true" for ` (leaked)` goroutines
 *   durable    string  "true" for ` (durable)` goroutines
 *   bubble     string  the synctest bubble id
 *   and every pprof label of the header, as a string label under its own key
 * so top, flame graphs, label filters (`state=chan receive`, `role=worker`, `wait=600s:`) and
 * diffs work on it. Frames are (function, file, line) locations without addresses; stacks are leaf first.
 */
import { HeapscopeError } from '../../errors';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import { ProfileBuilder } from '../builder';
import type { Profile } from '../model';
import { splitState } from './waitreasons';

export interface GoroutineFrame {
  func: string;
  file: string;
  line: number;
}

export interface GoroutineLabel {
  key: string;
  value: string;
}

export interface GoroutineRecord {
  id: number;
  /** Wait reason / status without the ` (leaked)`, ` (durable)`, ` (scan)` suffixes, e.g. "chan receive", "running". */
  state: string;
  /** ` (leaked)`: the runtime's leak detector proved nothing can wake it (Go 1.26 experiment, 1.27). */
  leaked: boolean;
  /** ` (durable)` / ` (synctest)`: durably blocked inside a synctest bubble. */
  durable: boolean;
  /** Wait duration in minutes when printed by the runtime. */
  waitMinutes?: number;
  lockedToThread: boolean;
  /** `, synctest bubble N`. */
  bubble?: number;
  /** pprof labels printed in the header (Go 1.26 with GODEBUG=tracebacklabels=1, 1.27), in printed order. */
  labels?: GoroutineLabel[];
  /** `gp=0x…` (GOTRACEBACK=system crash output). */
  gp?: string;
  /** `m=N` (absent for `m=nil`). */
  m?: number;
  /** `mp=0x…`. */
  mp?: string;
  /** Innermost first. */
  frames: GoroutineFrame[];
  createdBy?: GoroutineFrame & { goroutine?: number };
  /** The runtime cut the stack ("...N frames elided..." or "...additional frames elided..."). */
  framesElided: boolean;
  /** How many frames were cut, when printed (1.21+). */
  elidedFrames?: number;
  /** Index in `frames` where the cut is (frames before it are the innermost ones). */
  elidedAt?: number;
  /** `goroutine running on other thread; stack unavailable`. */
  stackUnavailable?: boolean;
  /** Goroutine ids of `[originating from goroutine N]:` ancestor tracebacks (GODEBUG=tracebackancestors). */
  ancestors?: number[];
  /** 1-based line of the header in the dump. */
  line: number;
}

/** A crash's `panic: …` line (one per panic in a chain). */
export interface PanicLine {
  message: string;
  recovered: boolean;
  repanicked: boolean;
  /** 1-based line in the dump. */
  line: number;
}

export interface GoroutineDumpResult {
  profile: Profile;
  goroutines: GoroutineRecord[];
  warnings: string[];
  /** `panic: …` lines of a crash preamble, outermost (first printed) first. */
  panics: PanicLine[];
  /** `fatal error: …` of a crash preamble. */
  fatalError?: string;
}

const FORMAT = 'goroutine-debug2';
/** A line that starts like a goroutine header (the full syntax is checked by parseHeader). */
const HEADER_START_RE = /^goroutine \d+ (?:gp=|\[)/;

/** True for a line that parses as a goroutine header (any Go version's form). */
export function isGoroutineHeader(line: string): boolean {
  if (!HEADER_START_RE.test(line)) return false;
  return parseHeader(line.replace(/\r$/, '')) !== null;
}

/**
 * Recognises a goroutine dump from the start of a file: the first line is a goroutine header, or
 * a crash preamble (`panic: `, `fatal error: `, `SIGQUIT: `, …, possibly after a test runner's own
 * lines) is followed by one.
 */
export function sniffGoroutineDump(head: string): boolean {
  const lines = head.split('\n', 400).map((l) => l.replace(/\r$/, ''));
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  if (k < lines.length && isGoroutineHeader(lines[k]!)) return true;
  let crash = false;
  for (; k < lines.length; k++) {
    const l = lines[k]!;
    if (CRASH_LINE_RE.test(l)) crash = true;
    else if (crash && isGoroutineHeader(l)) return true;
  }
  return false;
}

/**
 * What a crash prints after its goroutines: the registers of a signal (`rax    0x4986a1`, `r10 0x0`,
 * `rflags 0x286`; arm64 `r0 0x…`, `pc 0x…`, `fault 0x…`) and `exit status N` from `go run`.
 */
const CRASH_TAIL_RE = /^(?:[a-z][a-z0-9]{0,7}\s+0x[0-9a-f]+|exit status \d+)\s*$/;

/** A crash's first line: what the runtime prints before the goroutines of a panic, a fatal error or a signal. */
const CRASH_LINE_RE = /^(?:panic: |fatal error: |SIG[A-Z]+: |SIGQUIT|SIGABRT)/;

/**
 * Where a crash's goroutine dump starts in a longer text (a service's log: its own lines, maybe
 * gctrace, then a panic or a SIGQUIT dump at the end): the 1-based line of the crash's first line
 * when a goroutine header follows it within 40 lines, else null. The whole text is searched.
 */
export function findCrashDump(text: string): { line: number; what: string } | null {
  const re = new RegExp(`${CRASH_LINE_RE.source}[^\\n]*$`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const after = text.slice(m.index, m.index + 64 * 1024).split('\n', 41);
    if (after.slice(1).some((l) => isGoroutineHeader(l.replace(/\r$/, '')))) {
      let line = 1;
      for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      return { line, what: m[0].replace(/\r$/, '').slice(0, 120) };
    }
  }
  return null;
}

/** Splits "pkg.(*T).M(0x1, {0x2, 0x3})" into the function name (args removed). */
export function stripArgs(s: string): string {
  const t = s.trimEnd();
  if (!t.endsWith(')')) return t;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) return t.slice(0, i);
    }
  }
  return t;
}

/** The function name a traceback prints → the name profiles use (`panic` is runtime.gopanic). */
function tracebackFuncName(name: string): string {
  return name === 'panic' ? 'runtime.gopanic' : name;
}

/** "\t/src/main.go:57 +0x45" (maybe followed by " fp=... sp=... pc=...") → file, line. */
function parseFileLine(s: string): { file: string; line: number } | null {
  let t = s.trim();
  const sp = t.search(/ \+0x[0-9a-fA-F]+| fp=| sp=| pc=/);
  if (sp >= 0) t = t.slice(0, sp);
  const c = t.lastIndexOf(':');
  if (c <= 0) return null;
  const ln = t.slice(c + 1);
  if (!/^\d+$/.test(ln)) return null;
  return { file: t.slice(0, c), line: Number(ln) };
}

interface Header {
  id: number;
  status: string;
  waitMinutes?: number;
  lockedToThread: boolean;
  bubble?: number;
  labels?: GoroutineLabel[];
  gp?: string;
  m?: number;
  mp?: string;
}

/** Characters the runtime prints unquoted in a 1.27 label (tracebackStringNeedsQuoting). */
const BARE = /[A-Za-z0-9./_]/;

/**
 * Reads a string the runtime's printquoted wrote, starting at s[i] === '"'. Returns the value and
 * the index after the closing quote, or null when the string is not terminated on this line.
 */
export function readQuoted(s: string, i: number): { value: string; end: number } | null {
  let out = '';
  let k = i + 1;
  const hex = (n: number): number | null => {
    const h = s.slice(k + 2, k + 2 + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return null;
    return parseInt(h, 16);
  };
  while (k < s.length) {
    const c = s[k]!;
    if (c === '"') return { value: out, end: k + 1 };
    if (c !== '\\') {
      out += c;
      k++;
      continue;
    }
    const e = s[k + 1];
    if (e === undefined) return null;
    if (e === 'n' || e === 'r' || e === 't' || e === '\\' || e === '"') {
      out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
      k += 2;
      continue;
    }
    const n = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const v = n > 0 ? hex(n) : null;
    if (v === null) {
      // Not an escape the runtime writes: keep it as printed.
      out += '\\';
      k++;
      continue;
    }
    // \xHH ≥ 0x80 is a byte of invalid UTF-8 (1.27): a decoder reads it as U+FFFD.
    if (e === 'x' && v >= 0x80) out += '\ufffd';
    else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) out += '\ufffd';
    else out += String.fromCodePoint(v);
    k += 2 + n;
  }
  return null;
}

/**
 * Reads a label map from s[i] === '{' (both forms: every string quoted, or bare when it needs no
 * quoting). Returns the labels and the index after '}', or null when it is not a label map.
 */
function readLabels(s: string, i: number): { labels: GoroutineLabel[]; end: number } | null {
  const labels: GoroutineLabel[] = [];
  let k = i + 1;
  const str = (): string | null => {
    if (s[k] === '"') {
      const q = readQuoted(s, k);
      if (!q) return null;
      k = q.end;
      return q.value;
    }
    const a = k;
    while (k < s.length && BARE.test(s[k]!)) k++;
    return s.slice(a, k);
  };
  if (s[k] === '}') return { labels, end: k + 1 };
  for (;;) {
    const key = str();
    if (key === null || s.slice(k, k + 2) !== ': ') return null;
    k += 2;
    const value = str();
    if (value === null) return null;
    labels.push({ key, value });
    if (s[k] === '}') return { labels, end: k + 1 };
    if (s.slice(k, k + 2) !== ', ') return null;
    k += 2;
  }
}

/** Parses a goroutine header line (without its line ending); null when it is not one. */
function parseHeader(line: string): Header | null {
  const m = /^goroutine (\d+) (?:gp=(0x[0-9a-fA-F]+) m=(nil|\d+)(?: mp=(0x[0-9a-fA-F]+))? )?\[/.exec(line);
  if (!m) return null;
  const h: Header = { id: Number(m[1]), status: '', lockedToThread: false };
  if (m[2]) h.gp = m[2];
  if (m[3] && m[3] !== 'nil') h.m = Number(m[3]);
  if (m[4]) h.mp = m[4];
  // Bracket contents up to "]" or, on 1.26, " labels:{" (whose strings may hold "]").
  let k = m[0].length;
  const start = k;
  let end = -1;
  while (k < line.length) {
    if (line[k] === ']') {
      end = k;
      break;
    }
    if (line.startsWith(' labels:{', k)) {
      const lb = readLabels(line, k + ' labels:'.length);
      if (!lb || line[lb.end] !== ']') return null;
      h.labels = lb.labels;
      end = lb.end;
      const inner = line.slice(start, k);
      if (!applyBracket(h, inner)) return null;
      k = lb.end + 1;
      break;
    }
    k++;
  }
  if (end < 0) return null;
  if (h.labels === undefined) {
    if (!applyBracket(h, line.slice(start, end))) return null;
    k = end + 1;
  }
  // 1.27: labels after the brackets.
  if (line.startsWith(' {', k)) {
    const lb = readLabels(line, k + 1);
    if (!lb) return null;
    h.labels = lb.labels;
    k = lb.end;
  }
  const rest = line.slice(k);
  if (!/^:?\s*$/.test(rest)) return null;
  return h;
}

/** "chan receive (leaked), 3 minutes, locked to thread, synctest bubble 1" → header fields. */
function applyBracket(h: Header, inner: string): boolean {
  const parts = inner.split(', ');
  h.status = parts[0]!;
  for (const part of parts.slice(1)) {
    let pm: RegExpExecArray | null;
    if ((pm = /^(\d+) minutes?$/.exec(part))) h.waitMinutes = Number(pm[1]);
    else if (part === 'locked to thread') h.lockedToThread = true;
    else if ((pm = /^synctest bubble (\d+)$/.exec(part))) h.bubble = Number(pm[1]);
    // Anything else is a part a newer Go added: the status stays as printed before it.
  }
  return true;
}

const PANIC_RE = /^\t?panic: (.*?)(?: \[(recovered)(?:, (repanicked))?\])?(?: \[recovered\])?$/;

export function parseGoroutineDump(bytes: Uint8Array, file: string, task: TaskContext = NO_TASK): GoroutineDumpResult {
  const text = new TextDecoder('utf-8').decode(bytes);
  const lines = text.split('\n');
  const n = lines.length;
  const at = (k: number): string => lines[k]!.replace(/\r$/, '');
  const goroutines: GoroutineRecord[] = [];
  const warnings: string[] = [];
  const panics: PanicLine[] = [];
  let fatalError: string | undefined;
  const fail = (code: 'BAD_FORMAT' | 'TRUNCATED', message: string, line: number): never => {
    throw new HeapscopeError({ code, message, file, format: FORMAT, line });
  };
  const headerAt = (k: number): Header | null => {
    const l = at(k);
    return HEADER_START_RE.test(l) ? parseHeader(l) : null;
  };
  // A log that holds a crash: from the crash (a stack the program logged before it, debug.Stack()
  // in a recover, is not the dump).
  const crash = findCrashDump(text);
  let i = crash ? crash.line - 1 : 0;
  // A crash preamble up to the first goroutine header.
  let first: Header | null = null;
  while (i < n) {
    if ((i & 4095) === 4095) task.throwIfCancelled();
    first = headerAt(i);
    if (first) break;
    const l = at(i);
    const pm = PANIC_RE.exec(l);
    if (pm) panics.push({ message: pm[1]!, recovered: pm[2] !== undefined || / \[recovered\]$/.test(l), repanicked: pm[3] !== undefined, line: i + 1 });
    else if (l.startsWith('fatal error: ') && fatalError === undefined) fatalError = l.slice('fatal error: '.length);
    i++;
  }
  if (first === null) {
    const bad = /^goroutine \d+ /.test(at(0)) ? 1 : 0;
    fail('BAD_FORMAT', bad ? `malformed goroutine header ${JSON.stringify(at(0).slice(0, 80))}` : 'no "goroutine N [state]:" header found', 1);
  }
  let elided = 0;
  let trailing = false;
  let header: Header | null = first;
  while (i < n) {
    if ((goroutines.length & 1023) === 0 && goroutines.length > 0) task.throwIfCancelled();
    if (header === null) {
      const l = at(i);
      if (l.trim() === '') {
        i++;
        header = i < n ? headerAt(i) : null;
        continue;
      }
      // Trailing non-goroutine text (register dumps after a crash, "exit status 2"): stop here,
      // and say so unless it is only what a crash prints after its goroutines.
      if (goroutines.length > 0 && !/^\S+\(.*\)\s*$/.test(l) && !/^goroutine \d+ /.test(l)) {
        let k = i;
        while (k < n && (at(k).trim() === '' || CRASH_TAIL_RE.test(at(k)))) k++;
        if (k < n) warnings.push(`ignored trailing text from line ${i + 1}`);
        break;
      }
      fail('BAD_FORMAT', `expected a goroutine header, found ${JSON.stringify(l.slice(0, 80))}`, i + 1);
    }
    const h: Header = header!;
    const split = splitState(h.status);
    const rec: GoroutineRecord = {
      id: h.id,
      state: split.state,
      leaked: split.leaked,
      durable: split.durable,
      lockedToThread: h.lockedToThread,
      frames: [],
      framesElided: false,
      line: i + 1,
    };
    if (h.waitMinutes !== undefined) rec.waitMinutes = h.waitMinutes;
    if (h.bubble !== undefined) rec.bubble = h.bubble;
    if (h.labels !== undefined) rec.labels = h.labels;
    if (h.gp !== undefined) rec.gp = h.gp;
    if (h.m !== undefined) rec.m = h.m;
    if (h.mp !== undefined) rec.mp = h.mp;
    i++;
    // Frames: a function line then a tab-indented file:line line.
    let ancestor = false;
    while (i < n) {
      const l = at(i);
      if (l.trim() === '') break;
      if (HEADER_START_RE.test(l) && parseHeader(l)) break;
      const am = /^\[originating from goroutine (\d+)\]:$/.exec(l);
      if (am) {
        ancestor = true;
        (rec.ancestors ??= []).push(Number(am[1]));
        i++;
        continue;
      }
      const em = /^\.\.\.(?:(\d+)|additional) frames elided\.\.\.$/.exec(l);
      if (em) {
        if (!ancestor) {
          rec.framesElided = true;
          if (em[1] !== undefined) rec.elidedFrames = (rec.elidedFrames ?? 0) + Number(em[1]);
          rec.elidedAt ??= rec.frames.length;
        }
        i++;
        continue;
      }
      if (/^\s*goroutine running on other thread/.test(l)) {
        rec.stackUnavailable = true;
        i++;
        continue;
      }
      const createdBy = /^created by (.+?)(?: in goroutine (\d+))?\s*$/.exec(l);
      const fn = tracebackFuncName(createdBy ? createdBy[1]! : stripArgs(l));
      const next = i + 1 < n ? at(i + 1) : '';
      const fl = next.startsWith('\t') || next.startsWith(' ') ? parseFileLine(next) : null;
      if (!fl) {
        // Text after the last goroutine with no blank line before it ("FAIL\tpkg 0.01s", "exit status 2"): stop here.
        if (!createdBy && !ancestor && (rec.frames.length > 0 || rec.createdBy) && !/\(.*\)\s*$/.test(l)) {
          warnings.push(`ignored trailing text from line ${i + 1}`);
          trailing = true;
          break;
        }
        if (i + 1 >= n || next === '') fail('TRUNCATED', `frame ${JSON.stringify(l.slice(0, 80))} has no file:line line`, i + 1);
        fail('BAD_FORMAT', `expected "\\tfile:line" after ${JSON.stringify(l.slice(0, 80))}`, i + 2);
      }
      const frame: GoroutineFrame = { func: fn, file: fl!.file, line: fl!.line };
      if (ancestor) {
        // An ancestor's frames and creator are not this goroutine's.
      } else if (createdBy) {
        rec.createdBy = createdBy[2] ? { ...frame, goroutine: Number(createdBy[2]) } : frame;
      } else rec.frames.push(frame);
      i += 2;
    }
    if (rec.framesElided) elided++;
    goroutines.push(rec);
    if (trailing) break;
    header = i < n ? headerAt(i) : null;
  }

  const profile = aggregate(goroutines);
  if (elided > 0) warnings.push(`${elided} goroutine stack${elided === 1 ? ' was' : 's were'} cut by the runtime (frames elided)`);
  const out: GoroutineDumpResult = { profile, goroutines, warnings, panics };
  if (fatalError !== undefined) out.fatalError = fatalError;
  return out;
}

type Label = { key: string; str?: string; num?: number; unit?: string };

/** One sample per distinct (stack, state, wait, creator, flags, labels), valued by goroutine count. */
function aggregate(goroutines: readonly GoroutineRecord[]): Profile {
  const b = new ProfileBuilder();
  const p = b.p;
  p.sampleTypes = [b.valueType('goroutine', 'count')];
  p.periodType = b.valueType('goroutine', 'count');
  p.period = 1;
  const sampleIndex = new Map<string, number>();
  const counts: number[] = [];
  const stacks: number[][] = [];
  const labelsOf: Label[][] = [];
  for (const g of goroutines) {
    const locs = g.frames.map((f) => b.location(`${f.func}\u0000${f.file}\u0000${f.line}`, 0, [{ func: b.func(f.func, f.file), line: f.line }]));
    const labels: Label[] = [{ key: 'state', str: g.state }];
    if (g.waitMinutes !== undefined) labels.push({ key: 'wait', num: g.waitMinutes * 60e9, unit: 'nanoseconds' });
    if (g.createdBy) labels.push({ key: 'created_by', str: g.createdBy.func });
    if (g.lockedToThread) labels.push({ key: 'locked', str: 'true' });
    if (g.leaked) labels.push({ key: 'leaked', str: 'true' });
    if (g.durable) labels.push({ key: 'durable', str: 'true' });
    if (g.bubble !== undefined) labels.push({ key: 'bubble', str: String(g.bubble) });
    for (const l of g.labels ?? []) labels.push({ key: l.key, str: l.value });
    const key = `${locs.join(',')}\u0001${JSON.stringify(labels)}`;
    let si = sampleIndex.get(key);
    if (si === undefined) {
      si = counts.length;
      sampleIndex.set(key, si);
      counts.push(0);
      stacks.push(locs);
      labelsOf.push(labels);
    }
    counts[si]!++;
  }
  for (let s = 0; s < counts.length; s++) b.sample(stacks[s]!, [counts[s]!], labelsOf[s]);
  return b.build();
}
