/**
 * The flame graph's own node shape. FlameResult.root is copied into it (iteratively: stacks can be
 * deep) so that:
 * - d3-flame-graph only ever sees the fields we mean it to read (it also looks for `n`, `v`, `c`,
 *   `l`, `d`, `extras` shortcuts; a clean copy keeps server data from steering it);
 * - the library's in-place flags (`fade`, `hide`) never leak into the React state's FlameResult.
 */
import type { FlameNode } from '../../../shared/api/types';
import type { Matcher } from '../lib/regex';

export interface ChartNode {
  name: string;
  /** Cumulative value. */
  value: number;
  self: number;
  /** Set on the synthetic node standing for frames merged by pruning. */
  hiddenFrames?: number;
  isRoot?: boolean;
  children: ChartNode[];
  // written by d3-flame-graph
  fade?: boolean;
  hide?: boolean;
}

export function toChartTree(root: FlameNode): ChartNode {
  const out: ChartNode = { name: String(root.name), value: root.value, self: root.self, isRoot: true, children: [] };
  const stack: Array<[FlameNode, ChartNode]> = [[root, out]];
  while (stack.length) {
    const [src, dst] = stack.pop()!;
    const kids = src.children ?? [];
    for (const k of kids) {
      const c: ChartNode = { name: String(k.name), value: k.value, self: k.self, children: [] };
      if (k.hiddenFrames) c.hiddenFrames = k.hiddenFrames;
      dst.children.push(c);
      if (k.children && k.children.length) stack.push([k, c]);
    }
  }
  return out;
}

export interface MatchSummary {
  /** Sum of the values of matching frames, not counting a match inside another match (pprof's rule). */
  value: number;
  /** Number of matching frames. */
  frames: number;
}

export function summarizeMatches(root: ChartNode, m: Matcher): MatchSummary {
  let value = 0;
  let frames = 0;
  const stack: Array<[ChartNode, boolean]> = [[root, false]];
  while (stack.length) {
    const [n, underMatch] = stack.pop()!;
    const hit = !n.isRoot && !n.hiddenFrames && m.test(n.name);
    if (hit) {
      frames++;
      if (!underMatch) value += n.value;
    }
    for (const c of n.children) stack.push([c, underMatch || hit]);
  }
  return { value, frames };
}
