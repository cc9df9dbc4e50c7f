/**
 * `heapscope peek REGEX FILE`: pprof's -peek, the callers and callees of the matching functions
 * with the weight of each call (the numbers of `go tool pprof -peek`).
 *
 * --json: {"sampleType","total","functions":[{"name","flat","cum","callers":[{"name","weight","inline"}],"callees":[…]}]}
 */
import type { Command } from 'commander';
import type { Granularity } from '../../../shared/api/types';
import { describeError, HeapscopeError, toErrorInfo } from '../../../shared/errors';
import { profileSummary } from '../../../shared/profile';
import { percentage, scaledLabel } from '../../../shared/profile/analysis/units';
import { computePeek, formatPeekTable } from '../../../shared/source/index';
import type { CliIO } from '../io';
import { selectOutputUnit } from './top';
import { addFilterOptions } from './filter-options';
import { filtersOf, loadForSource, type SourceCliOpts } from './source-common';

interface PeekOpts extends SourceCliOpts {
  granularity?: string;
}

const GRANULARITIES: readonly Granularity[] = ['functions', 'files', 'lines'];

export function registerPeek(program: Command, io: CliIO): void {
  addFilterOptions(
  program
    .command('peek')
    .description('callers and callees of the functions matching REGEX, like `go tool pprof -peek`')
    .argument('<regex>', 'function names (Go regexp, unanchored)')
    .argument('<file>', 'profile: pprof protobuf (gzipped or raw), debug=1 text, or a debug=2 goroutine dump')
    .option('--sample-index <name>', "sample type (name or index); default: the profile's default")
    .option('--granularity <g>', 'functions | files | lines', 'functions')
    .option('--unit <unit>', 'output unit like pprof -unit (B, kB, MB, ns, ms, s, ...); default: one unit for the table')
    .option('--diff-base <file>', 'differences from this base profile (pprof -diff_base)')
    .option('--json', 'print one JSON object with every matching function, its callers and callees')
  )
    .action(async (regex: string, file: string, opts: PeekOpts) => {
      try {
        const g = (opts.granularity ?? 'functions') as Granularity;
        if (!GRANULARITIES.includes(g)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `--granularity must be one of ${GRANULARITIES.join(', ')}` });
        const imported = await loadForSource(io, file, opts);
        const r = computePeek(imported.profile, regex, { sampleIndex: opts.sampleIndex, filters: filtersOf(opts), granularity: g });
        if (opts.json) {
          io.stdout(JSON.stringify({ file, sampleType: r.sampleType, total: r.total, functions: r.functions }) + '\n');
          return;
        }
        const rows = r.functions.flatMap((f) => [{ flat: f.flat, cum: f.cum }, ...f.callers.map((e) => ({ flat: e.weight, cum: 0 })), ...f.callees.map((e) => ({ flat: e.weight, cum: 0 }))]);
        const unit = opts.unit ?? selectOutputUnit(rows, r.total, r.sampleType.unit);
        const fmt = (x: number): string => scaledLabel(x, r.sampleType.unit, unit);
        const head: string[] = [`File: ${file}`, `Format: ${imported.format}`, `Type: ${r.sampleType.type}`];
        for (const c of profileSummary(imported.profile).comments) if (!c.startsWith('#')) head.push(c);
        head.push(`Showing nodes accounting for ${fmt(r.flatShown)}, ${percentage(r.flatShown, r.total).trim()} of ${fmt(r.total)} total`);
        io.stdout(head.join('\n') + '\n' + formatPeekTable(r, unit));
      } catch (e) {
        io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
        process.exitCode = 1;
      }
    });
}
