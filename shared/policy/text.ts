/**
 * The text output of `heapscope check`: the verdict first, then what failed, what is allowed (with
 * reasons), expired allowances, budgets, the baseline with its tolerance, and the rest.
 */
import { fmtBytes, type Finding } from '../findings';
import { growthText } from './evaluate';
import type { CheckReport, SourceLocation } from './types';

const SUMMARY_KEYS = ['count', 'growthBytes', 'retainedBytes', 'wastedBytes', 'shareOfReachable', 'state', 'longestWaitMinutes', 'snapshots', 'files', 'tickers'];

/** A few of the numbers that prove a finding, in words a reviewer reads. */
export function evidenceSummary(f: Finding): string {
  const parts: string[] = [];
  for (const k of SUMMARY_KEYS) {
    const v = f.evidence[k];
    if (v === undefined || Array.isArray(v)) continue;
    if (typeof v === 'number' && /Bytes$/.test(k)) parts.push(`${k} ${fmtBytes(v)}`);
    else if (typeof v === 'number' && /^share/.test(k)) parts.push(`${k} ${(v * 100).toFixed(1)}%`);
    else parts.push(`${k} ${String(v)}`);
  }
  return parts.length ? `${parts.join(', ')}.` : '';
}

function at(l: SourceLocation | undefined): string {
  return l ? ` [${l.file}:${l.line}]` : '';
}

export function formatCheckText(r: CheckReport): string {
  const lines: string[] = [];
  const verdict = r.passed ? 'PASSED' : 'FAILED';
  lines.push(`heapscope check: ${verdict} (${r.policy.source}; fails on ${r.policy.failOn} findings${r.violations.length ? `; ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}` : ''})`);
  lines.push(`inputs: ${r.inputs.join(', ')}`);
  if (r.baselineInputs.length) lines.push(`baseline: ${r.baselineInputs.join(', ')}`);
  const th = Object.entries(r.policy.thresholds);
  if (th.length) lines.push(`thresholds overridden: ${th.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const fail = r.findings.filter((c) => c.status === 'violation');
  const growth = r.growth.filter((g) => g.status === 'violation');
  if (r.violations.length) {
    lines.push('', `Violations (${r.violations.length}):`);
    for (const c of fail) {
      lines.push(`  ${c.finding.severity.toUpperCase().padEnd(6)} ${c.finding.kind}: ${c.finding.title}${at(c.location)}`);
      const ev = evidenceSummary(c.finding);
      if (ev) lines.push(`         ${ev}`);
      for (const e of c.expired ?? []) lines.push(`         allow[${e.index}] would allow it but expired on ${e.until}: ${e.reason}`);
    }
    for (const g of growth) {
      lines.push(`  GROWTH baseline-growth: ${growthText(g.item)}${at(g.location)}`);
      for (const e of g.expired ?? []) lines.push(`         allow[${e.index}] would allow it but expired on ${e.until}: ${e.reason}`);
    }
    for (const b of r.budgets) if (b.status === 'violation') lines.push(`  BUDGET ${b.message}`);
  }
  const allowed = [...r.findings.filter((c) => c.status === 'allowed').map((c) => ({ what: `${c.finding.severity} ${c.finding.kind}: ${c.finding.subject}`, by: c.allowedBy! })), ...r.growth.filter((g) => g.status === 'allowed').map((g) => ({ what: `baseline-growth: ${g.item.subject}`, by: g.allowedBy! }))];
  if (allowed.length) {
    lines.push('', `Allowed (${allowed.length}):`);
    for (const a of allowed) lines.push(`  ${a.what}: allow[${a.by.index}]${a.by.until ? ` until ${a.by.until}` : ''}: ${a.by.reason}`);
  }
  const expired = r.allowances.filter((a) => a.expired);
  if (expired.length) {
    lines.push('', `Expired allowances (${expired.length}), no longer applied:`);
    for (const a of expired) lines.push(`  allow[${a.index}] (${[a.kind, a.subject ? `/${a.subject}/` : undefined].filter(Boolean).join(' ')}) expired on ${a.until}${a.matched ? `, would match ${a.matched}` : ''}: ${a.reason}`);
  }
  const ok = r.findings.filter((c) => c.status === 'ok');
  if (ok.length) {
    lines.push('', `Below ${r.policy.failOn} (${ok.length}, reported, not failing):`);
    for (const c of ok) lines.push(`  ${c.finding.severity.padEnd(6)} ${c.finding.kind}: ${c.finding.title}${at(c.location)}`);
  }
  if (r.budgets.length) {
    lines.push('', 'Budgets:');
    for (const b of r.budgets) lines.push(`  ${b.status === 'violation' ? 'FAIL' : b.status === 'ok' ? 'ok  ' : '--  '} ${b.message}`);
  }
  if (r.baseline) {
    lines.push('', `Baseline: tolerance: ${r.baseline.tolerance}.`);
    for (const f of r.baseline.families) lines.push(`  ${f.family}: ${f.current.length} snapshot${f.current.length === 1 ? '' : 's'} against ${f.baseline.length} (${f.pairing === 'pairwise' ? 'pairwise' : "against the baseline's largest"})`);
    if (r.baseline.growing.length === 0) lines.push('  nothing grew beyond the band in every snapshot');
    if (r.baseline.noisy.length) {
      lines.push(`  ignored as noise (beyond the band in some snapshots only): ${r.baseline.noisy.length}`);
      for (const n of r.baseline.noisy.slice(0, 5)) lines.push(`    ${n.family}: ${n.subject} in ${n.beyond} of ${n.current.length} snapshots`);
    }
  }
  if (r.notes.length) {
    lines.push('');
    for (const n of r.notes) lines.push(`note: ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
