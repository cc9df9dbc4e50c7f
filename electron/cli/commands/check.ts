/**
 * `heapscope check FILES... [--exe BINARY] [--config heapscope.json] [--baseline FILES...]
 *  [--source-root DIR] [--format text|json|sarif|junit] [-o FILE] [--today YYYY-MM-DD]`
 *
 * The CI gate: findings (with the policy's threshold overrides), allowances with reasons and expiry,
 * budgets, and a comparison with a baseline set inside a stated tolerance band. Exit 0 when the
 * policy holds, 3 when it fails, 1 on errors (a bad policy file names its line and field). Without
 * --config the default policy fails on high findings. With -o, the chosen format goes to the file
 * and the text summary to stdout.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HeapscopeError } from '../../../shared/errors';
import { computeFindings } from '../../../shared/findings';
import { withThresholds } from '../../../shared/findings/thresholds';
import {
  buildLocationIndex,
  compareWithBaseline,
  defaultPolicy,
  evaluatePolicy,
  formatCheckText,
  isCalendarDate,
  isoDay,
  measureInputs,
  toJUnit,
  toSarif,
  type BudgetName,
} from '../../../shared/policy';
import { VERSION } from '../../services/version';
import type { CliIO } from '../io';
import { expandInputs } from '../inputs';
import { closeInputs, findingsInputs, inputLabel, loadInputs, type LoadedInput } from '../load';
import { parsePolicyText } from './check-policy-file';
import { fail } from './retain';

/** Exit code when the policy fails (the same as findings --fail-on). */
export const EXIT_POLICY_FAILED = 3;

export type CheckFormat = 'text' | 'json' | 'sarif' | 'junit';
const FORMATS: readonly CheckFormat[] = ['text', 'json', 'sarif', 'junit'];

export interface CheckOptions {
  exe?: string;
  config?: string;
  baseline?: string[];
  sourceRoot?: string;
  format?: CheckFormat;
  output?: string;
  today?: string;
}

function parseFormat(v: string): CheckFormat {
  if (!(FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError('must be text, json, sarif or junit.');
  return v as CheckFormat;
}

function parseDay(v: string): string {
  if (!isCalendarDate(v)) throw new InvalidArgumentError('must be a date YYYY-MM-DD.');
  return v;
}

/** The module path in DIR/go.mod, to map -trimpath file names; undefined when there is none. */
function modulePath(dir: string): string | undefined {
  try {
    const m = /^module\s+("?)([^\s"]+)\1\s*$/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'));
    return m?.[2];
  } catch {
    return undefined;
  }
}

function writeAtomic(path: string, data: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    throw new HeapscopeError({ code: 'IO', message: `cannot write: ${e instanceof Error ? e.message : String(e)}`, file: path });
  }
}

export async function runCheck(io: CliIO, files: string[], opts: CheckOptions): Promise<number> {
  const { policy, budgetLines } = opts.config
    ? parsePolicyText(opts.config, new TextDecoder('utf-8', { fatal: false }).decode(await io.readFile(opts.config)))
    : { policy: defaultPolicy(), budgetLines: {} as Partial<Record<BudgetName, number>> };
  const loaded: LoadedInput[] = [];
  const base: LoadedInput[] = [];
  try {
    for (const f of expandInputs(files)) loaded.push(...(await loadInputs(io, f, opts.exe ? { exe: opts.exe } : {})));
    for (const f of expandInputs(opts.baseline ?? [])) base.push(...(await loadInputs(io, f)));
    const inputs = findingsInputs(io, loaded);
    const baseInputs = findingsInputs(io, base);
    const found = withThresholds(policy.thresholds, () => computeFindings(inputs));
    const notes = [...found.notes];
    for (const x of [...loaded, ...base]) {
      const w = x.kind === 'profile' ? x.imported.warnings : x.kind === 'heapdump' ? x.warnings : x.trace.warnings;
      for (const m of w) notes.push(`${inputLabel(x)}: ${m}`);
    }
    const report = evaluatePolicy({
      policy,
      today: opts.today ?? isoDay(new Date()),
      inputs: loaded.map(inputLabel),
      baselineInputs: base.map(inputLabel),
      findings: found.findings,
      notes,
      measures: measureInputs(inputs),
      baseline: baseInputs.length ? compareWithBaseline(baseInputs, inputs, policy.tolerance) : null,
      locations: buildLocationIndex([...inputs, ...baseInputs]),
    });
    const format = opts.format ?? 'text';
    const root = opts.sourceRoot !== undefined ? resolve(opts.sourceRoot) : undefined;
    let out: string;
    if (format === 'json') out = `${JSON.stringify(report, null, 2)}\n`;
    else if (format === 'junit') out = toJUnit(report);
    else if (format === 'sarif') {
      const sarifOpts: Parameters<typeof toSarif>[1] = { toolVersion: VERSION };
      if (root !== undefined) {
        sarifOpts.sourceRoot = root;
        const mod = modulePath(root);
        if (mod) sarifOpts.modulePath = mod;
      }
      if (opts.config) sarifOpts.policyFile = { path: resolve(opts.config), budgetLines };
      out = `${JSON.stringify(toSarif(report, sarifOpts), null, 2)}\n`;
    } else out = formatCheckText(report);
    if (opts.output) {
      writeAtomic(opts.output, out);
      io.stdout(format === 'text' ? `wrote ${opts.output}\n` : `${formatCheckText(report)}wrote ${opts.output} (${format})\n`);
    } else io.stdout(out);
    if (!report.passed) {
      io.stderr(`heapscope: the policy fails: ${report.violations.length} violation${report.violations.length === 1 ? '' : 's'} (${policy.source})\n`);
      return EXIT_POLICY_FAILED;
    }
    return 0;
  } finally {
    closeInputs(loaded);
    closeInputs(base);
  }
}

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('the CI gate: findings against a policy (allowances with reasons and expiry, budgets), a baseline with a tolerance band; SARIF, JUnit, text or JSON; exit 3 when the policy fails')
    .argument('<files...>', 'pprof profiles (any format), goroutine dumps, heap dumps, GODEBUG=gctrace=1 logs; a session folder of `capture --every` stands for its captures')
    .option('--exe <binary>', 'the program binary (ELF), to name the globals of heap dumps')
    .option('--config <file>', 'the policy file (JSON; schema: shared/policy/heapscope-policy.schema.json); default: fail on high findings')
    .option('--baseline <files...>', 'a baseline set to compare with (e.g. the main branch\'s profiles from its last run)')
    .option('--source-root <dir>', 'SARIF file URIs relative to this folder (the repository root)')
    .option('--format <format>', 'text | json | sarif | junit', parseFormat, 'text')
    .option('-o, --output <file>', 'write the output to FILE (stdout then gets the text summary)')
    .option('--today <date>', 'the date allowances expire against (YYYY-MM-DD, UTC); default today', parseDay)
    .action(async (files: string[], opts: CheckOptions) => {
      try {
        const code = await runCheck(io, files, opts);
        if (code !== 0) process.exitCode = code;
      } catch (e) {
        fail(io, e);
      }
    });
}
