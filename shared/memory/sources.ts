/**
 * runtime.MemStats from every form Go writes it, read exactly (decimal strings, never doubles):
 *
 *  - heap dump: the memstats record (24 scalars in MemStats order, PauseNs, NumGC), already decoded
 *    by shared/heap's parser: fromHeapDump takes its fields;
 *  - heap profile ?debug=1: the `# runtime.MemStats` trailer (`# Name = N`; `# Stack = inuse / sys`,
 *    likewise MSpan and MCache; PauseNs/PauseEnd arrays, GCCPUFraction and DebugGC are not
 *    integers and are left out; `# MaxRSS = N` (Linux) is kept apart: it is not a MemStats field);
 *  - /debug/vars (expvar): the "memstats" object, scanned without JSON.parse so that LastGC and
 *    other values over 2^53 stay exact;
 *  - GODEBUG=gctrace=1: the last cycle's heap at GC end, live heap, goal (in MiB: approximate).
 */
import { HeapscopeError } from '../errors';
import type { GcTrace } from '../compare/types';
import type { MemStatsValues } from './types';

/** The scalar fields of runtime.MemStats, in declaration order (Go 1.19–1.27). */
export const MEMSTATS_SCALARS = [
  'Alloc', 'TotalAlloc', 'Sys', 'Lookups', 'Mallocs', 'Frees', 'HeapAlloc', 'HeapSys', 'HeapIdle', 'HeapInuse',
  'HeapReleased', 'HeapObjects', 'StackInuse', 'StackSys', 'MSpanInuse', 'MSpanSys', 'MCacheInuse', 'MCacheSys',
  'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC', 'LastGC', 'PauseTotalNs', 'NumGC', 'NumForcedGC',
] as const;
const SCALAR_SET = new Set<string>(MEMSTATS_SCALARS);

/** The debug=1 trailer prints these as "inuse / sys". */
const PAIRS: Record<string, [string, string]> = {
  Stack: ['StackInuse', 'StackSys'],
  MSpan: ['MSpanInuse', 'MSpanSys'],
  MCache: ['MCacheInuse', 'MCacheSys'],
};

const decoder = new TextDecoder('utf-8');
const text = (b: Uint8Array | string): string => (typeof b === 'string' ? b : decoder.decode(b));

/** A non-negative decimal integer without leading zeros ("0" allowed), as Go prints uint64. */
const UINT = /^(0|[1-9]\d{0,19})$/;

/** MemStats of a heap dump's memstats record (shared/heap's DumpMemStats: 24 fields + NumGC). */
export function fromHeapDump(memStats: { fields: Record<string, string>; numGC: number | null }): MemStatsValues {
  const out: MemStatsValues = {};
  for (const [k, v] of Object.entries(memStats.fields)) if (UINT.test(v)) out[k] = v;
  if (memStats.numGC !== null) out.NumGC = String(memStats.numGC);
  return out;
}

export interface TrailerResult {
  stats: MemStatsValues;
  /** `# MaxRSS = N` when the trailer has it (Linux). */
  maxRss: number | null;
}

/**
 * The `# runtime.MemStats` trailer of a heap profile's debug=1 text. Throws BAD_FORMAT (naming
 * the line) when there is none or a field line is malformed.
 */
export function parseMemStatsTrailer(body: Uint8Array | string, file?: string, required: readonly string[] = ['Sys', 'HeapAlloc', 'HeapInuse']): TrailerResult {
  const s = text(body);
  const at = s.indexOf('\n# runtime.MemStats\n');
  const fail = (message: string, line?: number): never => {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message, format: 'heap-debug1', ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}) });
  };
  if (at < 0) fail('no "# runtime.MemStats" block: not a heap profile in its debug=1 form, or cut short');
  const firstLine = s.slice(0, at + 1).split('\n').length + 1;
  const lines = s.slice(at + 1).split('\n');
  const stats: MemStatsValues = {};
  let maxRss: number | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.startsWith('# ')) break;
    const m = /^# ([A-Za-z][A-Za-z0-9]*) = (.*)$/.exec(line);
    if (!m) fail(`malformed runtime.MemStats line ${JSON.stringify(line.slice(0, 80))}`, firstLine + i);
    const [, name, value] = m!;
    const pair = PAIRS[name!];
    if (pair) {
      const p = /^(\d+) \/ (\d+)$/.exec(value!);
      if (!p || !UINT.test(p[1]!) || !UINT.test(p[2]!)) fail(`malformed "${name}" line (want "inuse / sys"): ${JSON.stringify(line.slice(0, 80))}`, firstLine + i);
      stats[pair[0]] = p![1]!;
      stats[pair[1]] = p![2]!;
    } else if (name === 'MaxRSS') {
      if (UINT.test(value!)) maxRss = Number(value);
    } else if (SCALAR_SET.has(name!)) {
      if (!UINT.test(value!)) fail(`"${name}" is not a whole number: ${JSON.stringify(value!.slice(0, 40))}`, firstLine + i);
      stats[name!] = value!;
    }
    // PauseNs, PauseEnd ([...]), GCCPUFraction (float), DebugGC (bool), fields of newer Go: not integers we account.
  }
  for (const need of required) if (stats[need] === undefined) fail(`the runtime.MemStats block has no ${need}`);
  return { stats, maxRss };
}

/**
 * The "memstats" object of a /debug/vars body (expvar). Throws BAD_FORMAT when the body is not a
 * JSON object with one (expvar is served but memstats is not published, or it is another page).
 */
export function parseExpvarMemStats(body: Uint8Array | string, file?: string, required: readonly string[] = ['Sys', 'HeapAlloc', 'HeapInuse']): MemStatsValues {
  const s = text(body);
  const fail = (message: string, offset?: number): never => {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message, format: 'expvar', ...(file !== undefined ? { file } : {}), ...(offset !== undefined ? { offset } : {}) });
  };
  if (!/^\s*\{/.test(s)) fail(`not a /debug/vars JSON object (starts ${JSON.stringify(s.slice(0, 40))})`, 0);
  const key = /"memstats"\s*:\s*\{/g;
  const m = key.exec(s);
  if (!m) fail('no "memstats" in /debug/vars (the program does not publish runtime.MemStats through expvar)');
  const stats: MemStatsValues = {};
  let i = m!.index + m![0].length;
  const n = s.length;
  const ws = () => {
    while (i < n && /\s/.test(s[i]!)) i++;
  };
  /** Skip one JSON value (any depth), strings aware. */
  const skipValue = () => {
    let depth = 0;
    let inStr = false;
    for (; i < n; i++) {
      const c = s[i]!;
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      } else if (c === ',' && depth === 0) return;
    }
  };
  for (;;) {
    ws();
    if (s[i] === '}') break;
    if (s[i] !== '"') fail('malformed "memstats" object', i);
    const end = s.indexOf('"', i + 1);
    if (end < 0) fail('"memstats" cut short', i);
    const name = s.slice(i + 1, end);
    i = end + 1;
    ws();
    if (s[i] !== ':') fail('malformed "memstats" object', i);
    i++;
    ws();
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 40));
    if (num && num[1] === undefined && num[2] === undefined && SCALAR_SET.has(name) && UINT.test(num[0])) {
      stats[name] = num[0];
      i += num[0].length;
    } else skipValue();
    ws();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === '}') break;
    fail('"memstats" cut short or malformed', i);
  }
  for (const need of required) if (stats[need] === undefined) fail(`"memstats" has no ${need}`);
  return stats;
}

/** The `cmdline` array of a /debug/vars body, joined by spaces (identifies the program); null without one. */
export function expvarCmdline(body: Uint8Array | string): string | null {
  const m = /"cmdline"\s*:\s*(\[[^\]]*\])/.exec(text(body).slice(0, 1 << 16));
  if (!m) return null;
  try {
    const v: unknown = JSON.parse(m[1]!);
    return Array.isArray(v) ? v.map(String).join(' ') : null;
  } catch {
    return null;
  }
}

const MIB = 1048576;

/**
 * What a gctrace log says of the last GC: NumGC, the heap at GC end (≈ HeapAlloc then), the goal
 * (NextGC). Values are MiB-truncated by the runtime: approximate. Throws BAD_FORMAT without cycles.
 */
export function fromGcTrace(trace: GcTrace, file?: string): { stats: MemStatsValues; liveBytes: number; heapEndBytes: number; stacksBytes: number | null; globalsBytes: number | null } {
  const last = trace.cycles[trace.cycles.length - 1];
  if (!last) throw new HeapscopeError({ code: 'BAD_FORMAT', message: 'no gctrace lines (gc N @Ts …)', format: 'gctrace', ...(file !== undefined ? { file } : {}) });
  const stats: MemStatsValues = {
    NumGC: String(last.gc),
    HeapAlloc: String(last.heapEndMB * MIB),
    NextGC: String(last.goalMB * MIB),
  };
  return {
    stats,
    liveBytes: last.liveMB * MIB,
    heapEndBytes: last.heapEndMB * MIB,
    stacksBytes: last.stacksMB === null ? null : last.stacksMB * MIB,
    globalsBytes: last.globalsMB === null ? null : last.globalsMB * MIB,
  };
}

/** A field as a number (bytes and counts stay far below 2^53); null when absent. */
export function statNumber(stats: MemStatsValues, name: string): number | null {
  const v = stats[name];
  return v === undefined ? null : Number(v);
}
