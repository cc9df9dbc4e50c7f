/**
 * `heapscope memory FILE... [--json]`: where a Go process's memory goes, from runtime.MemStats in
 * any form Go writes it: a heap dump (its MemStats record), a heap profile's debug=1 text (its
 * `# runtime.MemStats` trailer), a saved /debug/vars body (expvar), a GODEBUG=gctrace=1 log.
 * Protobuf heap profiles given alongside are shown beside the breakdown as the profile total.
 *
 *   {"sources":[{"file","source":"heapdump|heap-debug1|expvar|gctrace","stats":{Field:int},
 *                "breakdown":[{"name","bytes","explanation"}]}]}
 *
 * Inputs are sniffed by content (gzip looked through). Errors name the file and the format.
 */
import type { Command } from 'commander';
import { describeError, HeapscopeError, toErrorInfo } from '../../../shared/errors';
import { looksLikeGcTrace, parseGcTrace } from '../../../shared/compare';
import { HeapDumpParser } from '../../../shared/heap/index';
import { importProfile, profileSummary } from '../../../shared/profile';
import { collectAccounts, memoryJson, formatBytesPlain, type AccountWithProfile, type MemoryInput } from '../../../shared/memory';
import type { CliIO } from '../io';
import { expandInputs } from '../inputs';

const HEAPDUMP = 'go1.7 heap dump\n';
const CHUNK = 8 << 20;

function startsWith(b: Uint8Array, s: string): boolean {
  if (b.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}
const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function withFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HeapscopeError && e.file === undefined) e.file = file;
    throw e;
  }
}

function dumpInput(file: string, push: (p: HeapDumpParser) => void, totalBytes: number): MemoryInput {
  const dump = withFile(file, () => {
    const p = new HeapDumpParser({ totalBytes, file });
    push(p);
    return p.end();
  });
  return { file, kind: 'heapdump', memStats: dump.memStats, goroutines: dump.goroutines.length };
}

function inuseOf(bytes: Uint8Array, file: string, io: CliIO): { inuse: number; captureMs: number | null; kind: string; format: string } {
  const imp = withFile(file, () => importProfile(bytes, file, { gunzip: (b) => io.gunzip(b) }));
  const s = profileSummary(imp.profile);
  const i = s.sampleTypes.findIndex((t) => t.type === 'inuse_space');
  if (imp.profileKind !== 'heap' || i < 0) {
    throw new HeapscopeError({ code: 'UNSUPPORTED', message: `a ${imp.profileKind} profile carries no memory statistics: give a heap dump, a heap profile, /debug/vars or a gctrace log`, file, format: imp.format });
  }
  const captureMs = s.timeNanos ? Number(BigInt(s.timeNanos) / 1_000_000n) : null;
  return { inuse: s.totals[i]!, captureMs, kind: imp.profileKind, format: imp.format };
}

/** What one file holds, as a memory input. */
export async function readMemoryInput(io: CliIO, file: string): Promise<MemoryInput> {
  const f = io.openFile(file);
  let head: Uint8Array;
  try {
    head = f.read(0, Math.min(f.size, 256 * 1024));
    if (startsWith(head, HEAPDUMP)) {
      // Streamed: a dump may be larger than memory.
      return dumpInput(file, (p) => {
        for (let off = 0; off < f.size; ) {
          const chunk = f.read(off, Math.min(CHUNK, f.size - off));
          if (chunk.length === 0) break;
          p.push(chunk);
          off += chunk.length;
        }
      }, f.size);
    }
  } finally {
    f.close();
  }
  let bytes = await io.readFile(file);
  if (isGzip(bytes)) {
    let inflated: Uint8Array;
    try {
      inflated = io.gunzip(bytes);
    } catch (e) {
      throw new HeapscopeError({ code: 'BAD_FORMAT', message: `corrupt gzip data: ${e instanceof Error ? e.message : String(e)}`, file, format: 'gzip', offset: 0 });
    }
    if (startsWith(inflated, HEAPDUMP)) return dumpInput(file, (p) => {
      for (let off = 0; off < inflated.length; off += CHUNK) p.push(inflated.subarray(off, Math.min(inflated.length, off + CHUNK)));
    }, inflated.length);
    // A gzipped protobuf profile: keep the original bytes for importProfile (it inflates itself).
    if (!looksLikeText(inflated)) {
      const r = inuseOf(bytes, file, io);
      return { file, kind: 'heap-profile', inuseSpace: r.inuse, captureMs: r.captureMs };
    }
    bytes = inflated;
  }
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 64 * 1024));
  if (/^\s*\{/.test(text)) return { file, kind: 'expvar', text: bytes };
  if (looksLikeGcTrace(bytes)) return { file, kind: 'gctrace', trace: parseGcTrace(bytes) };
  if (/^\s*heap profile:/.test(text)) {
    const r = inuseOf(bytes, file, io);
    return { file, kind: 'heap-debug1', text: bytes, inuseSpace: r.inuse };
  }
  // Raw (not gzipped) protobuf, or anything else importProfile can name.
  const r = inuseOf(bytes, file, io);
  return { file, kind: 'heap-profile', inuseSpace: r.inuse, captureMs: r.captureMs };
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c < 9 || (c > 13 && c < 32)) return false;
  }
  return true;
}

const SOURCE_NAMES: Record<string, string> = {
  heapdump: 'heap dump MemStats record',
  'heap-debug1': 'heap profile debug=1, # runtime.MemStats',
  expvar: '/debug/vars memstats',
  gctrace: 'gctrace, last GC',
};

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '';
}

/** The text form: one block per source, parts with share of the total, then explanations. */
export function memoryText(rows: readonly AccountWithProfile[]): string {
  let out = '';
  for (const { account: a, profile } of rows) {
    out += `${a.file} (${SOURCE_NAMES[a.source]})\n`;
    const total = a.total.bytes;
    const w = Math.max(...a.breakdown.map((p) => p.name.length), a.total.name.length, 26);
    out += `  ${a.total.name.padEnd(w)}  ${formatBytesPlain(total).padStart(10)}\n`;
    for (const p of a.breakdown) out += `    ${p.name.padEnd(w - 2)}  ${formatBytesPlain(p.bytes).padStart(10)}  ${pct(p.bytes, total).padStart(6)}\n`;
    const sum = a.breakdown.reduce((s, p) => s + p.bytes, 0);
    if (a.source !== 'gctrace' && sum !== total) out += `  (the parts add up to ${formatBytesPlain(sum)}: the fields were not read at one moment)\n`;
    if (profile) out += `  ${'heap profile in use'.padEnd(w)}  ${formatBytesPlain(profile.inuseSpace).padStart(10)}  (inuse_space of ${profile.file})\n`;
    if (a.maxRss !== undefined) out += `  ${'MaxRSS (peak resident)'.padEnd(w)}  ${formatBytesPlain(a.maxRss).padStart(10)}\n`;
    if (a.freshness) out += `  ${a.freshness.message}\n`;
    for (const p of a.breakdown) out += `  - ${p.name}: ${p.explanation}\n`;
    for (const n of a.notes) out += `  * ${n}\n`;
    out += '\n';
  }
  return out;
}

export function registerMemory(program: Command, io: CliIO): void {
  program
    .command('memory')
    .description('where the memory goes: runtime.MemStats of heap dumps, heap profiles (debug=1), /debug/vars, gctrace logs, broken down to Sys with explanations')
    .argument('<files...>', 'heap dumps, heap profiles (debug=1 for MemStats; protobuf for the profile total), saved /debug/vars, gctrace logs; a session folder of `capture --every` stands for its captures')
    .option('--json', 'print {"sources":[{"file","source","stats","breakdown":[{"name","bytes","explanation"}]}]}')
    .action(async (files: string[], o: { json?: boolean }) => {
      try {
        const inputs: MemoryInput[] = [];
        for (const f of expandInputs(files)) inputs.push(await readMemoryInput(io, f));
        const rows = collectAccounts(inputs);
        if (rows.length === 0) {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'none of the files carries runtime.MemStats: give a heap dump, a heap profile in its debug=1 form, a saved /debug/vars, or a gctrace log' });
        }
        io.stdout(o.json ? `${memoryJson(rows.map((r) => r.account))}\n` : memoryText(rows));
      } catch (e) {
        io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
        process.exitCode = 1;
      }
    });
}
