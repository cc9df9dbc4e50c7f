/**
 * Goroutine dumps (`/debug/pprof/goroutine?debug=2`, panics, SIGQUIT): one block per goroutine
 *
 *   goroutine 6 [chan receive, 12 minutes]:
 *   main.worker(0xc000010000)
 *   	/src/main.go:57 +0x45
 *   created by main.main in goroutine 1
 *   	/src/main.go:20 +0x66
 *
 * Each goroutine becomes a GoroutineRecord (id, state, wait, frames, creator). The records are
 * also aggregated into a count profile ("goroutine"/"count"): one sample per distinct
 * (stack, state, wait), valued by how many goroutines share it, with labels
 *   state      string  ("chan receive", "select", "IO wait", "running", ...)
 *   wait       number  wait duration in nanoseconds (Go prints whole minutes), only when printed
 *   created_by string  the creating function, when printed
 *   locked     string  "true" for goroutines locked to their OS thread
 * so top, flame graphs, label filters (wait=10m... use e.g. `wait=600s:`) and diffs work on it.
 * Frames are (function, file, line) locations without addresses; stacks are leaf first.
 */
import { HeapscopeError } from '../../errors';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import { ProfileBuilder } from '../builder';
import type { Profile } from '../model';

export interface GoroutineFrame {
  func: string;
  file: string;
  line: number;
}

export interface GoroutineRecord {
  id: number;
  /** Wait reason / status, e.g. "chan receive", "running". */
  state: string;
  /** Wait duration in minutes when printed by the runtime. */
  waitMinutes?: number;
  lockedToThread: boolean;
  /** Innermost first. */
  frames: GoroutineFrame[];
  createdBy?: GoroutineFrame & { goroutine?: number };
  /** The runtime cut the stack ("...additional frames elided..."). */
  framesElided: boolean;
  /** 1-based line of the header in the dump. */
  line: number;
}

export interface GoroutineDumpResult {
  profile: Profile;
  goroutines: GoroutineRecord[];
  warnings: string[];
}

const FORMAT = 'goroutine-debug2';
const HEADER_RE = /^goroutine (\d+)(?: [^[]*)?\[([^\]]*)\]:?\s*$/;

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

export function parseGoroutineDump(bytes: Uint8Array, file: string, task: TaskContext = NO_TASK): GoroutineDumpResult {
  const text = new TextDecoder('utf-8').decode(bytes);
  const lines = text.split('\n');
  const n = lines.length;
  const at = (k: number): string => lines[k]!.replace(/\r$/, '');
  const goroutines: GoroutineRecord[] = [];
  const warnings: string[] = [];
  const fail = (code: 'BAD_FORMAT' | 'TRUNCATED', message: string, line: number): never => {
    throw new HeapscopeError({ code, message, file, format: FORMAT, line });
  };
  let i = 0;
  // Skip a panic preamble up to the first goroutine header.
  while (i < n && !HEADER_RE.test(at(i))) i++;
  if (i === n) fail('BAD_FORMAT', 'no "goroutine N [state]:" header found', 1);
  let elided = 0;
  while (i < n) {
    if ((goroutines.length & 1023) === 0 && goroutines.length > 0) task.throwIfCancelled();
    const header = at(i);
    const hm = HEADER_RE.exec(header);
    if (!hm) {
      if (header.trim() === '') {
        i++;
        continue;
      }
      // Trailing non-goroutine text (e.g. register dumps after a crash): stop here.
      if (goroutines.length > 0 && !/^\S+\(.*\)\s*$/.test(header)) {
        warnings.push(`ignored trailing text from line ${i + 1}`);
        break;
      }
      fail('BAD_FORMAT', `expected a goroutine header, found ${JSON.stringify(header.slice(0, 80))}`, i + 1);
    }
    const rec: GoroutineRecord = { id: Number(hm![1]), state: '', lockedToThread: false, frames: [], framesElided: false, line: i + 1 };
    const parts = hm![2]!.split(',').map((x) => x.trim());
    rec.state = parts[0] ?? '';
    for (const part of parts.slice(1)) {
      const wm = /^(\d+) minutes?$/.exec(part);
      if (wm) rec.waitMinutes = Number(wm[1]);
      else if (part === 'locked to thread') rec.lockedToThread = true;
    }
    i++;
    // Frames: a function line then a tab-indented file:line line.
    while (i < n) {
      const l = at(i);
      if (l.trim() === '') break;
      if (HEADER_RE.test(l)) break;
      if (l.startsWith('...') && l.includes('frames elided')) {
        rec.framesElided = true;
        i++;
        continue;
      }
      if (/^\s*goroutine running on other thread/.test(l)) {
        i++;
        continue;
      }
      const createdBy = /^created by (.+?)(?: in goroutine (\d+))?\s*$/.exec(l);
      const fn = createdBy ? createdBy[1]! : stripArgs(l);
      const next = i + 1 < n ? at(i + 1) : '';
      const fl = next.startsWith('\t') || next.startsWith(' ') ? parseFileLine(next) : null;
      if (!fl) {
        if (i + 1 >= n || next === '') fail('TRUNCATED', `frame ${JSON.stringify(l.slice(0, 80))} has no file:line line`, i + 1);
        fail('BAD_FORMAT', `expected "\\tfile:line" after ${JSON.stringify(l.slice(0, 80))}`, i + 2);
      }
      const frame: GoroutineFrame = { func: fn, file: fl!.file, line: fl!.line };
      if (createdBy) {
        rec.createdBy = createdBy[2] ? { ...frame, goroutine: Number(createdBy[2]) } : frame;
      } else rec.frames.push(frame);
      i += 2;
    }
    if (rec.framesElided) elided++;
    goroutines.push(rec);
  }

  // Aggregate into a count profile.
  const b = new ProfileBuilder();
  const p = b.p;
  p.sampleTypes = [b.valueType('goroutine', 'count')];
  p.periodType = b.valueType('goroutine', 'count');
  p.period = 1;
  const sampleIndex = new Map<string, number>();
  const counts: number[] = [];
  const stacks: number[][] = [];
  const labelsOf: Array<Array<{ key: string; str?: string; num?: number; unit?: string }>> = [];
  for (const g of goroutines) {
    const locs = g.frames.map((f) => b.location(`${f.func}\u0000${f.file}\u0000${f.line}`, 0, [{ func: b.func(f.func, f.file), line: f.line }]));
    const key = `${locs.join(',')}|${g.state}|${g.waitMinutes ?? ''}|${g.createdBy?.func ?? ''}|${g.lockedToThread}`;
    let si = sampleIndex.get(key);
    if (si === undefined) {
      si = counts.length;
      sampleIndex.set(key, si);
      counts.push(0);
      stacks.push(locs);
      const labels: Array<{ key: string; str?: string; num?: number; unit?: string }> = [{ key: 'state', str: g.state }];
      if (g.waitMinutes !== undefined) labels.push({ key: 'wait', num: g.waitMinutes * 60e9, unit: 'nanoseconds' });
      if (g.createdBy) labels.push({ key: 'created_by', str: g.createdBy.func });
      if (g.lockedToThread) labels.push({ key: 'locked', str: 'true' });
      labelsOf.push(labels);
    }
    counts[si]!++;
  }
  for (let s = 0; s < counts.length; s++) b.sample(stacks[s]!, [counts[s]!], labelsOf[s]);
  if (elided > 0) warnings.push(`${elided} goroutine stack${elided === 1 ? ' was' : 's were'} cut by the runtime (frames elided)`);
  return { profile: b.build(), goroutines, warnings };
}
