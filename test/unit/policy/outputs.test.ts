/**
 * The CI outputs: SARIF 2.1.0 validated against the official 2.1.0 JSON schema (as shipped by
 * @microsoft/jest-sarif) with ajv (acceptance 2); JUnit XML parsed by an XML parser (acceptance 3);
 * the shipped policy schema in step with shared/findings/thresholds.ts and the finding kinds.
 */
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THRESHOLD_DEFAULTS } from '../../../shared/findings/thresholds';
import { artifactLocation, RULES, toJUnit, toSarif, xmlEscape, type CheckReport } from '../../../shared/policy';
import { ROOT } from '../../helpers/paths';
import { allowLeakyHighs, check, LEAKY, LEAKY_EXE, LEAKY_INPUTS, LEAKY_SRC_ROOT, policyFile } from './helpers';

const require_ = createRequire(import.meta.url);
const SARIF_SCHEMA = require_('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
const POLICY_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'shared', 'policy', 'heapscope-policy.schema.json'), 'utf8')) as {
  properties: { thresholds: { properties: Record<string, { default: number }> }; allow: { items: { properties: { kind: { enum: string[] } } } } };
};

function sarifValidator(): ReturnType<AjvDraft04['compile']> {
  // The schema is draft-04; one of its patterns is not valid in unicode mode.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; help: { text: string } }> } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }> }>;
      suppressions?: Array<{ kind: string; justification: string }>;
    }>;
    invocations: Array<{ toolConfigurationNotifications: Array<{ message: { text: string } }> }>;
  }>;
}

describe('SARIF 2.1.0', () => {
  const validate = sarifValidator();

  it('the schema validator rejects what is not SARIF (it can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [] })).toBe(true);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
  });

  it('check --format sarif: valid, one rule per kind with help, results with level, message, file and line', async () => {
    const allow = allowLeakyHighs('2099-12-31');
    allow[0] = { ...allow[0]!, until: '2020-01-31' };
    const cfg = policyFile({ failOn: 'high', allow, budgets: { maxGoroutines: 5 }, baseline: { minBytes: '64KiB' } });
    // heap-2 and heap-3 against heap-1 as the baseline
    const r = await check(LEAKY_INPUTS.slice(1), { exe: LEAKY_EXE, config: cfg, format: 'sarif', sourceRoot: LEAKY_SRC_ROOT, baseline: [join(LEAKY, 'heap-1.pb.gz')] });
    expect(r.code).toBe(3);
    const sarif = JSON.parse(r.out) as Sarif;
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    for (const rule of run.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(40);
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`file://${LEAKY_SRC_ROOT}/`);
    // the expired allowance: the global map is an error again, and the run says it expired
    const map = run.results.find((x) => x.ruleId === 'global-map')!;
    expect(map.level).toBe('error');
    expect(map.suppressions).toBeUndefined();
    expect(map.message.text).toContain('expired on 2020-01-31');
    expect(run.invocations[0]!.toolConfigurationNotifications.map((n) => n.message.text)).toEqual(['allow[0] expired on 2020-01-31 and no longer applies: the demo cache']);
    // allowed findings are suppressed with the reason
    const pinned = run.results.find((x) => x.ruleId === 'subslice-pinning')!;
    expect(pinned.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'allow[1] until 2099-12-31: pinned on purpose for the demo' }]);
    // logical locations say what the subject is: a Go global is a variable, a function a function
    expect(map.locations![0]!.logicalLocations).toEqual([{ fullyQualifiedName: 'global main.sessionCache', kind: 'variable' }]);
    expect(pinned.locations![0]!.logicalLocations).toEqual([{ fullyQualifiedName: 'main.loadBlob', kind: 'function' }]);
    // physical locations: relative to the source root, the allocation line from the profile
    const src = readFileSync(join(LEAKY_SRC_ROOT, 'leakyapp', 'main.go'), 'utf8').split('\n');
    const grow = run.results.find((x) => x.ruleId === 'growing-alloc-site' && x.message.text.startsWith('main.loadBlob'))!;
    const pl = grow.locations![0]!.physicalLocation!;
    expect(pl.artifactLocation).toEqual({ uri: 'leakyapp/main.go', uriBaseId: '%SRCROOT%' });
    expect(src[pl.region!.startLine - 1]).toMatch(/make\(\[\]byte/);
    const blocked = run.results.find((x) => x.ruleId === 'goroutines-blocked')!;
    expect(blocked.level).toBe('warning'); // medium, below fail-on high
    expect(blocked.locations![0]!.logicalLocations![0]!.kind).toBe('function');
    const bl = blocked.locations![0]!.physicalLocation!;
    expect(src[bl.region!.startLine - 1]).toMatch(/<-|range/); // where the goroutines wait
    // budgets point at the policy file's line
    const budget = run.results.find((x) => x.ruleId === 'maxGoroutines')!;
    expect(budget.level).toBe('error');
    expect(budget.locations![0]!.physicalLocation!.artifactLocation.uri).toBe(`file://${cfg}`);
    expect(budget.locations![0]!.physicalLocation!.region!.startLine).toBe(readFileSync(cfg, 'utf8').split('\n').findIndex((l) => l.includes('"maxGoroutines"')) + 1);
    // the baseline: a growth result states the tolerance
    const growth = run.results.filter((x) => x.ruleId === 'baseline-growth');
    expect(growth.length).toBeGreaterThan(0);
    for (const g of growth) expect(g.message.text).toContain('Tolerance: an allocation site or goroutine stack fails only when it exceeds the baseline by more than max(10% of its baseline value, 64 KiB)');
  });

  it('artifact URIs: relative under the source root, go.mod module paths mapped, file URIs elsewhere, escaped', () => {
    expect(artifactLocation('/src/app/pkg/a b.go', { sourceRoot: '/src/app' })).toEqual({ uri: 'pkg/a%20b.go', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('example.com/app/pkg/x.go', { sourceRoot: '/src/app', modulePath: 'example.com/app' })).toEqual({ uri: 'pkg/x.go', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/usr/local/go/src/net/http/transport.go', { sourceRoot: '/src/app' })).toEqual({ uri: 'file:///usr/local/go/src/net/http/transport.go' });
    expect(artifactLocation('/src/app2/x.go', { sourceRoot: '/src/app' })).toEqual({ uri: 'file:///src/app2/x.go' });
    expect(artifactLocation('/src/app/x.go', {})).toEqual({ uri: 'file:///src/app/x.go' });
  });
});

interface JUnitCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  skipped?: { '@_message': string };
}
interface JUnitSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testcase: JUnitCase[];
}

function parseJUnit(xml: string): { tests: number; failures: number; skipped: number; suites: JUnitSuite[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
    testsuites: { '@_tests': string; '@_failures': string; '@_skipped': string; testsuite: JUnitSuite[] };
  };
  const t = doc.testsuites;
  return { tests: Number(t['@_tests']), failures: Number(t['@_failures']), skipped: Number(t['@_skipped']), suites: t.testsuite };
}

describe('JUnit XML', () => {
  it('check --format junit: one case per rule and subject, failures for violations, skipped for allowed', async () => {
    const allow = allowLeakyHighs('2099-12-31').filter((a) => a.kind !== 'global-map');
    const r = await check(LEAKY_INPUTS, { exe: LEAKY_EXE, config: policyFile({ allow }), format: 'junit', output: undefined });
    expect(r.code).toBe(3);
    const j = parseJUnit(r.out);
    const cases = j.suites.flatMap((s) => s.testcase);
    expect(j.tests).toBe(cases.length);
    expect(j.failures).toBe(cases.filter((c) => c.failure).length);
    expect(j.skipped).toBe(cases.filter((c) => c.skipped).length);
    for (const s of j.suites) {
      expect(Number(s['@_tests'])).toBe(s.testcase.length);
      expect(Number(s['@_failures'])).toBe(s.testcase.filter((c) => c.failure).length);
      for (const c of s.testcase) expect(c['@_classname']).toBe(s['@_name']);
    }
    const failed = cases.filter((c) => c.failure);
    expect(failed.map((c) => `${c['@_classname']} ${c['@_name']}`)).toEqual(['heapscope.global-map global main.sessionCache']);
    expect(failed[0]!.failure!['@_type']).toBe('high');
    expect(cases.filter((c) => c.skipped).map((c) => c['@_name']).sort()).toEqual(['main.cacheSession', 'main.loadBlob', 'main.loadBlob', 'main.worker']);
    expect(cases.find((c) => c['@_classname'] === 'heapscope.subslice-pinning')!.skipped!['@_message']).toBe('allowed by allow[0] until 2099-12-31: pinned on purpose for the demo');
    // every rule shows, the quiet ones as one passing case
    expect(cases.find((c) => c['@_classname'] === 'heapscope.ticker-not-stopped')!['@_name']).toBe('no findings');
  });

  it('untrusted strings are escaped; characters XML cannot carry are dropped', () => {
    const evil = 'main.(*T[<"&\'>]).f\u0000\u0007\u001b]0;x\u0007';
    expect(XMLValidator.validate(`<a b="${xmlEscape(evil)}">${xmlEscape(evil)}</a>`)).toBe(true);
    const report: CheckReport = {
      passed: false,
      violations: ['x'],
      policy: { source: 'p', failOn: 'high', thresholds: {}, tolerance: { percent: 10, minBytes: 1, minGoroutines: 1 }, budgets: {} },
      today: '2026-01-01',
      inputs: [],
      baselineInputs: [],
      findings: [{ status: 'violation', finding: { severity: 'high', kind: 'goroutine-pileup', title: `t ${evil}`, subject: evil, evidence: {}, link: { view: 'goroutines', file: 'f' }, size: 1, sources: [evil] } }],
      baseline: null,
      growth: [],
      budgets: [],
      allowances: [],
      notes: [],
    };
    const j = parseJUnit(toJUnit(report));
    const c = j.suites.find((s) => s['@_name'] === 'heapscope.goroutine-pileup')!.testcase[0]!;
    expect(c['@_name']).toBe(`main.(*T[<"&'>]).f]0;x`); // escaped in the file, decoded by the parser
  });
});

describe('SARIF logical locations of heap findings', () => {
  it('a context or a map in a struct is an object; a global map a variable', () => {
    const f = (kind: 'context-not-cancelled' | 'sparse-map', subject: string) => ({ status: 'ok' as const, finding: { severity: 'medium' as const, kind, title: 't', subject, evidence: {}, link: { view: 'heap' as const, dump: 'd' }, size: 1, sources: ['d'] } });
    const report: CheckReport = {
      passed: true,
      violations: [],
      policy: { source: 'p', failOn: 'high', thresholds: {}, tolerance: { percent: 10, minBytes: 1, minGoroutines: 1 }, budgets: {} },
      today: '2026-01-01',
      inputs: [],
      baselineInputs: [],
      findings: [f('context-not-cancelled', 'context in global main.root'), f('sparse-map', 'main.Store.index in global main.store'), f('sparse-map', 'global main.sessions')],
      baseline: null,
      growth: [],
      budgets: [],
      allowances: [],
      notes: [],
    };
    const kinds = (toSarif(report, { toolVersion: 't' }) as unknown as Sarif).runs[0]!.results.map((r) => r.locations![0]!.logicalLocations![0]!.kind);
    expect(kinds).toEqual(['object', 'object', 'variable']);
  });
});

describe('the shipped policy schema', () => {
  it('names every threshold of shared/findings/thresholds.ts with its default', () => {
    const props = POLICY_SCHEMA.properties.thresholds.properties;
    expect(Object.keys(props).sort()).toEqual(Object.keys(THRESHOLD_DEFAULTS).sort());
    for (const [k, v] of Object.entries(THRESHOLD_DEFAULTS)) expect(props[k]!.default, k).toBe(v);
  });

  it('allows every finding kind (and baseline-growth): the kinds of the SARIF rules', () => {
    const kinds = POLICY_SCHEMA.properties.allow.items.properties.kind.enum;
    expect([...kinds].sort()).toEqual(RULES.map((r) => r.id).filter((id) => !id.startsWith('max')).sort());
  });

  it('is a valid draft-07 schema, and the example policy of the Actions fixture follows it', () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv, ['date', 'regex']);
    const v = ajv.compile(POLICY_SCHEMA);
    const example = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'modern', 'check', 'ciapp', 'heapscope.json'), 'utf8')) as unknown;
    expect(v(example)).toBe(true);
    expect(v({ failOn: 'urgent' })).toBe(false);
  });
});
