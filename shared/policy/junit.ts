/**
 * JUnit XML (the format CI systems show as test results): one suite per rule, one test case per rule
 * and subject, a <failure> for each violation, <skipped> for allowed ones (with the reason). Rules
 * with nothing to report get one passing case, so every check shows. Profile strings are untrusted:
 * everything is escaped, and characters XML 1.0 cannot carry are dropped.
 */
import { growthText } from './evaluate';
import { RULES, type RuleId } from './rules';
import { evidenceSummary } from './text';
import type { CheckReport } from './types';

/** XML text/attribute escaping; drops characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  name: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  out?: string;
}

export function toJUnit(r: CheckReport): string {
  const suites = new Map<RuleId, Case[]>();
  const add = (id: RuleId, c: Case): void => {
    const l = suites.get(id) ?? [];
    l.push(c);
    suites.set(id, l);
  };
  for (const c of r.findings) {
    const f = c.finding;
    const where = c.location ? `\nat ${c.location.file}:${c.location.line}` : '';
    const name = f.evidence.program !== undefined ? `${f.subject} (${String(f.evidence.program)})` : f.subject;
    const body = `${f.title}\n${evidenceSummary(f)}${where}\nsources: ${f.sources.join(', ')}`;
    const expired = (c.expired ?? []).map((e) => `\nallow[${e.index}] expired on ${e.until}: ${e.reason}`).join('');
    if (c.status === 'violation') add(f.kind, { name, failure: { message: f.title, type: f.severity, body: body + expired } });
    else if (c.status === 'allowed') add(f.kind, { name, skipped: `allowed by allow[${c.allowedBy!.index}]${c.allowedBy!.until ? ` until ${c.allowedBy!.until}` : ''}: ${c.allowedBy!.reason}`, out: body });
    else add(f.kind, { name, out: `${f.severity} (below fail-on ${r.policy.failOn}): ${body}` });
  }
  for (const g of r.growth) {
    const name = `${g.item.family}: ${g.item.subject}`;
    const text = growthText(g.item);
    if (g.status === 'violation') add('baseline-growth', { name, failure: { message: text, type: 'baseline-growth', body: `${text}\ntolerance: ${r.baseline?.tolerance ?? ''}` } });
    else add('baseline-growth', { name, skipped: `allowed by allow[${g.allowedBy!.index}]: ${g.allowedBy!.reason}`, out: text });
  }
  for (const b of r.budgets) {
    if (b.status === 'violation') add(b.budget, { name: b.budget, failure: { message: b.message, type: 'budget', body: b.message } });
    else if (b.status === 'ok') add(b.budget, { name: b.budget, out: b.message });
    else add(b.budget, { name: b.budget, skipped: b.message });
  }
  if (r.baseline && !suites.has('baseline-growth')) add('baseline-growth', { name: 'within tolerance', out: `tolerance: ${r.baseline.tolerance}` });
  const budgetIds = new Set<RuleId>(['maxHeapInuse', 'maxGoroutines', 'maxGrowthPercent']);
  for (const rule of RULES) if (!suites.has(rule.id) && !budgetIds.has(rule.id) && rule.id !== 'baseline-growth') add(rule.id, { name: 'no findings', out: rule.short });
  let totalTests = 0;
  let totalFail = 0;
  let totalSkip = 0;
  let body = '';
  for (const rule of RULES) {
    const cases = suites.get(rule.id);
    if (!cases) continue;
    const fails = cases.filter((c) => c.failure).length;
    const skips = cases.filter((c) => c.skipped !== undefined).length;
    totalTests += cases.length;
    totalFail += fails;
    totalSkip += skips;
    const cls = `heapscope.${rule.id}`;
    body += `  <testsuite name="${xmlEscape(cls)}" tests="${cases.length}" failures="${fails}" errors="0" skipped="${skips}" time="0">\n`;
    for (const c of cases) {
      body += `    <testcase classname="${xmlEscape(cls)}" name="${xmlEscape(c.name)}" time="0">\n`;
      if (c.failure) body += `      <failure message="${xmlEscape(c.failure.message)}" type="${xmlEscape(c.failure.type)}">${xmlEscape(c.failure.body)}</failure>\n`;
      if (c.skipped !== undefined) body += `      <skipped message="${xmlEscape(c.skipped)}"/>\n`;
      if (c.out) body += `      <system-out>${xmlEscape(c.out)}</system-out>\n`;
      body += '    </testcase>\n';
    }
    body += '  </testsuite>\n';
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="heapscope check" tests="${totalTests}" failures="${totalFail}" errors="0" skipped="${totalSkip}" time="0">\n${body}</testsuites>\n`;
}
