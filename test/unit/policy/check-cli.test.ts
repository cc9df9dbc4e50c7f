/**
 * `heapscope check` exit codes (acceptance 1) on the committed leakyapp fixture (Go 1.19): the
 * policy passes (0), fails (3), an allowance has expired (3, and the output says so), a bad policy
 * file gives its line and field (1). Also threshold overrides and budgets.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../../shared/findings';
import { GOROUTINE_PILEUP_MIN, THRESHOLD_DEFAULTS } from '../../../shared/findings/thresholds';
import { allowLeakyHighs, check, LEAKY_EXE, LEAKY_INPUTS, policyFile } from './helpers';

const opts = { exe: LEAKY_EXE };

describe('heapscope check: exit codes', () => {
  it('fails (3) with the default policy: high findings, no config', async () => {
    const r = await check(LEAKY_INPUTS, opts);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^heapscope check: FAILED \(default policy; fails on high findings; 5 violations\)/);
    expect(r.out).toContain('HIGH   global-map: global map main.sessionCache');
    expect(r.err).toContain('the policy fails: 5 violations');
  });

  it('passes (0) when every high finding is allowed with a reason', async () => {
    const cfg = policyFile({ failOn: 'high', allow: allowLeakyHighs('2099-12-31') });
    const r = await check(LEAKY_INPUTS, { ...opts, config: cfg });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^heapscope check: PASSED/);
    expect(r.out).toContain('Allowed (5):');
    expect(r.out).toContain('allow[0] until 2099-12-31: the demo cache');
    // medium findings are reported below the fail-on severity, not failing
    expect(r.out).toMatch(/Below high \(1, reported, not failing\):\n {2}medium goroutines-blocked/);
  });

  it('fails (3) when an allowance has expired, and says it expired', async () => {
    const allow = allowLeakyHighs('2099-12-31');
    allow[0] = { ...allow[0]!, until: '2020-01-31' };
    const r = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ allow }) });
    expect(r.code).toBe(3);
    expect(r.out).toContain('1 violation)');
    expect(r.out).toContain('HIGH   global-map: global map main.sessionCache');
    expect(r.out).toContain('allow[0] would allow it but expired on 2020-01-31: the demo cache');
    expect(r.out).toContain('Expired allowances (1), no longer applied:');
  });

  it('until is the last day the allowance applies (UTC), --today sets the day', async () => {
    const cfg = policyFile({ allow: allowLeakyHighs('2026-06-01') });
    expect((await check(LEAKY_INPUTS, { ...opts, config: cfg, today: '2026-06-01' })).code).toBe(0);
    const late = await check(LEAKY_INPUTS, { ...opts, config: cfg, today: '2026-06-02' });
    expect(late.code).toBe(3);
    expect(late.out).toContain('Expired allowances (3)');
  });

  it('the JSON output is the report: statuses, allowances, matched counts', async () => {
    const allow = [...allowLeakyHighs('2099-12-31'), { kind: 'ticker-not-stopped', reason: 'stale entry' }];
    const r = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ allow }), format: 'json' });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { passed: boolean; findings: Array<{ status: string; allowedBy?: { index: number } }>; allowances: Array<{ index: number; matched: number; expired: boolean }>; notes: string[] };
    expect(j.passed).toBe(true);
    expect(j.findings.filter((f) => f.status === 'allowed').map((f) => f.allowedBy!.index).sort()).toEqual([0, 1, 2, 2, 2]);
    expect(j.allowances.map((a) => a.matched)).toEqual([1, 1, 3, 0]);
    expect(j.notes).toContain('allow[3] matched nothing (stale?): stale entry');
  });
});

describe('heapscope check: bad policy files (exit 1, line and field)', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'a missing reason',
      '{\n  "allow": [\n    { "kind": "global-map" },\n    { "kind": "growing-root", "reason": "" }\n  ]\n}\n',
      /heapscope\.json: bad policy file: 3:5: allow\[0\]\.reason: is required \(every allowance says why\); 4:41: allow\[1\]\.reason: must not be blank \(as heapscope policy \(JSON\), at line 3\)/,
    ],
    ['an unknown threshold', '{\n  "thresholds": {\n    "GOROUTINE_PILEUP_MAX": 5\n  }\n}', /3:5: thresholds\.GOROUTINE_PILEUP_MAX: unknown field \(threshold names are those of shared\/findings\/thresholds\.ts\)/],
    ['a misspelt field', '{ "failon": "high" }', /1:3: failon: unknown field/],
    ['a bad severity', '{\n"failOn": "critical"}', /2:11: failOn: must be one of "low", "medium", "high"/],
    ['an allowance naming neither kind nor subject', '{"allow":[{"reason":"x"}]}', /1:11: allow\[0\]: an allowance names a kind, a subject, or both/],
    ['a subject that is not a regular expression', '{"allow":[\n {"subject":"main.(worker","reason":"x"}]}', /2:13: allow\[0\]\.subject: must be a regular expression/],
    ['a date that does not exist', '{"allow":[{"kind":"global-map","reason":"x",\n"until":"2025-02-30"}]}', /2:9: allow\[0\]\.until: must be a date YYYY-MM-DD/],
    ['a bad size', '{"budgets":{"maxHeapInuse":"64 furlongs"}}', /1:28: budgets\.maxHeapInuse: must be bytes \(an integer\) or a size such as "64MiB"/],
    ['not JSON', '{\n  "failOn": "high",\n}', /not valid JSON: (PropertyNameExpected|ValueExpected) at 3:1/],
    ['comments', '// policy\n{}', /not valid JSON: InvalidCommentToken at 1:1/],
  ];
  for (const [what, text, msg] of cases) {
    it(what, async () => {
      const r = await check(LEAKY_INPUTS.slice(0, 1), { config: policyFile(text) });
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a missing policy file is an error naming it', async () => {
    const r = await check(LEAKY_INPUTS.slice(0, 1), { config: '/nonexistent/heapscope.json' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent/heapscope.json');
  });
});

describe('heapscope check: thresholds and budgets', () => {
  it('threshold overrides change what the rules find, and are restored afterwards', async () => {
    const base = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ failOn: 'medium', allow: allowLeakyHighs() }) });
    expect(base.code).toBe(3);
    expect(base.out).toContain('MEDIUM goroutines-blocked: 30 goroutines blocked');
    const raised = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ failOn: 'medium', allow: allowLeakyHighs(), thresholds: { GOROUTINE_PILEUP_MIN: 31 } }) });
    expect(raised.code).toBe(0);
    expect(raised.out).toContain('thresholds overridden: GOROUTINE_PILEUP_MIN=31');
    expect(raised.out).not.toContain('goroutines-blocked');
    expect(GOROUTINE_PILEUP_MIN).toBe(THRESHOLD_DEFAULTS.GOROUTINE_PILEUP_MIN);
    // lowering thresholds finds more: a tiny suspect share, and no byte floor, make more roots suspects
    const lowered = await check(LEAKY_INPUTS, { ...opts, format: 'json', config: policyFile({ thresholds: { SUSPECT_MIN_SHARE: 0.0001, SUSPECT_MIN_BYTES: 0 } }) });
    const count = (s: string): number => (JSON.parse(s) as { findings: Array<{ finding: { kind: string } }> }).findings.filter((f) => f.finding.kind === 'retained-by-root').length;
    const dflt = await check(LEAKY_INPUTS, { ...opts, format: 'json' });
    expect(count(lowered.out)).toBeGreaterThan(count(dflt.out));
    expect(computeFindings([]).findings).toEqual([]);
  });

  it('budgets: maxGoroutines and maxHeapInuse, peak over the inputs', async () => {
    const over = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ allow: allowLeakyHighs(), budgets: { maxGoroutines: 10, maxHeapInuse: '1GiB' } }) });
    expect(over.code).toBe(3);
    expect(over.out).toMatch(/BUDGET maxGoroutines 10: peak \d+ in .*goroutine\.pb\.gz \(goroutines in the profile\) is over budget/);
    expect(over.out).toMatch(/ok {3}maxHeapInuse 1 GiB: peak [\d.]+ (KiB|MiB) in .*heap\.dump \(MemStats\.HeapInuse\)/);
    const ok = await check(LEAKY_INPUTS, { ...opts, config: policyFile({ allow: allowLeakyHighs(), budgets: { maxGoroutines: 1000, maxGrowthPercent: 5 } }) });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('--   maxGrowthPercent 5%: no --baseline given; not checked');
  });
});
