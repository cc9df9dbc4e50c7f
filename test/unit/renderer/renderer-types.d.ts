/**
 * The renderer's own declarations for untyped packages. profile/settings.ts takes a type from
 * flame/FlameGraph.tsx, which brings d3-flame-graph and d3-selection into the test type check.
 */
/// <reference path="../../../renderer/src/types/d3-flame-graph.d.ts" />
/// <reference path="../../../renderer/src/types/d3-selection.d.ts" />
/// <reference path="../../../renderer/src/types/assets.d.ts" />
