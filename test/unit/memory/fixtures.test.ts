/**
 * Acceptance 1 of issue 13 on real Go output (test/fixtures/modern/memory/go1.XX/, one run of
 * go/main.go per version: a heap dump, then runtime.ReadMemStats right after it; the heap
 * profile's debug=1 text; /debug/vars as expvar served it; the gctrace log of the same run).
 *
 *  - `heapscope memory --json` on the dump agrees with the program's own ReadMemStats: Sys,
 *    HeapInuse, HeapIdle, HeapReleased, StackInuse, NextGC within 5%;
 *  - the breakdown sums to Sys within 1% (exactly, in fact, for one ReadMemStats);
 *  - the debug=1 trailer is read exactly: every "# Name = N" line, LastGC (> 2^53) included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../electron/cli/main';
import { nodeIO, type CliIO } from '../../../electron/cli/io';
import { parseExpvarMemStats, parseMemStatsTrailer, PART_NAMES } from '../../../shared/memory';

const DIR = join(__dirname, '..', '..', 'fixtures', 'modern', 'memory');
const VERSIONS = ['go1.19', 'go1.26', 'go1.27'];

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = { ...nodeIO, stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false };
  process.exitCode = undefined;
  const code = await main(args, io);
  process.exitCode = undefined;
  return { out, err, code };
}
afterEach(() => {
  process.exitCode = undefined;
});

interface JsonOut {
  sources: Array<{ file: string; source: string; stats: Record<string, number>; breakdown: Array<{ name: string; bytes: number; explanation: string }> }>;
}

/** The exact digits of a stats field in the raw JSON text (JSON.parse would round LastGC). */
function rawField(json: string, index: number, field: string): string {
  const src = json.split('{"file":')[index + 1]!;
  const m = new RegExp(`"${field}":(\\d+)`).exec(src.slice(src.indexOf('"stats":')));
  return m ? m[1]! : '';
}

describe.each(VERSIONS)('memory accounting on %s', (v) => {
  const dir = join(DIR, v);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { goVersion: string; goroutines: number; memStats: Record<string, number> };

  it('memory --json on the heap dump agrees with runtime.ReadMemStats taken right after it', async () => {
    const r = await run(['memory', join(dir, 'heap.dump.gz'), '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as JsonOut;
    expect(Object.keys(j)).toEqual(['sources']);
    expect(j.sources).toHaveLength(1);
    const s = j.sources[0]!;
    expect(Object.keys(s)).toEqual(['file', 'source', 'stats', 'breakdown']);
    expect(s.source).toBe('heapdump');
    for (const f of ['Sys', 'HeapInuse', 'HeapIdle', 'HeapReleased', 'StackInuse', 'NextGC']) {
      const want = expected.memStats[f]!;
      expect(want, f).toBeGreaterThan(0);
      expect(Math.abs(s.stats[f]! - want) / want, `${f}: dump ${s.stats[f]} vs ReadMemStats ${want}`).toBeLessThanOrEqual(0.05);
    }
    const sum = s.breakdown.reduce((a, p) => a + p.bytes, 0);
    expect(Math.abs(sum - s.stats.Sys!) / s.stats.Sys!).toBeLessThanOrEqual(0.01);
    expect(s.breakdown.map((p) => p.name)).toEqual(Object.values(PART_NAMES));
    for (const p of s.breakdown) {
      expect(p.bytes, p.name).toBeGreaterThanOrEqual(0);
      expect(p.explanation.length, p.name).toBeGreaterThan(40);
    }
    // Explanations that follow from the numbers: headroom to NextGC, stacks ≈ goroutines × size.
    const live = s.breakdown.find((p) => p.name === 'live heap')!;
    expect(live.explanation).toMatch(/GOGC headroom: the next GC starts when the heap reaches NextGC = /);
    const stacks = s.breakdown.find((p) => p.name === 'goroutine stacks')!;
    // The dump's goroutine records (the program's NumGoroutine plus system goroutines).
    expect(Number(/(\d[\d,]*) goroutines × about/.exec(stacks.explanation)?.[1]?.replace(/,/g, ''))).toBeGreaterThanOrEqual(expected.goroutines);
    // LastGC passes 2^53 and is printed exactly (a JSON integer, its digits from the dump).
    expect(rawField(r.out, 0, 'LastGC')).toMatch(/^1\d{18}$/);
  });

  it('reads the debug=1 trailer exactly, every integer line', async () => {
    const text = readFileSync(join(dir, 'heap.debug1.txt'), 'utf8');
    const block = text.slice(text.indexOf('# runtime.MemStats\n'));
    const want: Record<string, string> = {};
    for (const line of block.split('\n').slice(1)) {
      const pair = /^# (Stack|MSpan|MCache) = (\d+) \/ (\d+)$/.exec(line);
      if (pair) {
        want[`${pair[1]}Inuse`] = pair[2]!;
        want[`${pair[1]}Sys`] = pair[3]!;
        continue;
      }
      const m = /^# ([A-Za-z]+) = (\d+)$/.exec(line);
      if (m && m[1] !== 'MaxRSS') want[m[1]!] = m[2]!;
    }
    expect(Object.keys(want).length).toBeGreaterThanOrEqual(25);
    const t = parseMemStatsTrailer(text, 'heap.debug1.txt');
    expect(t.stats).toEqual(want);
    expect(BigInt(t.stats.LastGC!)).toBeGreaterThan(2n ** 53n);
    expect(t.maxRss).toBe(Number(/^# MaxRSS = (\d+)$/m.exec(text)![1]));

    const r = await run(['memory', join(dir, 'heap.debug1.txt'), '--json']);
    expect(r.code).toBe(0);
    const s = (JSON.parse(r.out) as JsonOut).sources[0]!;
    expect(s.source).toBe('heap-debug1');
    for (const k of Object.keys(want)) expect(rawField(r.out, 0, k), k).toBe(want[k]);
    // One ReadMemStats: the parts add up to Sys exactly.
    expect(s.breakdown.reduce((a, p) => a + p.bytes, 0)).toBe(Number(want.Sys));
  });

  it('reads /debug/vars (expvar) exactly, and the gctrace log of the same run', async () => {
    const body = readFileSync(join(dir, 'vars.json'), 'utf8');
    const stats = parseExpvarMemStats(body, 'vars.json');
    const memstats = body.slice(body.indexOf('"memstats":'));
    for (const [k, val] of Object.entries(stats)) expect(memstats.includes(`"${k}":${val},`), k).toBe(true);
    expect(stats.LastGC).toMatch(/^1\d{18}$/);
    const r = await run(['memory', join(dir, 'vars.json'), join(dir, 'gctrace.txt'), join(dir, 'heap.pb.gz'), '--json']);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out) as JsonOut;
    expect(j.sources.map((s) => s.source)).toEqual(['expvar', 'gctrace']);
    const ev = j.sources[0]!;
    expect(ev.breakdown.reduce((a, p) => a + p.bytes, 0)).toBe(ev.stats.Sys);
    const gc = j.sources[1]!;
    const last = readFileSync(join(dir, 'gctrace.txt'), 'utf8').trim().split('\n').filter((l) => l.startsWith('gc ')).pop()!;
    const m = /gc (\d+) .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal/.exec(last)!;
    expect(gc.stats).toEqual({ NumGC: Number(m[1]), HeapAlloc: Number(m[3]) * 2 ** 20, NextGC: Number(m[5]) * 2 ** 20 });
    expect(gc.breakdown[0]).toMatchObject({ name: 'live heap', bytes: Number(m[4]) * 2 ** 20 });
  });

  it('prints the breakdown, the profile total beside it and the explanations as text', async () => {
    const r = await run(['memory', join(dir, 'heap.dump.gz'), join(dir, 'heap.pb.gz')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/heap\.dump\.gz \(heap dump MemStats record\)\n {2}Sys +\d/);
    expect(r.out).toMatch(/heap profile in use +[\d.]+ [KM]iB {2}\(inuse_space of .*heap\.pb\.gz\)/);
    expect(r.out).toContain('cgo');
    expect(r.out).toContain('syscall.Mmap');
  });
});

describe('memory: bad input', () => {
  it('names the file and the format', async () => {
    const r = await run(['memory', join(DIR, 'go1.27', 'expected.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expected\.json.*(expvar|memstats)/);
    const g = await run(['memory', join(DIR, 'README.md')]);
    expect(g.code).toBe(1);
    expect(g.err).toMatch(/README\.md/);
  });
});
