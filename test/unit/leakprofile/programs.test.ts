/**
 * Leak profiles of two programs are judged apart: each program's leaked goroutines are counted for
 * that program only, never merged with the other's (issue 11: findings must never treat two
 * programs' snapshots as one). Real outputs of two builds (Go 1.27 and Go 1.26 + experiment: two
 * binaries, two build ids).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { computeFindings } from '../../../shared/findings';
import { importProfile, profileSummary } from '../../../shared/profile';

const FIX = join(__dirname, '../../fixtures/modern/leakprofile');
const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};
const load = (v: string) => importProfile(new Uint8Array(readFileSync(join(FIX, v, 'goroutineleak.pb.gz'))), `${v}.pb.gz`, { gunzip });

describe('leaked goroutines of two programs', () => {
  it('are counted per program, never merged', () => {
    const a = load('go1.27');
    const b = load('go1.26x');
    const r = computeFindings([
      { name: 'a.pb.gz', kind: 'profile', imported: a },
      { name: 'b.pb.gz', kind: 'profile', imported: b },
    ]);
    const leaked = r.findings.filter((f) => f.kind === 'leaked-goroutines');
    const programs = [...new Set(leaked.map((f) => String(f.evidence.program)))];
    expect(programs.length, JSON.stringify(leaked.map((f) => f.evidence.program))).toBe(2);
    for (const [name, imp] of [
      ['a.pb.gz', a],
      ['b.pb.gz', b],
    ] as const) {
      const mine = leaked.filter((f) => f.sources.length === 1 && f.sources[0] === name);
      expect(mine.reduce((x, f) => x + (f.evidence.count as number), 0), name).toBe(profileSummary(imp.profile).totals[0]);
      expect(new Set(mine.map((f) => f.evidence.program)).size).toBe(1);
    }
    expect(leaked.length).toBe(12);
    expect(r.notes.join('\n')).toMatch(/a\.pb\.gz: 22 goroutines the Go runtime proved leaked, in 6 functions \(program \d/);
  });

  it('the same program given twice is read once (the latest)', () => {
    const a = load('go1.27');
    const r = computeFindings([
      { name: 'first.pb.gz', kind: 'profile', imported: a },
      { name: 'again.pb.gz', kind: 'profile', imported: a },
    ]);
    const leaked = r.findings.filter((f) => f.kind === 'leaked-goroutines');
    expect(leaked.reduce((x, f) => x + (f.evidence.count as number), 0)).toBe(22);
    expect(leaked.every((f) => f.evidence.program === undefined)).toBe(true);
    expect(r.notes.join('\n')).toMatch(/read the latest of each form only .*not read: first\.pb\.gz/);
  });
});
