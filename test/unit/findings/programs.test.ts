/**
 * Programs: inputs from two programs (or two builds of one) never form one growing series.
 *
 * Real inputs: test/fixtures/modern/programs (regen.sh): proga (a cache that grows 128 KiB before each
 * capture), progb (a different program: a constant 768 KiB baseline allocated by a function of the same
 * name, main.fill, into a global of the same name, main.cache) and proga-v2 (proga rebuilt with a change,
 * at the same binary path), each built and run by Go 1.19, 1.26 and 1.27.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileSeriesTrends, heapSeriesTrends } from '../../../shared/compare/series';
import { HeapscopeError } from '../../../shared/errors';
import { computeFindings, type Finding, type FindingsInput } from '../../../shared/findings';
import { compareFacts, groupByProgram, heapDumpProgram, NO_FACTS, profileProgram, type ProgramFacts } from '../../../shared/findings/programs';
import { readElfBuildIds, type ExeBuildIds } from '../../../shared/heap/buildid';
import { bytesReader, readElfSymbols } from '../../../shared/heap/index';
import { bytesOf, cachedDump, gunzipToTemp, inflate, profile, ROOT, runCli } from '../compare/fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'modern', 'programs', 'out');
const VERSIONS = ['go1.19', 'go1.26', 'go1.27'] as const;
type Version = (typeof VERSIONS)[number];
type Prog = 'proga' | 'progb' | 'proga-v2';
const have = VERSIONS.every((v) => existsSync(join(DIR, v, 'buildids.txt')));
if (!have) console.warn(`programs tests skipped: no fixtures in ${DIR} (run test/fixtures/modern/programs/regen.sh)`);

const f = (v: Version, p: Prog, file: string): string => join(DIR, v, p, file);
const exeOf = (v: Version, p: Prog): string => join(DIR, v, 'exe', `${p}.elf.gz`);

function recorded(v: Version): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(DIR, v, 'buildids.txt'), 'utf8').split('\n')) {
    const m = /^(\S+) (path|go-buildid|gnu-buildid)=(.*)$/.exec(line);
    if (m) out[`${m[1]} ${m[2]}`] = m[3]!;
  }
  return out;
}

function exeIds(v: Version, p: Prog): ExeBuildIds {
  return readElfBuildIds(bytesReader(inflate(bytesOf(exeOf(v, p)))), exeOf(v, p));
}

const heapProfiles = (v: Version, p: Prog, n = p === 'proga-v2' ? 2 : 3, ext = 'pb.gz'): FindingsInput[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${v}/${p}/heap-${i + 1}.${ext}`, kind: 'profile' as const, imported: profile(f(v, p, `heap-${i + 1}.${ext}`)) }));

function dumps(v: Version, p: Prog, withExe: boolean, n = p === 'proga-v2' ? 2 : 3): FindingsInput[] {
  return Array.from({ length: n }, (_, i) => {
    const d = cachedDump(f(v, p, `heap-${i + 1}.dump.gz`), withExe ? exeOf(v, p) : undefined);
    const x: FindingsInput = { name: `${v}/${p}/heap-${i + 1}.dump${withExe ? '+exe' : ''}`, kind: 'heapdump', analysis: d.analysis, read: d.read };
    if (withExe) x.exeIds = exeIds(v, p);
    return x;
  });
}

const growthOf = (fs: Finding[], subject: string): Finding[] => fs.filter((x) => (x.kind === 'growing-alloc-site' || x.kind === 'growing-root') && x.subject === subject);
const fromB = (x: Finding): boolean => x.sources.some((s) => s.includes('/progb/'));
const fromA = (x: Finding): boolean => x.sources.some((s) => s.includes('/proga/'));

describe.skipIf(!have)('program identity on real binaries and profiles', () => {
  it.each(VERSIONS)('%s: the ELF notes read as `go tool buildid` and `readelf -n` print them', (v) => {
    const r = recorded(v);
    for (const p of ['proga', 'progb', 'proga-v2'] as const) {
      const ids = exeIds(v, p);
      expect(ids.goBuildId).toBe(r[`${p} go-buildid`]);
      expect(ids.gnuBuildId).toBe(r[`${p} gnu-buildid`] || null);
    }
    // Go 1.19 writes no GNU build id; 1.24+ does.
    expect(exeIds(v, 'proga').gnuBuildId === null).toBe(v === 'go1.19');
  });

  it.each(VERSIONS)('%s: Mapping.build_id is the GNU build id (not the Go one); Mapping.filename the binary', (v) => {
    const r = recorded(v);
    for (const p of ['proga', 'progb', 'proga-v2'] as const) {
      const facts = profileProgram(profile(f(v, p, 'heap-1.pb.gz')).profile);
      expect(facts.path).toBe(r[`${p} path`]);
      expect(facts.buildId).toBe(r[`${p} gnu-buildid`] || null);
      expect(facts.buildId).not.toBe(r[`${p} go-buildid`]);
      // Package main's folder, where the profile has a function of it (Go 1.19's first v2 profile has none).
      const dirs = new Set([1, 2].flatMap((n) => profileProgram(profile(f(v, p, `heap-${n}.pb.gz`)).profile).mainDirs));
      expect([...dirs]).toEqual([`example.com/${p === 'proga-v2' ? 'proga' : p}`]);
    }
  });

  it.each(VERSIONS)('%s: legacy text profiles name no binary, only package main\'s folder', (v) => {
    const t = profileProgram(profile(f(v, 'proga', 'heap-1.txt.gz')).profile);
    expect([t.path, t.buildId]).toEqual([null, null]);
    expect(t.mainDirs).toEqual(['example.com/proga']);
    const g = profileProgram(profile(f(v, 'progb', 'goroutine-1.txt')).profile);
    expect(g.mainDirs).toEqual(['example.com/progb']);
  });

  it.each(VERSIONS)('%s: a heap dump: Go version, segments = the binary\'s .data/.bss; exe build ids only when they match', (v) => {
    const ids = exeIds(v, 'proga');
    const a = cachedDump(f(v, 'proga', 'heap-1.dump.gz')).analysis;
    const facts = heapDumpProgram(a, ids);
    expect(facts.goVersion).toMatch(new RegExp(`^${v.replace('.', '\\.')}`));
    expect(facts.segments).toEqual({ data: ids.dataSize, bss: ids.bssSize });
    expect(facts.buildId).toBe(ids.gnuBuildId);
    expect(facts.goBuildId).toBe(ids.goBuildId);
    expect(facts.mainDirs).toEqual(['example.com/proga']);
    expect([ids.goVersion, ids.mainPath]).toEqual([facts.goVersion, 'example.com/proga']);
    // readElfSymbols agrees on the sizes.
    const sym = readElfSymbols(bytesReader(inflate(bytesOf(exeOf(v, 'proga')))));
    expect(sym.data!.end - sym.data!.start).toBe(ids.dataSize);
    // An executable whose sections do not match is not the dump's: its ids are not used.
    const wrong = { ...ids, bssSize: (ids.bssSize ?? 0) + 4096 };
    expect(heapDumpProgram(a, wrong).buildId).toBeNull();
    // Nor those of another program whose sections happen to have the same sizes (progb's do): its
    // main package is not the dump's.
    const other = exeIds(v, 'progb');
    expect([other.dataSize, other.bssSize]).toEqual([ids.dataSize, ids.bssSize]);
    expect(heapDumpProgram(a, other).buildId).toBeNull();
    expect(heapDumpProgram(a, other).goBuildId).toBeNull();
  });
});

const summary = (fs: Finding[]): string[] => fs.map((x) => `${x.kind} ${x.subject} ${x.sources.join(',')}`);

/**
 * The mixed workspace's checks: A's growth is there (A's inputs only, `snapshots` values), no finding
 * spans A and B, no growth is B's. `subject`: the growing function or root (null: whichever grows most
 * in A; debug=1 text keeps runtime.mallocgc as the flat frame).
 */
function expectPerProgram(fs: Finding[], notes: string[], subject: string | null, snapshots = 3): void {
  const why = summary(fs).join('\n');
  expect(fs.filter((x) => fromA(x) && fromB(x)), why).toEqual([]);
  const growth = fs.filter((x) => x.kind === 'growing-alloc-site' || x.kind === 'growing-root');
  expect(growth.filter(fromB), why).toEqual([]);
  const a = subject === null ? growth.filter(fromA).slice(0, 1) : growthOf(fs, subject);
  expect(a.length, why).toBe(1);
  expect(a[0]!.sources.every((s) => s.includes('/proga/'))).toBe(true);
  expect(a[0]!.evidence.values).toHaveLength(snapshots);
  expect(a[0]!.evidence.program).toMatch(/^program 1 \[/);
  expect(notes.join('\n')).toMatch(/come from 2 programs/);
}

describe.skipIf(!have)('a mixed workspace: program A grows, program B has a bigger constant baseline', () => {
  it.each(VERSIONS)('%s: one series across A and B would show growth (the trap the grouping avoids)', (v) => {
    const all = [...heapProfiles(v, 'proga'), ...heapProfiles(v, 'progb')] as Array<Extract<FindingsInput, { kind: 'profile' }>>;
    const s = profileSeriesTrends(all.map((x) => ({ name: x.name, profile: x.imported.profile })), { sampleIndex: 'inuse_space' }, undefined, { programChecked: true });
    const fill = s.trends.find((t) => t.key === 'main.fill')!;
    expect(fill.values).toHaveLength(6);
    // Reported as growth across both programs (≥ GROWTH_MIN_BYTES from A's first to B's last).
    expect(fill.last - fill.first).toBeGreaterThan(64 << 10);
  });

  it.each(VERSIONS)('%s heap profiles (proto): told apart by build id or path', (v) => {
    const r = computeFindings([...heapProfiles(v, 'proga'), ...heapProfiles(v, 'progb')]);
    expectPerProgram(r.findings, r.notes, 'main.fill');
    expect(r.notes.join('\n')).toContain(`/tmp/heapscope-programs/${v}/progb`);
    if (v !== 'go1.19') expect(r.notes.join('\n')).toContain(`build id ${recorded(v)['progb gnu-buildid']!.slice(0, 12)}`);
  });

  it.each(VERSIONS)('%s heap profiles (debug=1 text, no build id, no path): told apart by package main\'s folder', (v) => {
    const r = computeFindings([...heapProfiles(v, 'proga', 3, 'txt.gz'), ...heapProfiles(v, 'progb', 3, 'txt.gz')]);
    // Go 1.19's first debug=1 profile reads without inuse_space here (not used for findings): 2 snapshots.
    expectPerProgram(r.findings, r.notes, null, v === 'go1.19' ? 2 : 3);
    expect(r.notes.join('\n')).toContain('package main in example.com/progb');
  });

  it.each(VERSIONS)('%s heap dumps without the binary (same data/bss sizes): told apart by package main\'s folder', (v) => {
    const r = computeFindings([...dumps(v, 'proga', false), ...dumps(v, 'progb', false)]);
    expect(r.findings.filter((x) => fromA(x) && fromB(x))).toEqual([]);
    const roots = r.findings.filter((x) => x.kind === 'growing-root');
    expect(roots.length).toBeGreaterThan(0);
    expect(roots.every((x) => x.sources.every((s) => s.includes('/proga/')))).toBe(true);
    expect(r.notes.join('\n')).toMatch(/come from 2 programs/);
  });

  it.each(VERSIONS)('%s heap dumps with the binary: told apart by build id; A\'s global grows', (v) => {
    const r = computeFindings([...dumps(v, 'proga', true), ...dumps(v, 'progb', true)]);
    expectPerProgram(r.findings, r.notes, 'global main.cache');
    expect(r.notes.join('\n')).toContain(v === 'go1.19' ? `Go build id ${recorded(v)['proga go-buildid']!.slice(0, 20)}` : `build id ${recorded(v)['proga gnu-buildid']!.slice(0, 12)}`);
  });

  it.each(['go1.26', 'go1.27'] as const)('%s: a profile and the dumps of one program meet on the GNU build id', (v) => {
    const inputs = [...heapProfiles(v, 'proga'), ...dumps(v, 'proga', true), ...heapProfiles(v, 'progb'), ...dumps(v, 'progb', true)];
    const r = computeFindings(inputs);
    const note = r.notes.find((n) => /come from 2 programs/.test(n))!;
    const [p1, p2] = note.split('; program 2');
    expect(p1).toContain(`${v}/proga/heap-1.pb.gz`);
    expect(p1).toContain(`${v}/proga/heap-3.dump+exe`);
    expect(p1).not.toContain('/progb/');
    expect(p2).not.toContain('/proga/');
    expectPerProgram(r.findings, r.notes, 'main.fill');
  });

  it('goroutine profiles of two programs are two series', () => {
    const g = (p: Prog): FindingsInput[] => [1, 2, 3].map((i) => ({ name: `go1.27/${p}/goroutine-${i}.pb.gz`, kind: 'profile' as const, imported: profile(f('go1.27', p, `goroutine-${i}.pb.gz`)) }));
    const r = computeFindings([...g('proga'), ...g('progb')]);
    expect(r.notes.filter((n) => /goroutine profiles: 3 snapshots/.test(n))).toHaveLength(2);
    expect(r.findings.filter((x) => fromA(x) && fromB(x))).toEqual([]);
  });
});

describe.skipIf(!have)('the same program rebuilt (proga → proga-v2, same binary path)', () => {
  it.each(['go1.26', 'go1.27'] as const)('%s: different build ids: two programs, though the path is the same', (v) => {
    const a = profileProgram(profile(f(v, 'proga', 'heap-1.pb.gz')).profile);
    const b = profileProgram(profile(f(v, 'proga-v2', 'heap-1.pb.gz')).profile);
    expect(a.path).toBe(b.path);
    expect(compareFacts(a, b)).toEqual({ verdict: 'different', by: ['build id'] });
    const r = computeFindings([...heapProfiles(v, 'proga'), ...heapProfiles(v, 'proga-v2')]);
    expect(r.notes.join('\n')).toMatch(/come from 2 programs/);
    const fill = growthOf(r.findings, 'main.fill');
    expect(fill.map((x) => x.evidence.values)).toEqual(expect.arrayContaining([expect.any(Array)]));
    for (const x of fill) expect(new Set(x.sources.map((s) => s.split('/')[1]))).toHaveProperty('size', 1);
  });

  it('go1.19: no build id, same path and folder: the profiles cannot be told apart and stay one series', () => {
    const a = profileProgram(profile(f('go1.19', 'proga', 'heap-2.pb.gz')).profile);
    const b = profileProgram(profile(f('go1.19', 'proga-v2', 'heap-2.pb.gz')).profile);
    expect(compareFacts(a, b)).toEqual({ verdict: 'same', by: ['binary path', 'package main folder'] });
    const r = computeFindings([...heapProfiles('go1.19', 'proga'), ...heapProfiles('go1.19', 'proga-v2')]);
    expect(r.notes.join('\n')).not.toMatch(/programs/);
  });

  it('go1.19 heap dumps: the attached binaries\' Go build ids tell the builds apart; without them they stay together', () => {
    const withExe = computeFindings([...dumps('go1.19', 'proga', true), ...dumps('go1.19', 'proga-v2', true)]);
    expect(withExe.notes.join('\n')).toMatch(/come from 2 programs/);
    const without = computeFindings([...dumps('go1.19', 'proga', false), ...dumps('go1.19', 'proga-v2', false)]);
    expect(without.notes.join('\n')).not.toMatch(/programs/);
  });

  it('go1.26: a dump without its binary fits both builds: judged apart from both (undetermined)', () => {
    const inputs = [...heapProfiles('go1.26', 'proga'), ...heapProfiles('go1.26', 'proga-v2'), ...dumps('go1.26', 'proga', false, 1)];
    const r = computeFindings(inputs);
    const n = r.notes.join('\n');
    expect(n).toMatch(/come from 3 programs/);
    expect(n).toMatch(/program 3 \(undetermined\) \[[^\]]*\]: go1\.26\/proga\/heap-1\.dump$/m);
    expect(n).toMatch(/^undetermined: /m);
  });
});

describe('groupByProgram: the rule on hand-made facts', () => {
  const F = (x: Partial<ProgramFacts>): ProgramFacts => ({ ...NO_FACTS, mainDirs: [], ...x });
  it('build ids decide before anything else; unknown matches anything', () => {
    expect(compareFacts(F({ buildId: 'aa', path: '/a' }), F({ buildId: 'aa', path: '/b' })).verdict).toBe('same');
    expect(compareFacts(F({ buildId: 'aa', path: '/a' }), F({ buildId: 'bb', path: '/a' })).verdict).toBe('different');
    expect(compareFacts(F({ goBuildId: 'x/y' }), F({ goBuildId: 'x/z', mainDirs: ['m'] })).verdict).toBe('different');
    expect(compareFacts(F({ buildId: 'aa' }), F({ path: '/a' })).verdict).toBe('unknown');
    expect(compareFacts(F({ path: '/a', mainDirs: ['m'] }), F({ path: '/a', mainDirs: ['n'] }))).toEqual({ verdict: 'different', by: ['package main folder'] });
    expect(compareFacts(F({ segments: { data: 1, bss: 2 } }), F({ segments: { data: 1, bss: 3 } })).verdict).toBe('different');
    expect(compareFacts(F({ goVersion: 'go1.26.8' }), F({ goVersion: 'go1.27.3' })).verdict).toBe('different');
    expect(compareFacts(F({ arch: 'amd64/8' }), F({ arch: 'arm64/8' })).verdict).toBe('different');
  });

  it('inputs that tell nothing stay with the only program; between two they are undetermined', () => {
    expect(groupByProgram([F({ buildId: 'aa' }), F({}), F({ buildId: 'aa' })]).map((g) => [g.members, g.undetermined])).toEqual([[[0, 1, 2], false]]);
    const two = groupByProgram([F({ buildId: 'aa' }), F({}), F({ buildId: 'bb' }), F({})]);
    expect(two.map((g) => [g.members, g.undetermined])).toEqual([
      [[0], false],
      [[1, 3], true],
      [[2], false],
    ]);
    // Order-independent: the strongest facts form the groups first.
    const order = groupByProgram([F({ mainDirs: ['m'] }), F({ buildId: 'aa', mainDirs: ['m'] }), F({ buildId: 'bb', mainDirs: ['n'] })]);
    expect(order.map((g) => g.members)).toEqual([[0, 1], [2]]);
    // A weak input that fits one group only joins it.
    const weak = groupByProgram([F({ buildId: 'aa', mainDirs: ['m'] }), F({ buildId: 'bb', mainDirs: ['n'] }), F({ mainDirs: ['n'] })]);
    expect(weak.map((g) => g.members)).toEqual([[0], [1, 2]]);
    expect(groupByProgram([])).toEqual([]);
  });
});

describe.skipIf(!have)('the series view refuses a series across programs', () => {
  it('profiles of two programs: BAD_REQUEST naming the files; one program: fine', () => {
    const snaps = (p: Prog) => heapProfiles('go1.26', p).map((x) => ({ name: x.name, profile: (x as Extract<FindingsInput, { kind: 'profile' }>).imported.profile }));
    let err: unknown;
    try {
      profileSeriesTrends([...snaps('proga'), ...snaps('progb')]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeapscopeError);
    expect((err as HeapscopeError).code).toBe('BAD_REQUEST');
    expect((err as HeapscopeError).message).toMatch(/one program; these snapshots come from 2: .*go1\.26\/proga\/heap-1\.pb\.gz.*go1\.26\/progb\/heap-1\.pb\.gz/);
    expect(profileSeriesTrends(snaps('proga')).trends.find((t) => t.key === 'main.fill')!.monotonic).toBe(true);
  });

  it('heap dumps of two programs: BAD_REQUEST', () => {
    const d = (p: Prog) => [1, 2].map((i) => ({ name: `${p}-${i}`, analysis: cachedDump(f('go1.27', p, `heap-${i}.dump.gz`)).analysis }));
    expect(() => heapSeriesTrends([...d('proga'), ...d('progb')])).toThrow(/one program/);
    expect(heapSeriesTrends(d('proga')).points).toHaveLength(2);
  });
});

describe.skipIf(!have)('heapscope findings (CLI) on a mixed workspace', () => {
  it('series per program, notes say which file is which program; --exe ids apply to the matching dumps only', async () => {
    const v = 'go1.27';
    const files = [...[1, 2, 3].map((i) => f(v, 'proga', `heap-${i}.pb.gz`)), ...[1, 2, 3].map((i) => f(v, 'progb', `heap-${i}.pb.gz`)), ...[1, 2, 3].map((i) => f(v, 'proga', `heap-${i}.dump.gz`)), ...[1, 2, 3].map((i) => f(v, 'progb', `heap-${i}.dump.gz`))];
    const exe = gunzipToTemp(exeOf(v, 'proga'));
    const r = await runCli(['findings', ...files, '--exe', exe, '--json']);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out) as { findings: Finding[]; notes: string[] };
    expectPerProgram(j.findings, j.notes, 'main.fill');
    const note = j.notes.find((n) => /come from 2 programs/.test(n))!;
    // A's profiles and dumps in program 1 (the dumps by the GNU build id of --exe), B's in program 2.
    const [p1, p2] = note.split('; program 2');
    for (const i of [1, 2, 3]) {
      expect(p1).toContain(f(v, 'proga', `heap-${i}.dump.gz`));
      expect(p2).toContain(f(v, 'progb', `heap-${i}.dump.gz`));
    }
    expect(p1).toContain(`build id ${recorded(v)['proga gnu-buildid']!.slice(0, 12)}`);
    const text = await runCli(['findings', ...files.slice(0, 6)]);
    expect(text.out).toMatch(/^note: the inputs come from 2 programs/m);
    expect(text.out).toMatch(/program=program 1 \[/);
  });
});
