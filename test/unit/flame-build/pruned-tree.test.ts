/**
 * The flame graph's call tree is pruned while it is built (sorted frame sequences + LCP: no node
 * of a hidden subtree is made). It must equal the tree the whole trie gives, pruned afterwards
 * (buildFlameTrie): same visible nodes in the same order, same values and self, same
 * "N frames hidden (X%)" nodes, same nodeCount and hiddenFrames. Checked on real profiles of every
 * kind (leakyapp, the Go matrix), random synthetic profiles of several shapes, a diff profile
 * (negative values), top-down and inverted, at several thresholds, with filters.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareProfiles, computeFlame } from '../../../shared/profile';
import { buildFlameTrie } from '../../../shared/profile/analysis/flame';
import { buildView, resolveSampleIndex } from '../../../shared/profile/analysis/view';
import { defaultSampleIndex, sampleTypeNames, type Profile } from '../../../shared/profile/model';
import { syntheticCpuProfile } from '../../bench/synthetic-profile';
import { matrixRuns } from '../../helpers/matrix';
import { LEAKYAPP, load } from '../profile/helpers';

function reference(p: Profile, q: { sampleIndex?: number; inverted?: boolean; minFraction?: number; filters?: Record<string, string> }) {
  const si = resolveSampleIndex(p, q.sampleIndex, defaultSampleIndex(p));
  const v = buildView(p, { sampleIndex: si, granularity: 'functions', filters: q.filters });
  return buildFlameTrie(v, { inverted: q.inverted, minFraction: q.minFraction });
}

function same(p: Profile, what: string): void {
  const nT = sampleTypeNames(p).length;
  for (let si = 0; si < nT; si++) {
    for (const inverted of [false, true]) {
      for (const minFraction of [0, 0.0005, 0.01, 0.2]) {
        const want = reference(p, { sampleIndex: si, inverted, minFraction });
        const got = computeFlame(p, { sampleIndex: si, inverted, minFraction });
        expect(got.nodeCount, `${what} si=${si} inv=${inverted} mf=${minFraction}`).toBe(want.nodeCount);
        expect(got.hiddenFrames, `${what} si=${si} inv=${inverted} mf=${minFraction}`).toBe(want.hiddenFrames);
        expect(got.root, `${what} si=${si} inv=${inverted} mf=${minFraction}`).toEqual(want.root);
      }
    }
  }
}

describe('the pruned call tree equals the whole tree pruned afterwards', () => {
  it('real profiles (leakyapp, Go 1.19)', () => {
    const files = readdirSync(LEAKYAPP).filter((f) => /\.(pb\.gz|debug1\.txt|debug2\.txt)$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) same(load(join(LEAKYAPP, f)).profile, f);
  });

  it('real profiles of the matrix (Go 1.26, 1.27)', () => {
    const runs = matrixRuns().filter((r) => r.version !== '1.19' && r.program === 'service');
    for (const r of runs) for (const f of ['cpu.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'mutex.pb.gz']) {
      try {
        same(load(join(r.dir, f)).profile, `go${r.version}/${r.program}/${f}`);
      } catch (e) {
        if ((e as { code?: string }).code === 'NOT_FOUND' || /ENOENT/.test(String(e))) continue;
        throw e;
      }
    }
  });

  it('random synthetic profiles of several shapes', () => {
    const shapes = [
      { samples: 3000, locations: 400, functions: 300, fanout: 3, minDepth: 1, maxDepth: 30, seed: 1 },
      { samples: 2000, locations: 2000, functions: 1500, fanout: 40, minDepth: 5, maxDepth: 60, seed: 2 },
      { samples: 500, locations: 30, functions: 10, fanout: 2, minDepth: 50, maxDepth: 200, seed: 3 }, // deep, recursive, shared prefixes
      { samples: 1, locations: 10, functions: 5, fanout: 2, minDepth: 3, maxDepth: 4, seed: 4 },
    ];
    for (const sh of shapes) same(syntheticCpuProfile(sh), JSON.stringify(sh));
  });

  it('a diff profile (negative values prune on magnitude)', () => {
    const a = syntheticCpuProfile({ samples: 1500, locations: 300, functions: 200, fanout: 4, minDepth: 3, maxDepth: 20, seed: 5 });
    const b = syntheticCpuProfile({ samples: 1500, locations: 300, functions: 200, fanout: 4, minDepth: 3, maxDepth: 20, seed: 6 });
    same(compareProfiles(b, a, 'diff_base'), 'diff');
  });

  it('with filters (focus, hide)', () => {
    const p = syntheticCpuProfile({ samples: 2000, locations: 500, functions: 300, fanout: 6, minDepth: 3, maxDepth: 25, seed: 8 });
    const cases: Array<Record<string, string>> = [{ focus: 'Method1' }, { hide: 'pkg1[0-9]/' }, { ignore: 'Method2' }];
    for (const filters of cases) {
      for (const minFraction of [0, 0.001]) {
        const want = reference(p, { minFraction, filters });
        const got = computeFlame(p, { minFraction, filters });
        expect(got.root, JSON.stringify(filters)).toEqual(want.root);
        expect([got.nodeCount, got.hiddenFrames]).toEqual([want.nodeCount, want.hiddenFrames]);
      }
    }
  });
});
