/**
 * `heapscope report FILES... [--exe BINARY] [-o report.html] [--title TEXT] [--sample-types LIST]
 *  [--min-fraction F] [--source-root DIR]... [--no-source]`
 *
 * One self-contained HTML file (opens offline, stays interactive): the ranked findings, comparisons
 * of each series of profiles (differential flame graph, side-by-side pair, delta table), each
 * profile's flame graph and top table, heap dumps (roots, dominators, paths to roots of the
 * suspects) and the goroutine summary; the annotated source of each profile's hottest functions (and
 * per-line deltas of comparisons), read like `heapscope list` reads it (--source-root folders too). Inputs: any mix the `findings` command reads. Files captured
 * by `heapscope capture --every` carry their URL and time from the session's session.json.
 * Prints the path and size of the file written; exit 1 on errors.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { assembleReport, type ReportInput } from '../../../shared/report/assemble';
import { writeReport } from '../../services/report-writer';
import { SourceService } from '../../services/source';
import { VERSION } from '../../services/version';
import type { CliIO } from '../io';
import { expandInputs, readSessionManifest } from '../inputs';
import { closeInputs, inputLabel, loadInputs, type LoadedInput } from '../load';
import { fail, fmtBytes } from './retain';
import { collect, profileSourceReader } from './source-common';

interface ReportCliOptions {
  exe?: string;
  output?: string;
  title?: string;
  sampleTypes?: string;
  minFraction?: number;
  sourceRoot?: string[];
  /** commander's --no-source. */
  source?: boolean;
}

export const DEFAULT_REPORT_FILE = 'heapscope-report.html';

function parseFraction(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('must be a fraction in [0, 1), e.g. 0.0005 for 0.05%.');
  return n;
}

/** A capture's URL and time from the session.json of `heapscope capture --every`, when there is one. */
function captureMeta(path: string): { url: string; timeMs?: number } | null {
  try {
    const m = readSessionManifest(dirname(path));
    const c = m.captures.find((x) => x.file === basename(path));
    if (!c?.meta || typeof c.meta.url !== 'string') return null;
    return typeof c.meta.timeMs === 'number' ? { url: c.meta.url, timeMs: c.meta.timeMs } : { url: c.meta.url };
  } catch {
    return null;
  }
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Input names: the file names when they are distinct, else the paths as given. */
export function inputNames(paths: readonly string[]): string[] {
  const base = paths.map((p) => basename(p));
  return new Set(base).size === base.length ? base : [...paths];
}

export function toReportInput(x: LoadedInput, exe: string | undefined, name: string = inputLabel(x), sources?: SourceService): ReportInput {
  const cap = captureMeta(x.path);
  const meta: { source: string; sizeBytes?: number } = { source: cap?.url ?? resolve(x.path) };
  const size = sizeOf(x.path);
  if (size !== undefined) meta.sizeBytes = size;
  if (x.kind === 'profile') {
    const r: ReportInput = { name, kind: 'profile', imported: x.imported, ...meta };
    // Annotated source of the hottest functions: read like `heapscope list` (absolute names as
    // recorded, GOROOT, the module cache, --source-root folders).
    if (sources) r.readSource = profileSourceReader(sources, x.path, x.imported.profile, exe);
    if (cap?.timeMs !== undefined && x.imported.profile.timeNanos === 0n) r.timeNanos = (BigInt(Math.round(cap.timeMs)) * 1_000_000n).toString();
    return r;
  }
  if (x.kind === 'heapdump') return { name, kind: 'heapdump', analysis: x.analysis, read: x.read, exe: x.exe ? resolve(x.exe) : null, warnings: x.warnings, ...meta };
  return { name, kind: 'gctrace', series: x.trace, ...meta };
}

export async function runReport(io: CliIO, paths: string[], opts: ReportCliOptions): Promise<number> {
  const loaded: LoadedInput[] = [];
  try {
    const files = expandInputs(paths);
    for (const f of files) loaded.push(...(await loadInputs(io, f, opts.exe ? { exe: opts.exe } : {})));
    const names = inputNames(loaded.map(inputLabel));
    const sources = opts.source === false ? undefined : new SourceService({ roots: opts.sourceRoot ?? [], trustRecordedAbsolute: true });
    const inputs = loaded.map((x, i) => toReportInput(x, opts.exe, names[i], sources));
    let sampleTypes: 'default' | 'all' | string[] = 'default';
    if (opts.sampleTypes) {
      const v = opts.sampleTypes.trim();
      sampleTypes = v === 'all' || v === 'default' ? v : v.split(',').map((s) => s.trim()).filter(Boolean);
    }
    const model = assembleReport(inputs, {
      heapscopeVersion: VERSION,
      ...(opts.title !== undefined ? { title: opts.title } : {}),
      sampleTypes,
      ...(opts.minFraction !== undefined ? { minFraction: opts.minFraction } : {}),
    });
    const out = opts.output ?? DEFAULT_REPORT_FILE;
    const protect = opts.exe ? [...files, opts.exe] : files;
    const w = writeReport(model, out, { inputs: protect });
    for (const n of model.notes) io.stderr(`note: ${n}\n`);
    const f = model.findings.length;
    io.stdout(`wrote ${w.path} (${fmtBytes(w.sizeBytes)}, ${w.sizeBytes} bytes): ${f} finding${f === 1 ? '' : 's'}, ${model.sections.length} section${model.sections.length === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    closeInputs(loaded);
  }
}

export function registerReport(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('one self-contained, interactive HTML report: findings, flame graphs, comparisons, heap dump roots and paths, goroutines')
    .argument('<files...>', 'pprof profiles (any format), goroutine dumps, heap dumps, GODEBUG=gctrace=1 logs; a session folder of `capture --every` stands for its captures')
    .option('--exe <binary>', 'the program binary (ELF), to name the globals of heap dumps')
    .option('-o, --output <file>', `the HTML file to write (default ${DEFAULT_REPORT_FILE}); never one of the inputs`)
    .option('--title <text>', 'the report title')
    .option('--sample-types <list>', "flame graphs per profile: 'default' (each profile's default sample type), 'all', or names (e.g. inuse_space,alloc_space)")
    .option('--min-fraction <f>', 'merge flame graph frames narrower than this fraction of the total (default 0.0005)', parseFraction)
    .option('--source-root <dir>', 'a folder to look for sources in, for the annotated source of the hottest functions (like `heapscope list`); repeatable', collect)
    .option('--no-source', 'leave the annotated source out')
    .action(async (files: string[], opts: ReportCliOptions) => {
      try {
        const code = await runReport(io, files, opts);
        if (code !== 0) process.exitCode = code;
      } catch (e) {
        fail(io, e);
      }
    });
}
