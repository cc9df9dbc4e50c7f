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

/** One node's copy, without its children: only the fields the chart reads. */
function chartNode(n: FlameNode | ChartNode): ChartNode {
  const c: ChartNode = { name: String(n.name), value: n.value, self: n.self, children: [] };
  if (n.hiddenFrames) c.hiddenFrames = n.hiddenFrames;
  return c;
}

export function toChartTree(root: FlameNode): ChartNode {
  const out = chartNode(root);
  out.isRoot = true;
  const stack: Array<[FlameNode, ChartNode]> = [[root, out]];
  while (stack.length) {
    const [src, dst] = stack.pop()!;
    const kids = src.children ?? [];
    for (const k of kids) {
      const c = chartNode(k);
      dst.children.push(c);
      if (k.children && k.children.length) stack.push([k, c]);
    }
  }
  return out;
}

/**
 * The tree as far as an unzoomed chart `width` px wide can show it, for a big tree's first draw
 * (useFlameChart; the whole tree follows once its boxes are painted). d3-flame-graph draws only
 * frames wider than a pixel, so this tree draws the same boxes in the same places from a few hundred
 * nodes instead of thousands:
 * - a frame a pixel wide or more is copied, with its callees;
 * - callees under a pixel are left out, but those before a wider sibling keep its place: each run
 *   of them becomes spacers (nameless frames of their summed value, each under a pixel, so never
 *   drawn); a run after the last wider sibling moves nothing and is dropped.
 * The input is not changed.
 */
export function visibleTree(root: FlameNode | ChartNode, width: number): ChartNode {
  // A frame below this value is under a pixel wide (with a margin for the partition's rounding).
  const min = (root.value / width) * (1 - 1e-6);
  const spacer = (value: number): ChartNode => ({ name: '', value, self: value, children: [] });
  const out = chartNode(root);
  out.isRoot = true;
  const stack: Array<[FlameNode | ChartNode, ChartNode]> = [[root, out]];
  while (stack.length) {
    const [src, dst] = stack.pop()!;
    if (src.value < min) continue;
    let run = 0; // the summed value of narrow callees not yet placed
    for (const k of src.children ?? []) {
      if (k.value < min) {
        if (run + k.value >= min) {
          dst.children.push(spacer(run));
          run = 0;
        }
        run += k.value;
        continue;
      }
      if (run > 0) dst.children.push(spacer(run));
      run = 0;
      const c = chartNode(k);
      dst.children.push(c);
      if (k.children?.length) stack.push([k, c]);
    }
  }
  return out;
}

/** The chart's copies of one FlameResult's tree, made when first asked for. */
export interface ChartTrees {
  /** Frames in the tree, the root included. */
  readonly frames: number;
  /** The whole tree (toChartTree; made once). */
  full(): ChartNode;
  /** What an unzoomed chart `width` px wide shows (visibleTree), made from the result's own tree. */
  visible(width: number): ChartNode;
}

export function chartTrees(root: FlameNode): ChartTrees {
  let full: ChartNode | null = null;
  let frames = 0;
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    frames++;
    for (const k of n.children ?? []) stack.push(k);
  }
  return {
    frames,
    full: () => (full ??= toChartTree(root)),
    visible: (width) => visibleTree(root, width),
  };
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
