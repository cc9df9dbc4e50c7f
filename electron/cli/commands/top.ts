/**
 * `heapscope top FILE`: pprof's -top, in-process (no worker) for speed.
 *
 * --json prints {"file","format","sampleType":{type,unit},"total","rows":[{name,flat,cum}]} with
 * every row, sorted by flat descending, values as raw integers in the sample type's unit: the
 * numbers of `go tool pprof -top -nodecount=100000 -nodefraction=0 -unit=B|ns FILE`.
 * Without --json: pprof's aligned table (flat, flat%, sum%, cum, cum%, name) in human units.
 */
import type { Command } from 'commander';
import type { Granularity } from '../../../shared/api/types';
import { describeError, HeapscopeError, toErrorInfo } from '../../../shared/errors';
import { compareProfiles, computeTopDetailed, profileSummary, type ImportedProfile } from '../../../shared/profile';
import { percentage, scaledLabel, scaleValue } from '../../../shared/profile/analysis/units';
import type { CliIO } from '../io';
import { loadProfile } from '../load';
import { addFilterOptions, filtersOf } from './filter-options';

interface TopOpts {
  sampleIndex?: string;
  granularity?: string;
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  tagFocus?: string[];
  tagIgnore?: string[];
  sort?: string;
  json?: boolean;
  diffBase?: string;
  base?: string;
  normalize?: boolean;
}

const GRANULARITIES: readonly string[] = ['functions', 'files', 'lines', 'addresses'];

export function registerTop(program: Command, io: CliIO): void {
  addFilterOptions(
  program
    .command('top')
    .description("top functions of a profile, like `go tool pprof -top` (every row, exact values)")
    .argument('<file>', 'profile: pprof protobuf (gzipped or raw), debug=1 text, or a debug=2 goroutine dump')
    .option('--sample-index <name>', 'sample type to show (name or index); default: the profile\'s default')
    .option('--granularity <g>', 'functions | files | lines | addresses (pprof -addresses)', 'functions')
    .option('--sort <by>', 'flat | cum', 'flat')
    .option('--diff-base <file>', 'show the difference from this base profile (pprof -diff_base: percentages of the base)')
    .option('--base <file>', 'subtract this base profile (pprof -base, for cumulative profiles)')
    .option('--normalize', 'scale the profile to the base total first (pprof -normalize)')
    .option('--json', 'print one JSON object with every row and raw values')
  )
    .action(async (file: string, opts: TopOpts) => {
      try {
        const gRaw = opts.granularity ?? 'functions';
        if (!GRANULARITIES.includes(gRaw)) {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: `--granularity must be one of ${GRANULARITIES.join(', ')}` });
        }
        if (opts.sort !== undefined && opts.sort !== 'flat' && opts.sort !== 'cum') {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: '--sort must be flat or cum' });
        }
        if (opts.diffBase !== undefined && opts.base !== undefined) {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: '--diff-base and --base are mutually exclusive' });
        }
        const load = (path: string): Promise<ImportedProfile> => loadProfile(io, path);
        let imported = await load(file);
        const basePath = opts.diffBase ?? opts.base;
        if (basePath !== undefined) {
          const base = await load(basePath);
          const mode = opts.diffBase !== undefined ? 'diff_base' : 'base';
          const opt = opts.normalize ? { normalize: true } : {};
          imported = { ...imported, profile: compareProfiles(imported.profile, base.profile, mode, opt) };
        }
        const filters = filtersOf(opts);
        const q: Parameters<typeof computeTopDetailed>[1] = { filters, sort: (opts.sort ?? 'flat') as 'flat' | 'cum' };
        if (gRaw === 'addresses') q.granularityExt = 'addresses';
        else q.granularity = gRaw as Granularity;
        if (opts.sampleIndex !== undefined) q.sampleIndex = opts.sampleIndex;
        let top;
        try {
          top = computeTopDetailed(imported.profile, q);
        } catch (e) {
          if (e instanceof HeapscopeError && e.file === undefined) e.file = file;
          throw e;
        }
        if (opts.json) {
          const out = {
            file,
            format: imported.format,
            sampleType: top.sampleType,
            total: top.total,
            rows: top.rows,
          };
          io.stdout(JSON.stringify(out) + '\n');
          return;
        }
        const s = profileSummary(imported.profile);
        io.stdout(formatTopText(file, imported.format, top, s.comments, imported.warnings));
      } catch (e) {
        io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
        process.exitCode = 1;
      }
    });
}

/** pprof's report.selectOutputUnit: one unit for the table, from the smallest non-zero value. */
export function selectOutputUnit(rows: Array<{ flat: number; cum: number }>, total: number, sampleUnit: string): string {
  let minValue = 0;
  for (const r of rows) {
    let v = Math.abs(r.flat);
    if (v === 0) v = Math.abs(r.cum);
    if (v > 0 && (minValue === 0 || v < minValue)) minValue = v;
  }
  const maxValue = total;
  if (minValue === 0) minValue = maxValue;
  const minUnit = scaleValue(minValue, sampleUnit, 'minimum')[1];
  const maxUnit = scaleValue(maxValue, sampleUnit, 'minimum')[1];
  let u = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) u = scaleValue(100 * minValue, sampleUnit, 'minimum')[1];
  return u !== '' ? u : sampleUnit;
}

/** pprof's text report: header lines, then "%10s %s %s %10s %s  %s". */
export function formatTopText(
  file: string,
  format: string,
  top: { sampleType: { type: string; unit: string }; total: number; rows: Array<{ name: string; flat: number; cum: number }>; inline?: string[] },
  comments: string[],
  warnings: string[],
): string {
  const unit = top.sampleType.unit;
  const outUnit = selectOutputUnit(top.rows, top.total, unit);
  const fmt = (v: number): string => scaledLabel(v, unit, outUnit);
  let flatShown = 0;
  for (const r of top.rows) flatShown += r.flat;
  const out: string[] = [];
  out.push(`File: ${file}`);
  out.push(`Format: ${format}`);
  out.push(`Type: ${top.sampleType.type}`);
  for (const c of comments) if (!c.startsWith('#')) out.push(c);
  for (const w of warnings) out.push(`Warning: ${w}`);
  out.push(`Showing nodes accounting for ${fmt(flatShown)}, ${percentage(flatShown, top.total).trim()} of ${fmt(top.total)} total`);
  out.push(`${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`);
  let sum = 0;
  top.rows.forEach((r, i) => {
    sum += r.flat;
    const inl = top.inline?.[i] ? ` ${top.inline[i]}` : '';
    out.push(
      `${fmt(r.flat).padStart(10)} ${percentage(r.flat, top.total)} ${percentage(sum, top.total)} ${fmt(r.cum).padStart(10)} ${percentage(r.cum, top.total)}  ${r.name}${inl}`,
    );
  });
  return out.join('\n') + '\n';
}
