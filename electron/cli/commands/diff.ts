/**
 * `heapscope diff BASE TARGET [--mode diff_base|base] [--normalize] [--sample-index NAME] [--json]`
 *
 * Two pprof profiles: the `top --json` shape with rows holding deltas (flat, cum = target − base, in
 * pprof's order) and `total` pprof's percentage base (the base total for -diff_base): the numbers of
 * `go tool pprof -top -nodecount=100000 -nodefraction=0 -unit=B -diff_base=BASE TARGET`. Each row also
 * carries both sides (baseFlat, baseCum, targetFlat, targetCum) and a status (new / gone / both).
 *
 * Two heap dumps of one process: objects added, freed and still alive (by address), growth by
 * allocation site, by root and by top-level dominator.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Granularity } from '../../../shared/api/types';
import { diffHeapDumps, diffTop } from '../../../shared/compare';
import type { DiffTopResult, HeapDiffSummary } from '../../../shared/compare/types';
import { HeapscopeError } from '../../../shared/errors';
import { percentage, scaledLabel } from '../../../shared/profile/analysis/units';
import type { CliIO } from '../io';
import { closeInputs, loadInput, type LoadedInput } from '../load';
import { fail, fmtBytes, parseCount, table } from './retain';

interface DiffOptions {
  mode?: string;
  normalize?: boolean;
  sampleIndex?: string;
  granularity?: string;
  exe?: string;
  top?: number;
  json?: boolean;
}

const MODES = ['diff_base', 'base'] as const;
const GRANULARITIES: readonly Granularity[] = ['functions', 'files', 'lines'];

function parseMode(v: string): string {
  if (!(MODES as readonly string[]).includes(v)) throw new InvalidArgumentError('must be diff_base or base.');
  return v;
}

function signed(v: number, unit: string): string {
  const s = scaledLabel(v, unit, 'auto');
  return v > 0 ? `+${s}` : s;
}

export function formatDiffText(base: string, target: string, r: DiffTopResult, limit: number | undefined): string {
  const unit = r.sampleType.unit;
  const lines: string[] = [];
  // Σ flat over every function = Σ target − Σ base (also for saved diffs, whose totals are pprof's).
  const delta = r.rows.reduce((a, x) => a + x.flat, 0);
  lines.push(`Base:   ${base} (${r.sampleType.type}, total ${scaledLabel(r.baseTotal, unit, 'auto')})`);
  lines.push(`Target: ${target} (${r.sampleType.type}, total ${scaledLabel(r.targetTotal, unit, 'auto')}${r.normalize ? ', normalized to the base total' : ''})`);
  lines.push(
    r.mode === 'diff_base'
      ? `Mode: -diff_base (percentages of the base total ${scaledLabel(r.total, unit, 'auto')})`
      : `Mode: -base (plain subtraction; percentages of ${scaledLabel(r.total, unit, 'auto')})`,
  );
  lines.push(`Change: ${signed(delta, unit)}${r.total !== 0 ? ` (${percentage(delta, r.total).trim()})` : ''}, ${r.rows.length} function${r.rows.length === 1 ? '' : 's'} changed`);
  lines.push('');
  const rows = limit !== undefined ? r.rows.slice(0, limit) : r.rows;
  const body = rows.map((x) => [
    signed(x.flat, unit),
    percentage(x.flat, r.total).trim(),
    signed(x.cum, unit),
    percentage(x.cum, r.total).trim(),
    scaledLabel(x.baseFlat, unit, 'auto'),
    scaledLabel(x.targetFlat, unit, 'auto'),
    x.status === 'both' ? '' : x.status,
    x.name,
  ]);
  let out = lines.join('\n') + '\n';
  out += table(['Δ FLAT', 'Δ FLAT%', 'Δ CUM', 'Δ CUM%', 'BASE FLAT', 'TARGET FLAT', '', 'FUNCTION'], body, [true, true, true, true, true, true, false, false]);
  if (limit !== undefined && r.rows.length > limit) out += `... ${r.rows.length - limit} more rows (--top)\n`;
  return out;
}

function formatHeapDiffText(s: HeapDiffSummary, limit: number): string {
  let out = `Base:   ${s.base.name}: ${s.base.objects} reachable objects, ${fmtBytes(s.base.bytes)}\n`;
  out += `Target: ${s.target.name}: ${s.target.objects} reachable objects, ${fmtBytes(s.target.bytes)}\n`;
  out += `Added ${s.added.objects} objects (${fmtBytes(s.added.bytes)}), freed ${s.freed.objects} (${fmtBytes(s.freed.bytes)}), still alive ${s.alive.objects} (${fmtBytes(s.alive.bytes)})\n`;
  out += `\nBy allocation site\n`;
  out += table(
    ['Δ BYTES', 'ADDED', 'FREED', 'ALIVE', 'SITE'],
    s.bySite.slice(0, limit).map((r) => [fmtBytes(r.deltaBytes), `${r.added.objects} (${fmtBytes(r.added.bytes)})`, `${r.freed.objects} (${fmtBytes(r.freed.bytes)})`, `${r.alive.objects}`, r.site]),
    [true, true, true, true, false],
  );
  if (s.byType) {
    out += `\nBy Go type\n`;
    out += table(
      ['Δ BYTES', 'ADDED', 'FREED', 'ALIVE', 'TYPE'],
      s.byType.slice(0, limit).map((r) => [fmtBytes(r.deltaBytes), `${r.added.objects} (${fmtBytes(r.added.bytes)})`, `${r.freed.objects} (${fmtBytes(r.freed.bytes)})`, `${r.alive.objects}`, r.site]),
      [true, true, true, true, false],
    );
  }
  out += `\nBy root (retained)\n`;
  out += table(
    ['Δ RETAINED', 'BASE', 'TARGET', '', 'ROOT'],
    s.byRoot.slice(0, limit).map((r) => [fmtBytes(r.delta), fmtBytes(r.baseRetained), fmtBytes(r.targetRetained), r.status === 'both' ? '' : r.status, r.name]),
    [true, true, true, false, false],
  );
  out += `\nTop-level dominators\n`;
  out += table(
    ['Δ RETAINED', 'BASE', 'TARGET', '', 'ADDRESS', 'ALLOCATED AT'],
    s.byDominator.slice(0, limit).map((r) => [fmtBytes(r.delta), fmtBytes(r.baseRetained), fmtBytes(r.targetRetained), r.status === 'both' ? '' : r.status, r.address, r.allocSite ?? '(no sample)']),
    [true, true, true, false, false, false],
  );
  return out;
}

export async function runDiff(io: CliIO, basePath: string, targetPath: string, opts: DiffOptions): Promise<void> {
  const g = (opts.granularity ?? 'functions') as Granularity;
  if (!GRANULARITIES.includes(g)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `--granularity must be one of ${GRANULARITIES.join(', ')}` });
  const inputs: LoadedInput[] = [];
  try {
    const lo = opts.exe ? { exe: opts.exe } : {};
    inputs.push(await loadInput(io, basePath, lo));
    inputs.push(await loadInput(io, targetPath, lo));
    const [b, t] = inputs as [LoadedInput, LoadedInput];
    if (b.kind === 'heapdump' && t.kind === 'heapdump') {
      const s = diffHeapDumps(basePath, b.analysis, targetPath, t.analysis).summary(opts.top !== undefined ? { limit: opts.top } : {});
      io.stdout(opts.json ? JSON.stringify(s) + '\n' : formatHeapDiffText(s, opts.top ?? 20));
      return;
    }
    if (b.kind !== 'profile' || t.kind !== 'profile') {
      const odd = b.kind !== 'profile' ? b : t;
      throw new HeapscopeError({
        code: 'BAD_REQUEST',
        message: `diff compares two pprof profiles (or two heap dumps); ${odd.path} is a ${odd.kind === 'heapdump' ? 'heap dump' : 'gctrace log'} (try heapscope findings)`,
        file: odd.path,
      });
    }
    const q: Parameters<typeof diffTop>[2] = { mode: (opts.mode ?? 'diff_base') as 'diff_base' | 'base', normalize: opts.normalize === true, granularity: g };
    if (opts.sampleIndex !== undefined) q.sampleIndex = opts.sampleIndex;
    let r: DiffTopResult;
    try {
      r = diffTop(b.imported.profile, t.imported.profile, q);
    } catch (e) {
      if (e instanceof HeapscopeError && e.file === undefined) e.file = targetPath;
      throw e;
    }
    if (opts.json) {
      const out = {
        file: targetPath,
        base: basePath,
        format: t.imported.format,
        mode: r.mode,
        normalize: r.normalize,
        sampleType: r.sampleType,
        total: r.total,
        baseTotal: r.baseTotal,
        targetTotal: r.targetTotal,
        rows: r.rows,
      };
      io.stdout(JSON.stringify(out) + '\n');
      return;
    }
    io.stdout(formatDiffText(basePath, targetPath, r, opts.top));
  } finally {
    closeInputs(inputs);
  }
}

export function registerDiff(program: Command, io: CliIO): void {
  program
    .command('diff')
    .description('compare two profiles like `go tool pprof -diff_base` (or two heap dumps of one process, by address)')
    .argument('<base>', 'the earlier profile (or heap dump)')
    .argument('<target>', 'the later profile (or heap dump)')
    .option('--mode <mode>', 'diff_base (pprof -diff_base: percentages of the base total) | base (pprof -base: plain subtraction, for cumulative profiles)', parseMode, 'diff_base')
    .option('--normalize', 'scale the target to the base total first (pprof -normalize)')
    .option('--sample-index <name>', "sample type to compare (name or index); default: the profile's default")
    .option('--granularity <g>', 'functions | files | lines', 'functions')
    .option('--exe <binary>', 'heap dumps: the program binary (ELF), to name globals')
    .option('--top <n>', 'rows to print (text output; heap dumps: also JSON rows per table)', parseCount('--top'))
    .option('--json', 'one JSON object: the `top --json` shape, rows with deltas and both sides')
    .action(async (base: string, target: string, opts: DiffOptions) => {
      try {
        await runDiff(io, base, target, opts);
      } catch (e) {
        fail(io, e);
      }
    });
}
