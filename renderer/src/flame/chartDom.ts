/**
 * What the flame graph panel needs of d3-flame-graph's drawn tree: frame paths (the names from the
 * root's child down to a frame) and finishing a chart's transitions at once (`settleNow`).
 */
import type { FlameGraph as D3FlameGraph, FlameHierarchyNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { ChartNode } from './model';

export type Node = FlameHierarchyNode<ChartNode>;

export const CELL_HEIGHT = 20;

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Names from the root's child down to `d` (the root itself is the empty path). */
export function framePath(d: Node): string[] {
  const out: string[] = [];
  for (let n: Node | null = d; n && n.parent; n = n.parent) out.push(n.data.name);
  return out.reverse();
}

export function findByPath(root: Node, path: readonly string[]): Node | null {
  let n: Node | undefined = root;
  for (const name of path) {
    n = n.children?.find((c) => c.data.name === name);
    if (!n) return null;
  }
  return n;
}

/** The d3 selection calls `settleNow` uses (d3-transition, imported by d3-flame-graph, adds `interrupt`). */
interface InterruptibleSelection {
  selectAll(selector: string): InterruptibleSelection;
  interrupt(): InterruptibleSelection;
}

/**
 * Draw the chart's final state now. d3-flame-graph's `update()` writes colours, classes and sizes of
 * the boxes at once but moves them through transitions: new boxes get their width only after half
 * the transition and then grow over d3's default 250 ms, and every label is (re)written when the
 * transition ends, even when nothing moved (a search). That made the first paint wait ~150 ms and
 * the full graph ~400 ms. Cancel those transitions and set what they would have set (the same
 * formulas: x = x0·width, y = depth·cell from the top or the bottom, width = (x1 − x0)·width, since
 * the partitioned root spans [0, 1]; labels are the frame names).
 */
export function settleNow(host: HTMLElement, chart: D3FlameGraph<ChartNode>): void {
  const svg = host.querySelector('svg');
  if (!svg) return;
  (select(svg) as unknown as InterruptibleSelection).selectAll('*').interrupt();
  const w = chart.width();
  const h = chart.height() ?? 0;
  const inverted = chart.inverted();
  for (const g of svg.querySelectorAll<SVGGElement>('g.frame')) {
    const d = (g as unknown as { __data__?: Node }).__data__;
    if (!d) continue;
    g.setAttribute('transform', `translate(${d.x0 * w},${inverted ? d.depth * CELL_HEIGHT : h - d.depth * CELL_HEIGHT - CELL_HEIGHT})`);
    g.querySelector('rect')?.setAttribute('width', String((d.x1 - d.x0) * w));
    const label = g.querySelector('.d3-flame-graph-label');
    if (label && label.textContent !== d.data.name) label.textContent = d.data.name;
  }
}

/** What d3-flame-graph's update() calls on a transition: applied at once instead. */
interface ImmediateTransition {
  duration(): ImmediateTransition;
  delay(): ImmediateTransition;
  ease(): ImmediateTransition;
  attr(name: string, value: unknown): ImmediateTransition;
  style(name: string, value: unknown, priority?: string): ImmediateTransition;
  text(value: unknown): ImmediateTransition;
}
interface AppliableSelection {
  attr(name: string, value: unknown): unknown;
  style(name: string, value: unknown, priority?: string): unknown;
  text(value: unknown): unknown;
}

function immediate(sel: AppliableSelection): ImmediateTransition {
  const t: ImmediateTransition = {
    duration: () => t,
    delay: () => t,
    ease: () => t,
    attr: (name, value) => (sel.attr(name, value), t),
    style: (name, value, priority) => (sel.style(name, value, priority), t),
    text: (value) => (sel.text(value), t),
  };
  return t;
}

/**
 * Run `fn` (a d3-flame-graph draw or update) with d3 transitions applied at once: every attribute,
 * style and text the library would animate is written in the call, by the library's own code, and
 * no transition or timer is made. For a big tree's first draw.
 */
export function withoutTransitions<T>(fn: () => T): T {
  const proto = Object.getPrototypeOf(select(document.createElement('div'))) as { transition: (this: AppliableSelection) => unknown };
  const orig = proto.transition;
  proto.transition = function (this: AppliableSelection) {
    return immediate(this);
  };
  try {
    return fn();
  } finally {
    proto.transition = orig;
  }
}
