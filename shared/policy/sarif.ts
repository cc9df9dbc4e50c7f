/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one rule per check with help, one
 * result per finding and per violation with a level, a message and the file and line of the
 * allocation site or goroutine function (from the profile), URIs relative to the source root when
 * the caller gives one. Allowed findings carry a suppression with the allowance's reason.
 */
import { evidenceSummary } from './text';
import { growthText } from './evaluate';
import { RULES, type RuleId } from './rules';
import type { BudgetName, CheckReport, SourceLocation, Status } from './types';

export interface SarifOptions {
  toolVersion: string;
  /** Absolute source root (forward slashes): files under it become relative to %SRCROOT%. */
  sourceRoot?: string;
  /** The main module's path (go.mod), to map -trimpath file names ("example.com/app/main.go"). */
  modulePath?: string;
  /** The policy file, relative to the source root when under it, with the line of each budget. */
  policyFile?: { path: string; budgetLines: Partial<Record<BudgetName, number>> };
}

/** SARIF's JSON, loosely typed (validated against the 2.1.0 schema in the tests). */
export type SarifLog = { $schema: string; version: '2.1.0'; runs: Array<Record<string, unknown>> };

const SRCROOT = '%SRCROOT%';

function encodePath(p: string): string {
  return p.split('/').map((s) => encodeURIComponent(s)).join('/');
}

/** An artifact location: relative to %SRCROOT% when the file is under the source root. */
export function artifactLocation(file: string, o: Pick<SarifOptions, 'sourceRoot' | 'modulePath'>): { uri: string; uriBaseId?: string } {
  const f = file.replace(/\\/g, '/');
  const root = o.sourceRoot?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (root !== undefined && f.startsWith(`${root}/`)) return { uri: encodePath(f.slice(root.length + 1)), uriBaseId: SRCROOT };
  if (root !== undefined && o.modulePath && f.startsWith(`${o.modulePath}/`)) return { uri: encodePath(f.slice(o.modulePath.length + 1)), uriBaseId: SRCROOT };
  if (f.startsWith('/')) return { uri: `file://${encodePath(f)}` };
  if (/^[A-Za-z]:\//.test(f)) return { uri: `file:///${encodePath(f)}` };
  return root !== undefined ? { uri: encodePath(f), uriBaseId: SRCROOT } : { uri: encodePath(f) };
}

/** A short stable hash (FNV-1a, 64-bit) for partialFingerprints. */
export function fingerprint(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function level(status: Status, severity: 'low' | 'medium' | 'high'): 'error' | 'warning' | 'note' {
  if (status === 'violation') return 'error';
  return severity === 'low' ? 'note' : 'warning';
}

/**
 * SARIF's kind of a finding's subject: a Go global ("global main.cache"), a heap object ("object
 * 0x…", the context a context-not-cancelled finding is about, the map of a sparse-map finding or
 * the DB of a sql-conn-leak finding held in a struct), a Go type (objects of one type several roots
 * share), another GC root or the gctrace log a live-heap finding is about, else a function.
 */
function logicalKind(subject: string, kind: string): string {
  if (subject.startsWith('global ')) return 'variable';
  if (subject.startsWith('objects of type ')) return 'type';
  if (subject.startsWith('object ') || kind === 'context-not-cancelled' || kind === 'sparse-map' || kind === 'sql-conn-leak') return 'object';
  if (kind === 'live-heap-growth' || subject.startsWith('goroutine ') || subject.startsWith('finalizer ') || subject === 'Go runtime') return 'resource';
  return 'function';
}

export function toSarif(r: CheckReport, o: SarifOptions): SarifLog {
  const rules = RULES.map((x) => ({
    id: x.id,
    name: x.name,
    shortDescription: { text: x.short },
    fullDescription: { text: x.help },
    help: { text: x.help, markdown: `**${x.short}.** ${x.help}` },
    defaultConfiguration: { level: x.id === 'leaked-goroutines' ? 'error' : 'warning' },
    properties: { tags: ['memory', 'go', 'heapscope'] },
  }));
  const ruleIndex = (id: RuleId): number => RULES.findIndex((x) => x.id === id);
  const loc = (l: SourceLocation | undefined, logical: string, kind: string): Array<Record<string, unknown>> => {
    const logicalLocations = [{ fullyQualifiedName: logical, kind: logicalKind(logical, kind) }];
    // GitHub code scanning shows results at a file: without a source line (a gctrace finding, a
    // global with no allocation stack) point at the policy file, where it can be allowed.
    if (!l && o.policyFile) return [{ physicalLocation: { artifactLocation: artifactLocation(o.policyFile.path, o), region: { startLine: 1 } }, logicalLocations }];
    if (!l) return [{ logicalLocations }];
    return [{ physicalLocation: { artifactLocation: artifactLocation(l.file, o), region: { startLine: l.line } }, logicalLocations }];
  };
  const suppression = (s: { allowedBy?: { index: number; reason: string; until?: string } }): Record<string, unknown> =>
    s.allowedBy ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `allow[${s.allowedBy.index}]${s.allowedBy.until ? ` until ${s.allowedBy.until}` : ''}: ${s.allowedBy.reason}` }] } : {};
  const expiredText = (e: Array<{ index: number; until?: string }> | undefined): string =>
    e && e.length ? ` The allowance that covered it (allow[${e.map((x) => x.index).join('], allow[')}]) expired on ${e.map((x) => x.until).join(', ')}.` : '';
  const results: Array<Record<string, unknown>> = [];
  for (const c of r.findings) {
    const f = c.finding;
    results.push({
      ruleId: f.kind,
      ruleIndex: ruleIndex(f.kind),
      level: level(c.status, f.severity),
      message: { text: `${f.title}. ${evidenceSummary(f)}${expiredText(c.expired)}`.trim() },
      locations: loc(c.location, f.subject, f.kind),
      partialFingerprints: { 'heapscopeSubject/v1': fingerprint(`${f.kind}\u0000${f.subject}`) },
      properties: { severity: f.severity, status: c.status, subject: f.subject, sources: f.sources, evidence: f.evidence },
      ...suppression(c),
    });
  }
  for (const g of r.growth) {
    results.push({
      ruleId: 'baseline-growth',
      ruleIndex: ruleIndex('baseline-growth'),
      level: g.status === 'violation' ? 'error' : 'warning',
      message: { text: `${growthText(g.item)}.${expiredText(g.expired)} Tolerance: ${r.baseline?.tolerance ?? ''}.` },
      locations: loc(g.location, g.item.subject, 'baseline-growth'),
      partialFingerprints: { 'heapscopeSubject/v1': fingerprint(`baseline-growth\u0000${g.item.family}\u0000${g.item.subject}`) },
      properties: { status: g.status, family: g.item.family, baseline: g.item.baseline, current: g.item.current, band: g.item.band, ...(g.item.stack ? { stack: g.item.stack } : {}) },
      ...suppression(g),
    });
  }
  for (const b of r.budgets) {
    if (b.status !== 'violation') continue;
    const line = o.policyFile?.budgetLines[b.budget];
    const locations = o.policyFile
      ? [{ physicalLocation: { artifactLocation: artifactLocation(o.policyFile.path, o), ...(line ? { region: { startLine: line } } : {}) } }]
      : [];
    results.push({ ruleId: b.budget, ruleIndex: ruleIndex(b.budget), level: 'error', message: { text: b.message }, ...(locations.length ? { locations } : {}), properties: { limit: b.limit, value: b.value, input: b.input ?? null } });
  }
  const run: Record<string, unknown> = {
    tool: { driver: { name: 'Heapscope', semanticVersion: o.toolVersion, version: o.toolVersion, rules } },
    invocations: [
      {
        executionSuccessful: true,
        toolConfigurationNotifications: r.allowances.filter((a) => a.expired).map((a) => ({ level: 'warning', message: { text: `allow[${a.index}] expired on ${a.until} and no longer applies: ${a.reason}` } })),
        toolExecutionNotifications: r.notes.map((n) => ({ level: 'note', message: { text: n } })),
      },
    ],
    results,
    properties: { passed: r.passed, violations: r.violations, failOn: r.policy.failOn, policy: r.policy.source, today: r.today, tolerance: r.baseline?.tolerance ?? null },
  };
  if (o.sourceRoot !== undefined) run.originalUriBaseIds = { [SRCROOT]: { uri: `file://${encodePath(o.sourceRoot.replace(/\\/g, '/').replace(/\/*$/, '/'))}` } };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}
