/**
 * Minimal types for d3-flame-graph 5.0 (the package ships none). Only what Heapscope uses.
 *
 * Facts checked against node_modules/d3-flame-graph/dist/d3-flamegraph.es.js:
 * - The ESM entry exports `flamegraph` as the DEFAULT export (plus named `tooltip`, `colorMapper`);
 *   there is no named `flamegraph` export.
 * - The ESM entry imports its own `./d3-flamegraph.css`; the package's `exports` map does not expose
 *   the CSS path, so it cannot (and need not) be imported separately.
 * - `value` is read as the cumulative (total) value unless `.selfValue(true)`.
 * - Labels are set with `.text()` (a text node inside a foreignObject div); the default `<title>`
 *   uses `.text()` too. Only the optional built-in tooltip's `.html()` mode would use innerHTML;
 *   Heapscope never uses it (see renderer/src/flame/tooltip.ts).
 */
declare module 'd3-flame-graph' {
  /** d3-hierarchy node as d3-flame-graph sees it (partitioned). */
  export interface FlameHierarchyNode<D> {
    data: D;
    value: number;
    depth: number;
    height: number;
    x0: number;
    x1: number;
    y0: number;
    y1: number;
    id: number;
    parent: FlameHierarchyNode<D> | null;
    children?: FlameHierarchyNode<D>[];
    highlight?: boolean;
    originalValue?: number;
  }

  /** A custom tooltip: called once with the svg selection, then show/hide per hover. */
  export interface FlameTooltip<D> {
    (svg: unknown): void;
    show(event: MouseEvent, d: FlameHierarchyNode<D>): unknown;
    hide(): unknown;
    destroy?(): void;
  }

  export interface FlameGraph<D> {
    (selection: unknown): void;
    width(): number;
    width(w: number): this;
    height(): number | null;
    height(h: number | null): this;
    minHeight(h: number): this;
    cellHeight(h: number): this;
    minFrameSize(px: number): this;
    transitionDuration(ms: number): this;
    sort(s: boolean | ((a: FlameHierarchyNode<D>, b: FlameHierarchyNode<D>) => number)): this;
    inverted(): boolean;
    inverted(inv: boolean): this;
    selfValue(self: boolean): this;
    title(t: string): this;
    tooltip(t: FlameTooltip<D>): this;
    getName(f: (d: FlameHierarchyNode<D>) => string): this;
    getValue(f: (d: D | FlameHierarchyNode<D>) => number): this;
    getChildren(f: (d: D) => D[] | undefined): this;
    getLibtype(f: (d: FlameHierarchyNode<D>) => string | undefined): this;
    setColorMapper(f: (d: FlameHierarchyNode<D>, originalColor: string) => string): this;
    setLabelHandler(f: (d: FlameHierarchyNode<D>) => string): this;
    setSearchMatch(f: (d: FlameHierarchyNode<D>, term: string, ignoreCase?: boolean) => boolean): this;
    setSearchHandler(f: (results: FlameHierarchyNode<D>[], sum: number, total: number) => void): this;
    setDetailsHandler(f: (label: string | null) => void): this;
    onClick(f: (d: FlameHierarchyNode<D>) => void): this;
    onHover(f: (d: FlameHierarchyNode<D>) => void): this;
    search(term: string): void;
    clear(): void;
    resetZoom(): void;
    zoomTo(d: FlameHierarchyNode<D>): void;
    findById(id: number): FlameHierarchyNode<D> | null;
    update(data?: D): this;
    destroy(): this;
  }

  export default function flamegraph<D = unknown>(): FlameGraph<D>;
}
