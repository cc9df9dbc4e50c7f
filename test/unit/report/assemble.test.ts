/**
 * assembleReport on the leakyapp investigation (test/fixtures/out/go1.19/leakyapp: heap-1..3, the debug=2
 * goroutine dump, the heap dump with its binary): sections, findings linked to them, numbers equal
 * to the engines', options, and plain JSON-safe data.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { diffFlame, diffTop } from '../../../shared/compare';
import { computeFlame, computeTop } from '../../../shared/profile';
import { assembleReport, type ReportInput, type ReportOptions } from '../../../shared/report/assemble';
import type { ComparisonSection, GoroutineSection, HeapDumpSection, ProfileSection, ReportModel } from '../../../shared/report/model';
import { unpackDiffSides, unpackDiffTree, unpackTree } from '../../../shared/report/unpack';
import { cachedDump, haveLeakyapp, LEAKYAPP, profile } from '../compare/fixtures';

function inputs(): ReportInput[] {
  const d = cachedDump(join(LEAKYAPP, 'heap.dump'), join(LEAKYAPP, 'leakyapp'));
  return [
    ...['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt'].map((n): ReportInput => ({ name: n, kind: 'profile', imported: profile(join(LEAKYAPP, n)), source: join(LEAKYAPP, n) })),
    { name: 'heap.dump', kind: 'heapdump', analysis: d.analysis, read: d.read, exe: 'leakyapp', source: join(LEAKYAPP, 'heap.dump'), sizeBytes: 2912822 },
  ];
}

const OPTS: ReportOptions = { heapscopeVersion: '9.9.9', createdAt: '2026-01-02T03:04:05.000Z' };

function sectionsOf<K extends ReportModel['sections'][number]['kind']>(m: ReportModel, kind: K): Array<Extract<ReportModel['sections'][number], { kind: K }>> {
  return m.sections.filter((s) => s.kind === kind) as Array<Extract<ReportModel['sections'][number], { kind: K }>>;
}

/** Every number finite, no undefined in arrays, no bigint, no class instances: survives JSON unchanged. */
function assertPlainData(v: unknown, path = 'model'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path} is ${v}`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (x === undefined) throw new Error(`${path}[${i}] is undefined`);
      assertPlainData(x, `${path}[${i}]`);
    });
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) assertPlainData(x, `${path}.${k}`);
    return;
  }
  throw new Error(`${path} is not plain data (${typeof v})`);
}

describe.skipIf(!haveLeakyapp)('assembleReport on the leakyapp investigation', () => {
  const model = assembleReport(inputs(), OPTS);

  it('has a header naming what was analysed, when, and with which version', () => {
    expect(model.format).toBe('heapscope-report');
    expect(model.heapscopeVersion).toBe('9.9.9');
    expect(model.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(model.title).toBe('Heapscope report: heap-1.pb.gz and 4 more');
    expect(model.inputs.map((i) => [i.name, i.kind, i.format])).toEqual([
      ['heap-1.pb.gz', 'profile', 'pprof'],
      ['heap-2.pb.gz', 'profile', 'pprof'],
      ['heap-3.pb.gz', 'profile', 'pprof'],
      ['goroutine.debug2.txt', 'profile', 'goroutine-debug2'],
      ['heap.dump', 'heapdump', 'heapdump'],
    ]);
    const dump = model.inputs[4]!;
    expect([dump.goVersion, dump.goarch, dump.complete, dump.exe, dump.sizeBytes]).toEqual(['go1.19.8', 'amd64', true, 'leakyapp', 2912822]);
    expect(dump.timeNanos).toMatch(/^\d{19}$/);
    expect(model.inputs[0]!.timeNanos).toMatch(/^\d{19}$/);
    expect(model.inputs[0]!.sampleTypes!.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(model.inputs[0]!.source).toBe(join(LEAKYAPP, 'heap-1.pb.gz'));
  });

  it('orders sections: comparison, heap dump, goroutines, then the profiles', () => {
    expect(model.sections.map((s) => `${s.kind}:${s.id}`)).toEqual([
      'comparison:compare-0',
      'heapdump:heap-0',
      'goroutines:goroutines',
      'profile:profile-0',
      'profile:profile-1',
      'profile:profile-2',
      'profile:profile-3',
    ]);
    expect(new Set(model.sections.map((s) => s.id)).size).toBe(model.sections.length);
  });

  it('ranks the known leaks and links each finding to a section that exists', () => {
    const titles = model.findings.map((f) => f.title).join('\n');
    expect(titles).toMatch(/main\.sessionCache/);
    expect(titles).toMatch(/main\.pinned/);
    expect(titles).toMatch(/main\.loadBlob/);
    expect(titles).toMatch(/goroutines blocked .* main\.worker/);
    expect(model.findings.length).toBeGreaterThanOrEqual(5);
    const anchors = new Set<string>(model.sections.map((s) => s.id));
    for (const s of sectionsOf(model, 'heapdump')) for (const x of s.suspects) anchors.add(x.id);
    for (const s of sectionsOf(model, 'goroutines')) for (const x of s.snapshots) anchors.add(x.id);
    for (const f of model.findings) {
      expect(f.id).toMatch(/^finding-\d+$/);
      expect(f.section, f.title).not.toBeNull();
      expect(anchors.has(f.section!), `${f.title} → ${f.section}`).toBe(true);
    }
    const growth = model.findings.find((f) => f.kind === 'growing-alloc-site' && f.subject === 'main.loadBlob')!;
    expect(growth.section).toBe('compare-0');
    expect(growth.evidence.values).toEqual([262144, 524288, 786432]);
    const pin = model.findings.find((f) => f.kind === 'subslice-pinning')!;
    expect(pin.section).toMatch(/^heap-0-suspect-\d$/);
    const blocked = model.findings.find((f) => f.kind === 'goroutines-blocked')!;
    expect(blocked.section).toMatch(/^goroutines-\d$/);
  });

  it('compares the heap series first → last with the comparison engine numbers', () => {
    const c = sectionsOf(model, 'comparison')[0]! as ComparisonSection;
    expect([c.base, c.target, c.series]).toEqual(['heap-1.pb.gz', 'heap-3.pb.gz', ['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz']]);
    expect(c.sampleType.type).toBe('inuse_space');
    const base = profile(join(LEAKYAPP, 'heap-1.pb.gz')).profile;
    const target = profile(join(LEAKYAPP, 'heap-3.pb.gz')).profile;
    const f = diffFlame(base, target, { sampleIndex: c.sampleIndex, minFraction: c.flame.minFraction });
    expect(unpackDiffTree(c.flame, model.strings)).toEqual(f.root);
    expect([c.flame.nodeCount, c.flame.hiddenFrames]).toEqual([f.nodeCount, f.hiddenFrames]);
    const dt = diffTop(base, target, { sampleIndex: c.sampleIndex });
    expect(c.delta.totalRows).toBe(dt.rows.length);
    const rows = c.delta.name.map((n, i) => ({ name: model.strings[n], flat: c.delta.flat[i], cum: c.delta.cum[i] }));
    expect(rows).toEqual(dt.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })));
    expect(rows.find((r) => r.name === 'main.loadBlob')!.flat).toBe(786432 - 262144);
    // The side-by-side pair: each side's values, frames without width on a side left out.
    const sides = unpackDiffSides(c.flame, model.strings);
    expect(sides.base.value).toBe(f.root.base);
    expect(sides.target.value).toBe(f.root.value);
    const names = (n: { name: string; children: Array<{ name: string }> }): string[] => n.children.map((x) => x.name);
    expect(names(sides.target)).toEqual(f.root.children.filter((x) => x.value !== 0).map((x) => x.name));
    // The series: loadBlob grows 256K per snapshot.
    const lb = c.growth!.rows.find((r) => model.strings[r.name] === 'main.loadBlob')!;
    expect(lb.values).toEqual([262144, 524288, 786432]);
    expect(lb.monotonic).toBe(true);
  });

  it('draws each profile at its default sample type with the profile engine numbers', () => {
    const p3 = sectionsOf(model, 'profile').find((s) => s.input === 'heap-3.pb.gz')! as ProfileSection;
    expect(p3.views.length).toBe(1);
    const v = p3.views[0]!;
    expect(v.sampleType.type).toBe('inuse_space');
    const pr = profile(join(LEAKYAPP, 'heap-3.pb.gz')).profile;
    const f = computeFlame(pr, { sampleIndex: v.sampleIndex, minFraction: v.flame.minFraction });
    expect(unpackTree(v.flame, model.strings)).toEqual(f.root);
    expect(v.flame.minFraction).toBe(0.0005);
    const t = computeTop(pr, { sampleIndex: v.sampleIndex });
    expect(v.top.totalRows).toBe(t.rows.length);
    expect(v.top.name.map((n) => model.strings[n])).toEqual(t.rows.map((r) => r.name));
    expect(v.top.flat).toEqual(t.rows.map((r) => r.flat));
    expect(v.total).toBe(t.total);
  });

  it('explains the heap dump: roots by retained size, dominators, paths to roots of the suspects', () => {
    const h = sectionsOf(model, 'heapdump')[0]! as HeapDumpSection;
    expect(h.summary.globalsNamed).toBe(true);
    expect(h.roots.rows.slice(0, 2).map((r) => r.name)).toEqual(['global main.pinned', 'global main.sessionCache']);
    expect(h.roots.rows[0]!.retainedBytes).toBeGreaterThanOrEqual(786432);
    expect(h.roots.rows.filter((r) => r.kind === 'goroutine' && r.state === 'chan receive').length).toBe(30);
    const d = h.dominators.rows;
    expect(d[0]!.parent).toBe(-1);
    d.forEach((r, i) => {
      expect(r.parent).toBeLessThan(i);
      if (r.parent >= 0) expect(r.depth).toBe(d[r.parent]!.depth + 1);
      expect(r.shownChildren).toBeLessThanOrEqual(r.children);
    });
    expect(d.find((r) => r.label === 'global main.sessionCache')).toBeTruthy();
    expect(h.suspects.length).toBeGreaterThanOrEqual(3);
    expect(h.suspects.length).toBeLessThanOrEqual(6);
    for (const s of h.suspects) {
      expect(s.reachable).toBe(true);
      expect(s.paths.length).toBeGreaterThan(0);
      const p = s.paths[0]!;
      expect(p[0]!.root).toBeTruthy();
      expect(p[p.length - 1]!.address).toBe(s.address);
    }
    // The pinned arrays: held through an interior pointer by a sub-slice in main.pinned.
    const pinned = h.suspects.find((s) => s.allocSite?.startsWith('main.loadBlob'))!;
    expect(pinned.paths[0]![0]!.root!.name).toBe('global main.pinned');
    expect(pinned.paths[0]!.at(-1)!.interiorOffset).toBe(65536);
  });

  it('summarises goroutines by stack and wait reason', () => {
    const g = sectionsOf(model, 'goroutines')[0]! as GoroutineSection;
    expect(g.snapshots.map((s) => [s.input, s.source])).toEqual([
      ['goroutine.debug2.txt', 'debug2'],
      ['heap.dump', 'heapdump'],
    ]);
    for (const s of g.snapshots) {
      const w = s.groups.find((x) => x.function === 'main.worker')!;
      expect([w.count, w.state]).toEqual([30, 'chan receive']);
      expect(s.byState[0]).toEqual({ state: 'chan receive', count: 30 });
    }
    // Each worker's 16 KiB buffer, and its own goroutine state: its g (416 B on Go 1.19) and the
    // sudog it waits through (96 B).
    expect(g.snapshots[1]!.groups.find((x) => x.function === 'main.worker')!.retainedBytes).toBe(30 * (16384 + 416 + 96));
    expect(g.growth).toEqual([]);
  });

  it('is plain data that survives JSON unchanged', () => {
    assertPlainData(model);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});

describe.skipIf(!haveLeakyapp)('assembleReport options', () => {
  it('leaves out what the user did not choose', () => {
    const m = assembleReport(inputs(), { ...OPTS, include: { findings: false, profiles: ['heap-3.pb.gz'], comparisons: false, goroutines: false } });
    expect(m.findingsIncluded).toBe(false);
    expect(m.findings).toEqual([]);
    expect(m.sections.map((s) => s.kind)).toEqual(['heapdump', 'profile']);
    expect((m.sections[1] as ProfileSection).input).toBe('heap-3.pb.gz');
    // Suspects without findings: the biggest dominators.
    expect((m.sections[0] as HeapDumpSection).suspects.every((s) => !s.findingId)).toBe(true);
  });

  it('draws every sample type when asked, the default first', () => {
    const m = assembleReport(inputs().slice(2, 3), { ...OPTS, sampleTypes: 'all' });
    const p = m.sections[0] as ProfileSection;
    expect(p.views.map((v) => v.sampleType.type)).toEqual(['inuse_space', 'alloc_objects', 'alloc_space', 'inuse_objects']);
    const named = assembleReport(inputs().slice(2, 3), { ...OPTS, sampleTypes: ['alloc_space', 'nope'] });
    expect((named.sections[0] as ProfileSection).views.map((v) => v.sampleType.type)).toEqual(['alloc_space']);
  });

  it('compares the pairs asked for, and notes the ones it cannot', () => {
    const m = assembleReport(inputs(), {
      ...OPTS,
      comparisons: [
        { base: 'heap-2.pb.gz', target: 'heap-3.pb.gz', sampleIndex: 'alloc_space' },
        { base: 'heap-1.pb.gz', target: 'goroutine.debug2.txt' },
        { base: 'heap-1.pb.gz', target: 'missing.pb.gz' },
      ],
      include: { profiles: false, heapDumps: false, goroutines: false },
    });
    const cs = sectionsOf(m, 'comparison');
    expect(cs.map((c) => [c.base, c.target, c.sampleType.type, c.growth])).toEqual([['heap-2.pb.gz', 'heap-3.pb.gz', 'alloc_space', null]]);
    expect(m.notes.join('\n')).toMatch(/heap-1\.pb\.gz → goroutine\.debug2\.txt left out: incompatible profiles/);
    expect(m.notes.join('\n')).toMatch(/missing\.pb\.gz is not a profile of this report/);
    // The growth findings link to the comparison that exists for their target.
    expect(m.findings.filter((f) => f.link.view === 'diff').every((f) => f.section === 'compare-0')).toBe(true);
  });

  it('keeps input names unique', () => {
    const x = inputs()[2]!;
    const m = assembleReport([x, { ...x }], OPTS);
    expect(m.inputs.map((i) => i.name)).toEqual(['heap-3.pb.gz', 'heap-3.pb.gz (2)']);
  });

  it('reports progress and stops when cancelled', () => {
    const seen: string[] = [];
    assembleReport(inputs().slice(0, 2), { ...OPTS, task: { progress: (l) => void seen.push(l), throwIfCancelled() {} } });
    expect(seen[0]).toBe('Report: findings');
    expect(seen.at(-1)).toBe('Report: done');
    let n = 0;
    expect(() =>
      assembleReport(inputs().slice(0, 2), {
        ...OPTS,
        task: {
          progress() {},
          throwIfCancelled() {
            if (++n > 3) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
          },
        },
      }),
    ).toThrow(/cancelled/);
  });
});
