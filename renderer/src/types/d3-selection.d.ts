/** Minimal types for d3-selection 3 (no @types/d3-selection installed): only what the flame wrapper uses. */
declare module 'd3-selection' {
  export interface Selection<E extends Element, D> {
    datum<N>(value: N): Selection<E, N>;
    datum(): D;
    node(): E | null;
    call(fn: (s: Selection<E, D>) => void): this;
  }
  export function select<E extends Element>(node: E): Selection<E, unknown>;
}
