/**
 * `heapscope retain DUMP [--exe BINARY] [--top N] [--json]`: which GC roots keep memory alive in a
 * Go heap dump (runtime/debug.WriteHeapDump), with retained sizes from the dominator tree.
 *
 * Also exports the loader the `paths` command shares: the dump is streamed in chunks (never read
 * whole), the executable is read at random offsets (only its headers and symbol table).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { describeError, toErrorInfo } from '../../../shared/errors';
import type { TaskContext } from '../../../shared/task';
import { NO_TASK } from '../../../shared/task';
import type { RootRow } from '../../../shared/heap/index';
import { exeBeside, loadHeapDumpFile, type ExeChoice, type LoadedHeap } from '../../services/heapdump-loader';
import type { CliIO } from '../io';

export type { LoadedHeap } from '../../services/heapdump-loader';

/** Stream a heap dump from disk and analyse it (with the executable's symbols when given). */
/**
 * A heap dump from disk, named by `exePath` or else by the program's binary found beside it (as the
 * app does: `exeBeside`).
 */
export function loadHeapDump(io: CliIO, dumpPath: string, exePath?: string, task: TaskContext = NO_TASK): LoadedHeap {
  return loadHeapDumpFile((p) => io.openFile(p), dumpPath, exeFor(io, dumpPath, exePath), task);
}

/** The binary to name a dump with: the one given, else the one found beside it. */
export function exeFor(io: CliIO, dumpPath: string, exePath: string | undefined): ExeChoice {
  return exePath ?? exeBeside(dumpPath, (p) => io.openFile(p));
}

/** Which binary names a dump's globals, for text output: one line, or none when it was given. */
export function binaryLine(exe: string | null, given: string | undefined): string {
  if (given) return '';
  return exe ? `binary: ${exe} (found beside the dump; --exe chooses another)\n` : "note: no binary of this dump beside it: pass --exe BINARY to name globals and types, and to count what goroutines hold in address-taken locals (otherwise garbage)\n";
}

export function fail(io: CliIO, e: unknown): void {
  io.stderr(`${describeError(toErrorInfo(e))}\n`);
  process.exitCode = 1;
}

export function parseCount(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return n;
  };
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Left/right aligned columns. `right[i]` true = right-align column i. */
export function table(header: string[], rows: string[][], right: boolean[]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : right[i] ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

interface RetainOptions {
  exe?: string;
  top?: number;
  json?: boolean;
}

export function runRetain(io: CliIO, dumpPath: string, opts: RetainOptions): void {
  const { analysis: a, warnings, exe } = loadHeapDump(io, dumpPath, opts.exe);
  if (opts.json) {
    const json = a.retainJson({ ...(opts.top !== undefined ? { topRoots: opts.top } : {}), topDominators: opts.top ?? 20 });
    io.stdout(JSON.stringify(json, null, 2) + '\n');
    return;
  }
  const top = opts.top ?? 20;
  const s = a.summary();
  let out = `${dumpPath}: Go ${s.goVersion || '?'} ${s.goarch}${s.complete ? '' : ' (INCOMPLETE dump)'}\n`;
  out += `objects: ${s.objects} (${fmtBytes(s.bytes)}), reachable: ${s.reachableObjects} (${fmtBytes(s.reachableBytes)}), garbage: ${s.garbageObjects} (${fmtBytes(s.garbageBytes)})\n`;
  for (const w of warnings) out += `warning: ${w}\n`;
  out += binaryLine(exe, opts.exe);
  const roots = a.rootsRanked(0, top);
  out += `\nRoots by retained size (${roots.rows.length} of ${roots.total})\n`;
  out += table(
    ['RETAINED', 'OBJECTS', 'KIND', 'ROOT'],
    roots.rows.map((r: RootRow) => [fmtBytes(r.retainedBytes), String(r.retainedObjects), r.kind, rootLabel(r)]),
    [true, true, false, false],
  );
  const doms = a.topDominators(top);
  out += `\nBiggest retainers below the roots (${doms.length})\n`;
  out += table(
    ['RETAINED', 'SIZE', 'ADDRESS', 'ALLOCATED AT'],
    doms.map((d) => [fmtBytes(d.retainedBytes), fmtBytes(d.size), d.type ? `${d.address ?? ''} ${d.type}` : (d.address ?? ''), d.allocSite ?? '(no sample)']),
    [true, true, false, false],
  );
  io.stdout(out);
}

function rootLabel(r: RootRow): string {
  if (r.goroutine?.waitedAtLeastNs && r.goroutine.waitedAtLeastNs !== '0') {
    const min = Number(BigInt(r.goroutine.waitedAtLeastNs) / 1000000000n) / 60;
    if (min >= 1) return `${r.name} (waiting ≥ ${Math.floor(min)} min)`;
  }
  return r.name;
}

export function registerRetain(program: Command, io: CliIO): void {
  program
    .command('retain')
    .description('GC roots of a Go heap dump (runtime/debug.WriteHeapDump) ranked by the memory they alone keep alive')
    .argument('<dump>', 'heap dump file')
    .option('--exe <binary>', 'the program binary (ELF), to name globals')
    .option('--top <n>', 'rows per table (JSON: limits roots, which are otherwise all listed; dominators default 20)', parseCount('--top'))
    .option('--json', 'machine-readable output')
    .action((dump: string, opts: RetainOptions) => {
      try {
        runRetain(io, dump, opts);
      } catch (e) {
        fail(io, e);
      }
    });
}
