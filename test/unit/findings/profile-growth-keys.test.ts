/**
 * Heap profile growth is keyed by the program's function that allocated (see sampled-growth.test.ts
 * for real Go profiles). Stacks made only of runtime frames (a goroutine's g, from runtime.malg)
 * are no allocating function: thousands of new goroutines are the goroutine findings' to report,
 * not an "(unknown)" allocation site (a review caught a HIGH "(unknown): in-use memory grew").
 * Files opened (os.newFile) stay the file pattern's subject: under main.fill, which also fills a
 * cache, they would have been main.fill's growth.
 */
import { describe, expect, it } from 'vitest';
import { computeFindings, type FindingsInput } from '../../../shared/findings';
import { inuseByAllocatingFunction } from '../../../shared/findings/rules/growth';
import type { ImportedProfile } from '../../../shared/profile';
import { ProfileBuilder } from '../../../shared/profile/builder';

const MiB = 1 << 20;

/** A heap profile: main.cache's growth through strings.Repeat, and goroutines' g (runtime only). */
function heap(name: string, cacheBytes: number, gBytes: number, files = 0): FindingsInput {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_objects', 'count'), b.valueType('inuse_space', 'bytes')];
  const fn = (n: string) => b.func(n, `${n.split('.')[0]}.go`);
  const loc = (n: string) => b.location(n, 0, [{ func: fn(n), line: 1 }]);
  b.sample([loc('internal/bytealg.MakeNoZero'), loc('strings.Repeat'), loc('main.fill'), loc('main.main')], [1, cacheBytes]);
  b.sample([loc('runtime.malg'), loc('runtime.newproc1'), loc('runtime.newproc.func1'), loc('runtime.systemstack')], [1, gBytes]);
  b.sample([loc('main.other'), loc('main.main')], [1, 4 * MiB]);
  if (files) b.sample([loc('os.newFile'), loc('os.openFileNolog'), loc('os.OpenFile'), loc('main.fill'), loc('main.main')], [files, files * 1024]);
  const profile = b.build();
  const imported = { profile, profileKind: 'heap', format: 'pprof', warnings: [] } as unknown as ImportedProfile;
  return { name, kind: 'profile', imported };
}

describe('heap profile growth keys', () => {
  it("charges a standard library leaf to the program's function, and drops runtime-only stacks", () => {
    const p = heap('h', 8 * MiB, 5 * MiB);
    const byFn = inuseByAllocatingFunction((p as Extract<FindingsInput, { kind: 'profile' }>).imported.profile, 1);
    expect([...byFn.bytes.entries()].sort()).toEqual([['main.fill', 8 * MiB], ['main.other', 4 * MiB]]);
    expect(byFn.total).toBe(17 * MiB);
    expect([...byFn.leaves.get('main.fill')!.entries()]).toEqual([['strings.Repeat', 8 * MiB]]);
    expect(inuseByAllocatingFunction((p as Extract<FindingsInput, { kind: 'profile' }>).imported.profile, -1).bytes.size).toBe(0);
  });

  it('goroutines growing in number make no allocation finding; the cache does', () => {
    const fs = computeFindings([heap('h1', 8 * MiB, 4 * 1024), heap('h2', 16 * MiB, 2 * MiB), heap('h3', 24 * MiB, 5 * MiB)]).findings;
    expect(fs.map((f) => [f.kind, f.subject])).toEqual([['growing-alloc-site', 'main.fill']]);
    expect(fs[0]!.title).toMatch(/^main\.fill \(via strings\.Repeat\): in-use memory grew 8 MiB → 24 MiB over 3 heap profiles/);
  });

  it("files opened stay the file pattern's subject, whoever opened them", () => {
    const fs = computeFindings([heap('h1', 8 * MiB, 0, 100), heap('h2', 8 * MiB, 0, 2000), heap('h3', 8 * MiB, 0, 4000)]).findings;
    expect(fs.map((f) => [f.kind, f.subject])).toEqual([['file-not-closed', 'os.newFile']]);
  });
});
