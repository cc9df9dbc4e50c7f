/**
 * `GODEBUG=gctrace=1` logs: one line per GC on stderr (runtime/mgc.go), e.g. Go 1.19
 *
 *   gc 12 @3.201s 1%: 0.018+1.2+0.003 ms clock, 0.073+0.4/1.1/2.3+0.01 ms cpu, 4->5->3 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 4 P
 *
 * (older Go: no stacks/globals; " (forced)" after runtime.GC()). "4->5->3 MB" is the heap at GC
 * start, at GC end and the live heap marked: the live heap after each GC rising steadily is the
 * classic leak signal. Lines may sit among the program's own output (stdout and stderr pasted
 * together): every line is searched for a gc record; lines cut short are counted as skipped.
 *
 * Go 1.26 (built with GOEXPERIMENT=goroutineleakprofile) and 1.27 mark the cycles a goroutine leak
 * profile request runs: `gc 3 @0.004s 8% (checking for goroutine leaks): …` (the marker sits before
 * the colon). They are ordinary cycles (`leakCheck` set) and count in the series. Other output the
 * runtime interleaves with gctrace (`gctrace=2`'s `scan: …` lines, `GODEBUG=checkfinalizers=1`'s
 * `checkfinalizers: …` lines and its multi-line reports) is not read: counted in a warning, never
 * an error. parseGcTrace never throws.
 */
import type { GcCycle, GcTrace, SeriesPoint, Trend } from './types';
import { trendOf } from './series';

const MB = '(?:MB|MiB)';
/** The annotation a leak-checking cycle carries before its colon (runtime/mgc.go, Go 1.26+). */
export const LEAK_CHECK_MARK = 'checking for goroutine leaks';
const GC_RE = new RegExp(
  `gc (\\d+) @(\\d+(?:\\.\\d+)?)s (\\d+)%(?: \\(([^()]{1,80})\\))?: [^,]{0,256}ms clock, [^,]{0,256}ms cpu, (\\d+)->(\\d+)->(\\d+) ${MB}, (\\d+) ${MB} goal(?:, (\\d+) ${MB} stacks)?(?:, (\\d+) ?${MB} globals)?, (\\d+) P( \\(forced\\))?`,
);
const GC_START_RE = /(?:^|[^\w])gc \d+ @\d+(?:\.\d+)?s \d+%(?: \([^()]{1,80}\))?:/;
/** Lines other GODEBUG settings interleave with gctrace: skipped. */
const SCAN_RE = /^\s*scan: /;
const CHECKFINALIZERS_RE = /^\s*checkfinalizers: /;

/** 2^20: gctrace's "MB". */
export const GCTRACE_MB = 1048576;

function decode(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
}

/** True when the text holds at least one complete gctrace line (checks the first 256 KiB). */
export function looksLikeGcTrace(input: string | Uint8Array): boolean {
  if (typeof input !== 'string') {
    const n = Math.min(input.length, 256 * 1024);
    for (let i = 0; i < n; i++) if (input[i] === 0) return false;
    return GC_RE.test(decode(input.subarray(0, n)));
  }
  return GC_RE.test(input.slice(0, 256 * 1024));
}

export function parseGcTrace(input: string | Uint8Array): GcTrace {
  const lines = decode(input).split('\n');
  const cycles: GcCycle[] = [];
  let skipped = 0;
  let scanLines = 0;
  let finalizerLines = 0;
  let leakChecks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('gc ')) {
      if (SCAN_RE.test(line)) scanLines++;
      else if (CHECKFINALIZERS_RE.test(line)) finalizerLines++;
      continue;
    }
    const m = GC_RE.exec(line);
    if (!m) {
      if (GC_START_RE.test(line)) skipped++;
      continue;
    }
    const cycle: GcCycle = {
      gc: Number(m[1]),
      atSec: Number(m[2]),
      cpuPercent: Number(m[3]),
      heapStartMB: Number(m[5]),
      heapEndMB: Number(m[6]),
      liveMB: Number(m[7]),
      goalMB: Number(m[8]),
      stacksMB: m[9] !== undefined ? Number(m[9]) : null,
      globalsMB: m[10] !== undefined ? Number(m[10]) : null,
      procs: Number(m[11]),
      forced: m[12] !== undefined,
      line: i + 1,
    };
    if (m[4] === LEAK_CHECK_MARK) {
      cycle.leakCheck = true;
      leakChecks++;
    }
    cycles.push(cycle);
  }
  const warnings: string[] = [];
  if (skipped > 0) warnings.push(`${skipped} gctrace line${skipped === 1 ? '' : 's'} cut short or garbled: skipped`);
  const other: string[] = [];
  if (scanLines > 0) other.push(`${scanLines} gctrace=2 "scan:" line${scanLines === 1 ? '' : 's'}`);
  if (finalizerLines > 0) other.push(`${finalizerLines} checkfinalizers line${finalizerLines === 1 ? '' : 's'}`);
  if (other.length > 0) warnings.push(`not read: ${other.join(', ')}`);
  if (leakChecks > 0) {
    warnings.push(`${leakChecks} of the ${cycles.length} GC cycles checked for goroutine leaks (a goroutineleak profile was requested); they are read as ordinary cycles`);
  }
  // Several runs in one log restart at "gc 1": keep them in file order but say so.
  let restarts = 0;
  for (let i = 1; i < cycles.length; i++) if (cycles[i]!.gc <= cycles[i - 1]!.gc) restarts++;
  if (restarts > 0) warnings.push(`the log holds ${restarts + 1} runs (GC numbers restart): they are read as one series`);
  return { cycles, skipped, warnings };
}

/** The trace as series points (one per GC) and the live-heap trend in bytes (x: seconds when increasing). */
export function gcTraceTrend(trace: GcTrace, name = 'gctrace'): { points: SeriesPoint[]; live: Trend; goal: Trend } {
  const c = trace.cycles;
  const points: SeriesPoint[] = c.map((x) => ({ name: `gc ${x.gc}`, timeSec: x.atSec }));
  let increasing = true;
  for (let i = 1; i < c.length; i++) if (!(c[i]!.atSec > c[i - 1]!.atSec)) increasing = false;
  const times = increasing && c.length >= 2 ? c.map((x) => x.atSec) : null;
  return {
    points,
    live: trendOf(`${name}:live`, 'live heap after GC', c.map((x) => x.liveMB * GCTRACE_MB), times),
    goal: trendOf(`${name}:goal`, 'heap goal', c.map((x) => x.goalMB * GCTRACE_MB), times),
  };
}
