/**
 * Flame graph colours by Go package (renderer/src/flame/colors.ts) and the chart's own tree copy
 * and search summary (renderer/src/flame/model.ts).
 */
import { describe, expect, it } from 'vitest';
import { colorForName, DARK_PALETTE, hashString, hueOfPackage, LIGHT_PALETTE, packageOf } from '../../../renderer/src/flame/colors';
import { hierarchy, partition, type HierarchyRectangularNode } from 'd3-hierarchy';
import { chartTrees, summarizeMatches, toChartTree, visibleTree, type ChartNode } from '../../../renderer/src/flame/model';
import { makeMatcher } from '../../../renderer/src/lib/regex';
import type { FlameNode } from '../../../shared/api/types';

describe('packageOf', () => {
  it('finds the Go package path of function names', () => {
    const cases: Array<[string, string]> = [
      ['runtime.mallocgc', 'runtime'],
      ['main.main', 'main'],
      ['main.main.func1', 'main'],
      ['main.(*Server).handle', 'main'],
      ['net/http.(*conn).serve', 'net/http'],
      ['net/http.HandlerFunc.ServeHTTP', 'net/http'],
      ['pkg/sub.func', 'pkg/sub'],
      ['github.com/x/y/pkg.(*T).Method', 'github.com/x/y/pkg'],
      ['github.com/x/y/pkg.(*T).Method.func2', 'github.com/x/y/pkg'],
      ['sync/atomic.(*Pointer[net/http.x]).Load', 'sync/atomic'],
      ['example.com/m.Map[go.shape.string,go.shape.int]', 'example.com/m'],
      ['runtime/internal/atomic.Xadd64', 'runtime/internal/atomic'],
    ];
    for (const [name, pkg] of cases) expect(packageOf(name), name).toBe(pkg);
  });

  it('reads the lines granularity ("func file:line") by its function', () => {
    expect(packageOf('main.work /src/app/main.go:42')).toBe('main');
    expect(packageOf('github.com/x/y/pkg.(*T).M /home/u/go/pkg/mod/github.com/x/y/pkg/t.go:7')).toBe('github.com/x/y/pkg');
  });

  it('reads the files granularity by its folder', () => {
    expect(packageOf('/usr/lib/go/src/runtime/malloc.go')).toBe('/usr/lib/go/src/runtime');
    expect(packageOf('/usr/lib/go/src/runtime/asm_amd64.s')).toBe('/usr/lib/go/src/runtime');
    expect(packageOf('main.go')).toBe('main.go');
  });

  it('keeps names without a package as they are', () => {
    expect(packageOf('[unknown]')).toBe('[unknown]');
    expect(packageOf('root')).toBe('root');
  });

  // BUG (minor, found by this test): a function called c, h or s (`main.h`) is taken for a file
  // name (the files-granularity rule tests the suffix .c/.h/.s first), so it gets package "main.h"
  // and a different hue from the rest of main. Flip to `it` once fixed.
  it.fails('does not take a one-letter function named like a file suffix for a file', () => {
    expect(packageOf('main.h')).toBe('main');
    expect(packageOf('github.com/x/y.s')).toBe('github.com/x/y');
  });
});

describe('hashString (FNV-1a 32)', () => {
  it('matches the reference values', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('is an unsigned 32-bit integer', () => {
    for (const s of ['runtime', 'main', 'net/http', 'x'.repeat(1000)]) {
      const h = hashString(s);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });
});

describe('hueOfPackage / colorForName', () => {
  it('is stable: the same package always gets the same hue', () => {
    const pkgs = ['main', 'net/http', 'github.com/x/y/pkg', 'encoding/json'];
    const first = pkgs.map(hueOfPackage);
    expect(pkgs.map(hueOfPackage)).toEqual(first);
    // exact values: a changed hash or band would recolour every saved screenshot
    expect(hueOfPackage('main')).toBe((hashString('main') % 300) + 50);
    expect(hueOfPackage('runtime')).toBe(18 + (hashString('runtime') % 22));
  });

  it('gives the runtime and internal packages a warm band of their own', () => {
    for (const p of ['runtime', 'runtime/internal/atomic', 'internal/poll', 'internal/runtime/maps']) {
      const h = hueOfPackage(p);
      expect(h, p).toBeGreaterThanOrEqual(18);
      expect(h, p).toBeLessThan(40);
    }
  });

  it('keeps user packages out of the runtime band', () => {
    for (let i = 0; i < 500; i++) {
      const h = hueOfPackage(`github.com/u/p${i}`);
      expect(h).toBeGreaterThanOrEqual(50);
      expect(h).toBeLessThan(350);
    }
    // "runtimex" is not the runtime
    expect(hueOfPackage('runtimex')).toBeGreaterThanOrEqual(50);
  });

  const hueOf = (css: string): number => Number(/^hsl\((\d+), /.exec(css)![1]);

  it('colours every frame of one package with one hue, methods and closures included', () => {
    const names = ['github.com/x/y/pkg.New', 'github.com/x/y/pkg.(*T).Method', 'github.com/x/y/pkg.(*T).Method.func1', 'github.com/x/y/pkg.T.Value', 'github.com/x/y/pkg.Map[go.shape.int]'];
    const hues = new Set(names.map((n) => hueOf(colorForName(n, LIGHT_PALETTE))));
    expect(hues.size).toBe(1);
    expect([...hues][0]).toBe(hueOfPackage('github.com/x/y/pkg'));
  });

  it('tells a package from its sub-package', () => {
    expect(hueOf(colorForName('pkg/sub.func', LIGHT_PALETTE))).toBe(hueOfPackage('pkg/sub'));
    expect(hueOf(colorForName('pkg.func', LIGHT_PALETTE))).toBe(hueOfPackage('pkg'));
  });

  it('uses the palette saturation and lightness, jittered by at most ±5 per function', () => {
    for (const p of [LIGHT_PALETTE, DARK_PALETTE, LIGHT_PALETTE.dimmed]) {
      for (const n of ['main.a', 'main.b', 'main.c', 'runtime.gcBgMarkWorker', 'net/http.(*conn).serve']) {
        const m = /^hsl\((\d+), (\d+)%, (\d+)%\)$/.exec(colorForName(n, p));
        expect(m, n).not.toBeNull();
        expect(Number(m![2])).toBe(p.saturation);
        expect(Math.abs(Number(m![3]) - p.lightness)).toBeLessThanOrEqual(5);
      }
    }
    expect(colorForName('main.a', LIGHT_PALETTE)).toBe(colorForName('main.a', LIGHT_PALETTE));
  });

  it('has a washed-out palette for search misses that points to itself', () => {
    expect(LIGHT_PALETTE.dimmed.saturation).toBeLessThan(LIGHT_PALETTE.saturation);
    expect(LIGHT_PALETTE.dimmed.dimmed).toBe(LIGHT_PALETTE.dimmed);
    expect(DARK_PALETTE.dimmed.highlight).toBe(DARK_PALETTE.highlight);
  });
});

function node(name: string, value: number, children: FlameNode[] = [], self = 0): FlameNode {
  return { name, value, self, children };
}

describe('toChartTree', () => {
  it('copies names, values, self and hidden-frame nodes; marks only the root', () => {
    const src = node('root', 100, [node('main.a', 60, [node('main.b', 40, [], 40)], 20), { ...node('12 frames hidden', 40), hiddenFrames: 12 }]);
    const t = toChartTree(src);
    expect(t).toEqual({
      name: 'root',
      value: 100,
      self: 0,
      isRoot: true,
      children: [
        { name: 'main.a', value: 60, self: 20, children: [{ name: 'main.b', value: 40, self: 40, children: [] }] },
        { name: '12 frames hidden', value: 40, self: 0, hiddenFrames: 12, children: [] },
      ],
    });
  });

  it('keeps server fields d3-flame-graph would read (n, v, c, extras, fade) out of the copy', () => {
    const hostile = { ...node('main.x', 5), n: 'evil', v: 999, c: 1, l: 2, extras: { a: 1 }, fade: true, hide: true } as unknown as FlameNode;
    const t = toChartTree(node('root', 5, [hostile]));
    expect(Object.keys(t.children[0]!).sort()).toEqual(['children', 'name', 'self', 'value']);
  });

  it('is a deep copy: flags the chart writes never reach the source', () => {
    const src = node('root', 10, [node('main.a', 10)]);
    const t = toChartTree(src);
    t.children[0]!.fade = true;
    t.children[0]!.children.push({ name: 'x', value: 1, self: 1, children: [] });
    expect(src.children[0]).toEqual(node('main.a', 10));
  });

  it('handles very deep stacks without recursion', () => {
    const depth = 50_000;
    let leaf = node(`f${depth}`, 1, [], 1);
    for (let i = depth - 1; i >= 1; i--) leaf = node(`f${i}`, 1, [leaf]);
    const t = toChartTree(node('root', 1, [leaf]));
    let d = 0;
    let n: ChartNode | undefined = t;
    while (n.children.length) {
      n = n.children[0]!;
      d++;
    }
    expect(d).toBe(depth);
    expect(n.name).toBe(`f${depth}`);
  });

  it('stringifies non-string names', () => {
    const t = toChartTree(node(42 as unknown as string, 1, [node(7 as unknown as string, 1)]));
    expect(t.name).toBe('42');
    expect(t.children[0]!.name).toBe('7');
  });
});

describe('summarizeMatches', () => {
  const tree = toChartTree(
    node('root', 100, [
      node('main.leak', 50, [node('main.leak', 30, [node('main.helper', 10)])]),
      node('main.work', 40, [node('main.leak', 15), node('main.helper', 5)]),
      { ...node('main.leak hidden', 10), hiddenFrames: 3 },
    ]),
  );

  it('sums matches without counting a match inside a match (pprof rule), counts every frame', () => {
    expect(summarizeMatches(tree, makeMatcher('main.leak', 'exact')!)).toEqual({ value: 65, frames: 3 });
  });

  it('never matches the root or a hidden-frames node', () => {
    expect(summarizeMatches(tree, makeMatcher('root', 'substring')!)).toEqual({ value: 0, frames: 0 });
    expect(summarizeMatches(tree, makeMatcher('hidden', 'substring')!)).toEqual({ value: 0, frames: 0 });
  });

  it('sums siblings', () => {
    expect(summarizeMatches(tree, makeMatcher('helper', 'substring')!)).toEqual({ value: 15, frames: 2 });
    expect(summarizeMatches(tree, makeMatcher('^main\\.', 'regex')!)).toEqual({ value: 90, frames: 6 });
  });
});

describe('visibleTree (a big tree\'s first draw)', () => {
  /** A random tree of cumulative values: children sum to at most their parent, any order of sizes. */
  function randomTree(seed: number, nodes: number): ChartNode {
    let x = seed;
    const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const root: ChartNode = { name: 'root', value: 1e6, self: 0, isRoot: true, children: [] };
    const all = [root];
    for (let i = 0; i < nodes; i++) {
      const parent = all[Math.floor(rnd() * all.length)]!;
      const used = parent.children.reduce((s, c) => s + c.value, 0);
      const room = parent.value - used;
      if (room < 1) continue;
      // mostly tiny frames (under a pixel), some wide ones, and callees that take all that is left
      // (deep stacks of one width: a frame just over a pixel whose callee is too)
      const r = rnd();
      const v = r < 0.25 ? Math.floor(room) : r < 0.8 ? Math.max(1, Math.floor(room * rnd() * 0.01)) : Math.max(1, Math.floor(room * rnd() * 0.6));
      const c: ChartNode = { name: `f${i}`, value: v, self: 0, children: [] };
      if (rnd() < 0.02) c.hiddenFrames = 3;
      parent.children.push(c);
      all.push(c);
    }
    return root;
  }

  /** d3-flame-graph's layout (d3-hierarchy's partition, the library's own) of the frames wider than one pixel, by path. */
  function drawn(root: ChartNode, width: number): Map<string, { x0: number; x1: number; rest: string }> {
    // d3-flame-graph gives each node its cumulative value (not d3's sum), then partitions.
    const tree = hierarchy(root, (d) => d.children);
    tree.each((n) => ((n as { value?: number }).value = n.data.value));
    const h: HierarchyRectangularNode<ChartNode> = partition<ChartNode>()(tree);
    const out = new Map<string, { x0: number; x1: number; rest: string }>();
    h.each((n) => {
      const w = (n.x1 - n.x0) * width;
      if (w > 1) out.set(n.ancestors().map((a) => a.data.name).reverse().join('/'), { x0: n.x0 * width, x1: n.x1 * width, rest: `${n.depth} ${n.data.value} ${n.data.hiddenFrames ?? ''}` });
    });
    return out;
  }

  function size(n: ChartNode): number {
    let k = 0;
    const st = [n];
    while (st.length) {
      const c = st.pop()!;
      k++;
      st.push(...c.children);
    }
    return k;
  }

  for (const seed of [1, 2, 3, 4, 5]) {
    for (const width of [120, 589, 1400]) {
      it(`draws the same boxes in the same places as the whole tree (seed ${seed}, ${width} px), from fewer nodes`, () => {
        const full = randomTree(seed, 4000);
        const before = JSON.stringify(full);
        const vis = visibleTree(full, width);
        expect(JSON.stringify(full)).toBe(before); // the input is not changed
        const want = drawn(full, width);
        expect(want.size).toBeGreaterThan(3);
        const got = drawn(vis, width);
        expect([...got.keys()]).toEqual([...want.keys()]);
        for (const [k, w] of want) {
          const g = got.get(k)!;
          // the same place to a millionth of a pixel (sums in another order differ in the last bits)
          expect(Math.abs(g.x0 - w.x0)).toBeLessThan(1e-6);
          expect(Math.abs(g.x1 - w.x1)).toBeLessThan(1e-6);
          expect(g.rest).toBe(w.rest);
        }
        expect(size(vis)).toBeLessThan(size(full));
      });
    }
  }

  it('keeps a frame under a pixel (its siblings keep their places) but not its children', () => {
    const leaf = (name: string, value: number): ChartNode => ({ name, value, self: value, children: [] });
    const tiny = { ...leaf('tiny', 1), children: [leaf('tiny.child', 1)] };
    const root: ChartNode = { name: 'root', value: 1000, self: 0, isRoot: true, children: [tiny, { ...leaf('wide', 999), children: [leaf('wide.child', 500)] }] };
    const vis = visibleTree(root, 100); // 1 of 1000 is 0.1 px; 999 is 99.9 px
    // 'tiny' is under a pixel: a nameless spacer of its value keeps 'wide' in its place
    expect(vis.children.map((c) => [c.name, c.value])).toEqual([['', 1], ['wide', 999]]);
    expect(vis.children[0]!.children).toEqual([]);
    expect(vis.children[1]!.children.map((c) => c.name)).toEqual(['wide.child']);
    expect(vis.isRoot).toBe(true);
  });

  it('sums a run of narrow callees into spacers each under a pixel, and drops a run after the last wide one', () => {
    const leaf = (name: string, value: number): ChartNode => ({ name, value, self: value, children: [] });
    // at 100 px a pixel is 10: seven callees of 3 (0.3 px each), then a wide one, then three more narrow ones
    const kids = [...Array.from({ length: 7 }, (_, i) => leaf(`n${i}`, 3)), leaf('wide', 900), leaf('a', 2), leaf('b', 2), leaf('c', 2)];
    const root: ChartNode = { name: 'root', value: 1000, self: 0, isRoot: true, children: kids };
    const vis = visibleTree(root, 100);
    expect(vis.children.map((c) => [c.name, c.value])).toEqual([['', 9], ['', 9], ['', 3], ['wide', 900]]);
  });

  it('copes with a very deep stack (no recursion)', () => {
    const root: ChartNode = { name: 'root', value: 10, self: 0, isRoot: true, children: [] };
    let n = root;
    for (let i = 0; i < 200_000; i++) {
      const c: ChartNode = { name: `d${i}`, value: 10, self: 0, children: [] };
      n.children.push(c);
      n = c;
    }
    expect(size(visibleTree(root, 1000))).toBe(200_001);
  });
});

describe('chartTrees', () => {
  const src: FlameNode = {
    name: 'root',
    value: 100,
    self: 0,
    children: [
      { name: 'a', value: 60, self: 10, children: [{ name: 'a1', value: 50, self: 50, children: [] }] },
      { name: '3 frames hidden', value: 40, self: 40, children: [], hiddenFrames: 3 },
    ],
  };
  it('counts the frames, makes the whole tree once, and the visible one from the result itself', () => {
    const t = chartTrees(src);
    expect(t.frames).toBe(4);
    const full = t.full();
    expect(t.full()).toBe(full);
    expect(full).toEqual(toChartTree(src));
    for (const w of [1, 50, 1000]) expect(t.visible(w)).toEqual(visibleTree(toChartTree(src), w));
    expect(t.visible(1000).isRoot).toBe(true);
  });
});
