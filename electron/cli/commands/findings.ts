/**
 * `heapscope findings FILES... [--exe BINARY] [--json] [--fail-on low|medium|high]`
 *
 * Reads any mix of pprof profiles, goroutine dumps, heap dumps and GODEBUG=gctrace=1 logs, works out
 * the series (same kind, by capture time, else in the given order) and prints ranked findings.
 * JSON: {"findings":[{"severity","kind","title","subject","evidence","link","size","sources"}],"notes":[...]}
 * sorted by severity then size. With --fail-on, exits 3 when a finding at or above that severity
 * exists (a CI gate); 1 on errors.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { computeFindings, severityRank, type Finding, type FindingLink, type Severity } from '../../../shared/findings';
import type { CliIO } from '../io';
import { expandInputs } from '../inputs';
import { closeInputs, describeInput, findingsInputs, inputLabel, loadInputs, type LoadedInput } from '../load';
import { fail } from './retain';

interface FindingsOptions {
  exe?: string;
  json?: boolean;
  failOn?: Severity;
}

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

/** Exit code when --fail-on trips. */
export const EXIT_FINDINGS = 3;

function parseSeverity(v: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new InvalidArgumentError('must be low, medium or high.');
  return v as Severity;
}

function linkText(l: FindingLink): string {
  switch (l.view) {
    case 'diff':
      return `diff ${l.base} → ${l.target}${l.sampleIndex ? ` (${l.sampleIndex})` : ''}${l.function ? `, function ${l.function}` : ''}`;
    case 'series':
      return `series ${l.files.join(', ')}${l.function ? `, function ${l.function}` : ''}`;
    case 'goroutines':
      return `goroutines ${l.base ? `${l.base} → ` : ''}${l.file}${l.function ? `, ${l.function}` : ''}${l.state ? ` [${l.state}]` : ''}`;
    case 'heap':
      return `heap ${l.dump}${l.root ? `, root ${l.root}` : ''}${l.object ? `, object ${l.object}` : ''}${l.allocSite ? `, allocated at ${l.allocSite}` : ''}`;
    case 'heapdiff':
      return `heap diff ${l.base} → ${l.target}${l.root ? `, root ${l.root}` : ''}${l.allocSite ? `, allocated in ${l.allocSite}` : ''}`;
    case 'gctrace':
      return `gctrace ${l.file}`;
  }
}

/** Items of a list shown in text (every one is in --json). */
const TEXT_LIST_MAX = 20;

function listText(v: readonly unknown[]): string {
  if (v.length <= TEXT_LIST_MAX) return `[${v.join(', ')}]`;
  return `[${v.slice(0, TEXT_LIST_MAX).join(', ')}, … ${v.length - TEXT_LIST_MAX} more (--json lists all)]`;
}

function evidenceText(e: Finding['evidence'], width = 100): string[] {
  const parts = Object.entries(e).map(([k, v]) => `${k}=${Array.isArray(v) ? listText(v) : String(v)}`);
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && cur.length + 2 + p.length > width) {
      lines.push(cur);
      cur = p;
    } else cur = cur ? `${cur}  ${p}` : p;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function formatFindingsText(findings: Finding[], notes: string[], inputs: string[]): string {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  let out = '';
  for (const i of inputs) out += `read ${i}\n`;
  for (const n of notes) out += `note: ${n}\n`;
  out += `\n${findings.length === 0 ? 'No findings.' : `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('high')} high, ${count('medium')} medium, ${count('low')} low`}\n`;
  findings.forEach((f, i) => {
    out += `\n${String(i + 1).padStart(2)}. ${f.severity.toUpperCase().padEnd(6)} ${f.title}\n`;
    out += `    ${f.kind}: ${f.subject}\n`;
    for (const l of evidenceText(f.evidence)) out += `    ${l}\n`;
    out += `    see: ${linkText(f.link)}\n`;
  });
  return out;
}

export async function runFindings(io: CliIO, paths: string[], opts: FindingsOptions): Promise<number> {
  const loaded: LoadedInput[] = [];
  try {
    const files = expandInputs(paths);
    for (const f of files) loaded.push(...(await loadInputs(io, f, opts.exe ? { exe: opts.exe } : {})));
    const inputs = findingsInputs(io, loaded);
    const report = computeFindings(inputs);
    const warnings: string[] = [];
    for (const x of loaded) {
      const w = x.kind === 'profile' ? x.imported.warnings : x.kind === 'heapdump' ? x.warnings : x.trace.warnings;
      for (const m of w) warnings.push(`${inputLabel(x)}: ${m}`);
    }
    if (opts.json) io.stdout(JSON.stringify({ findings: report.findings, notes: report.notes, warnings }, null, 2) + '\n');
    else {
      let text = formatFindingsText(report.findings, report.notes, loaded.map(describeInput));
      if (warnings.length) text = warnings.map((w) => `warning: ${w}\n`).join('') + text;
      io.stdout(text);
    }
    if (opts.failOn) {
      const min = severityRank(opts.failOn);
      const tripped = report.findings.filter((f) => severityRank(f.severity) >= min).length;
      if (tripped > 0) {
        io.stderr(`heapscope: ${tripped} finding${tripped === 1 ? '' : 's'} at or above ${opts.failOn} (--fail-on ${opts.failOn})\n`);
        return EXIT_FINDINGS;
      }
    }
    return 0;
  } finally {
    closeInputs(loaded);
  }
}

export function registerFindings(program: Command, io: CliIO): void {
  program
    .command('findings')
    .description('ranked leak findings from profiles, goroutine dumps, heap dumps and gctrace logs (series are worked out from capture times)')
    .argument('<files...>', 'pprof profiles (any format), goroutine dumps, heap dumps, GODEBUG=gctrace=1 logs; a session folder of `capture --every` stands for its captures')
    .option('--exe <binary>', 'the program binary (ELF), to name the globals of heap dumps')
    .option('--json', 'machine-readable output: {"findings":[...],"notes":[...]}')
    .option('--fail-on <severity>', `exit ${EXIT_FINDINGS} when a finding at or above this severity exists (low | medium | high)`, parseSeverity)
    .action(async (files: string[], opts: FindingsOptions) => {
      try {
        const code = await runFindings(io, files, opts);
        if (code !== 0) process.exitCode = code;
      } catch (e) {
        fail(io, e);
      }
    });
}
