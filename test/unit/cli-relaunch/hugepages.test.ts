/**
 * When the command line starts again with huge pages (electron/cli/relaunch.ts) and what the
 * environment of the second start holds (electron/services/hugepages.ts): decided from fake
 * probes, so every branch runs on any machine.
 */
import { describe, expect, it } from 'vitest';
import { hasHugePages, hugePageEnv, HUGETLB_TUNABLE, type HugePageProbe } from '../../../electron/services/hugepages';
import { fileArgumentBytes, RELAUNCH_MIN_BYTES, wantsHugePages } from '../../../electron/cli/relaunch';

function probe(over: Partial<HugePageProbe> & { mode?: string | null; glibc?: string | null } = {}): HugePageProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    platform: over.platform ?? 'linux',
    thpMode: () => (asked.push('thp'), over.mode === undefined ? 'madvise' : over.mode),
    glibcVersion: () => (asked.push('glibc'), over.glibc === undefined ? '2.36' : over.glibc),
  };
}

describe('hugePageEnv', () => {
  it('asks glibc for huge pages on Linux with THP madvise and glibc >= 2.35, keeping the rest of the environment', () => {
    const d = hugePageEnv({ PATH: '/bin', FOO: 'x' }, probe());
    expect(d).toEqual({ env: { PATH: '/bin', FOO: 'x', GLIBC_TUNABLES: HUGETLB_TUNABLE } });
    expect(hugePageEnv({}, probe({ glibc: '2.35' }))).toHaveProperty('env');
    expect(hugePageEnv({}, probe({ glibc: '3.0' }))).toHaveProperty('env');
  });

  it('adds to tunables already set instead of replacing them', () => {
    const d = hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, probe());
    expect('env' in d && d.env.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGETLB_TUNABLE}`);
  });

  it('changes nothing, and says why, where huge pages would not help or cannot be had', () => {
    const cases: Array<[Record<string, string>, ReturnType<typeof probe>, RegExp]> = [
      [{ HEAPSCOPE_HUGEPAGES: '0' }, probe(), /HEAPSCOPE_HUGEPAGES=0/],
      [{}, probe({ platform: 'darwin' }), /not Linux \(darwin\)/],
      [{ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, probe(), /already sets glibc\.malloc\.hugetlb/],
      [{ GLIBC_TUNABLES: `x=1:${HUGETLB_TUNABLE}` }, probe(), /already sets/],
      [{}, probe({ mode: 'always' }), /already backs big allocations/],
      [{}, probe({ mode: 'never' }), /transparent huge pages are never/],
      [{}, probe({ mode: null }), /not available/],
      [{}, probe({ glibc: null }), /not glibc/],
      [{}, probe({ glibc: '2.31' }), /glibc 2\.31 predates/],
      [{}, probe({ glibc: '2.9' }), /predates/],
    ];
    for (const [env, p, why] of cases) {
      const d = hugePageEnv(env, p);
      expect(d, JSON.stringify(env)).toHaveProperty('skip');
      expect('skip' in d && d.skip).toMatch(why);
    }
  });

  it('asks the costly probe (glibc: a process report) last, only when the rest allows it', () => {
    const off = probe({ mode: 'never' });
    hugePageEnv({}, off);
    expect(off.asked).toEqual(['thp']);
    const mac = probe({ platform: 'darwin' });
    hugePageEnv({}, mac);
    expect(mac.asked).toEqual([]);
  });

  it('hasHugePages reads the tunable itself, not a prefix of another value', () => {
    expect(hasHugePages({ GLIBC_TUNABLES: HUGETLB_TUNABLE })).toBe(true);
    expect(hasHugePages({ GLIBC_TUNABLES: `a=1:${HUGETLB_TUNABLE}:b=2` })).toBe(true);
    expect(hasHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=10' })).toBe(false);
    expect(hasHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' })).toBe(false);
    expect(hasHugePages({})).toBe(false);
  });
});

describe('wantsHugePages', () => {
  const sizes: Record<string, number> = { 'big.dump': RELAUNCH_MIN_BYTES, 'half.pb': RELAUNCH_MIN_BYTES / 2, 'small.pb': 1000 };
  const size = (p: string): number | null => sizes[p] ?? null;

  it('serve always; other commands when their files reach the threshold together', () => {
    expect(wantsHugePages(['serve'], {}, size)).toBe(true);
    expect(wantsHugePages(['top', 'small.pb'], {}, size)).toBe(false);
    expect(wantsHugePages(['retain', 'big.dump'], {}, size)).toBe(true);
    expect(wantsHugePages(['diff', 'half.pb', 'half.pb'], {}, size)).toBe(true);
    expect(wantsHugePages(['diff', 'half.pb', 'small.pb'], {}, size)).toBe(false);
    expect(wantsHugePages([], {}, size)).toBe(false);
    expect(wantsHugePages(['--help'], {}, size)).toBe(false);
  });

  it('options are not files; HEAPSCOPE_HUGEPAGES forces either way', () => {
    expect(fileArgumentBytes(['--big.dump', 'small.pb', '-'], size)).toBe(1000);
    expect(wantsHugePages(['top', 'small.pb'], { HEAPSCOPE_HUGEPAGES: '1' }, size)).toBe(true);
    expect(wantsHugePages(['serve'], { HEAPSCOPE_HUGEPAGES: '0' }, size)).toBe(false);
    // never under a debugger
    expect(wantsHugePages(['serve'], {}, size, ['--inspect-brk=9230'])).toBe(false);
    expect(wantsHugePages(['serve'], { NODE_OPTIONS: '--max-old-space-size=4096 --inspect' }, size, [])).toBe(false);
    expect(wantsHugePages(['serve'], { NODE_OPTIONS: '--max-old-space-size=4096' }, size, ['--max-old-space-size=8192'])).toBe(true);
    // the second start never starts a third
    expect(wantsHugePages(['serve'], { HEAPSCOPE_RELAUNCHED: '1', HEAPSCOPE_HUGEPAGES: '1' }, size)).toBe(false);
  });
});
