/**
 * The d3-flame-graph chart behind `FlameGraph`: one chart instance per tree (new data → destroy +
 * create), width following the container, search / icicle / theme changes applied to the same
 * instance with `update()`, and zoom kept as a frame path (`zoomPath` + `onZoomChange` when a parent
 * controls it; `missingPath` when the parent's path is not in this tree).
 *
 * Never call `chart.update(data)`, `chart.merge()`, or `chart(selection)` on a selection whose datum
 * is the chart's hierarchy: d3-flame-graph tells raw data from d3-hierarchy nodes by
 * `constructor.name === "Node"`, and the bundler renames d3-hierarchy's `Node` (it shadows the DOM
 * global), so re-processing would wrap the hierarchy in a hierarchy. A raw tree set as the datum is
 * processed afresh: a big tree's second draw (the whole tree after the first, visible one) does that.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import flamegraph, { type FlameGraph as D3FlameGraph } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FlameResult } from '../../../shared/api/types';
import type { makeMatcher } from '../lib/regex';
import { useColorScheme } from '../lib/useColorScheme';
import { useLatest } from '../lib/useLatest';
import { withoutTransitions, CELL_HEIGHT, findByPath, framePath, samePath, settleNow, type Node } from './chartDom';
import { colorForName, DARK_PALETTE, LIGHT_PALETTE } from './colors';
import { describeFrame } from './describe';
import type { ChartNode, ChartTrees } from './model';
import { noteFlameDrawn } from './firstDraw';
import { whenIdle } from '../lib/idle';
import { createTooltip, type HeapscopeTooltip, type TooltipContent, type TooltipLine } from './tooltip';

const EMPTY_PATH: readonly string[] = [];

const TRANSITION_MS = 300;
/**
 * Trees with more frames than this zoom (and flip to icicle) without d3-flame-graph's 300 ms
 * transition: the zoomed state is drawn in the next frame (`npm run bench -- ui`: a zoom of the
 * ~430k-node profile lands in one frame instead of ~420 ms). Smaller trees keep the animation.
 */
const ANIMATE_MAX_FRAMES = 1000;
/**
 * Longest a big tree's first draw (the frames its width shows: model.ts visibleTree) waits for an
 * idle moment before the whole tree replaces it.
 */
const WHOLE_TREE_WAIT_MS = 1000;

export interface FrameColorState {
  /** The frame matches the search (or is the selected function). */
  highlighted: boolean;
  /** A search with hits is active and this frame is not one of them. */
  dimmed: boolean;
}

export interface FlameChartOptions {
  chartHostRef: RefObject<HTMLDivElement | null>;
  scrollRef: RefObject<HTMLDivElement | null>;
  result: FlameResult | null;
  trees: ChartTrees | null;
  minFraction: number;
  inverted: boolean;
  matcher: ReturnType<typeof makeMatcher>;
  /** Something matches the search: the other frames step back. */
  dim: boolean;
  zoomPath: readonly string[] | null | undefined;
  onZoomChange: ((path: string[] | null) => void) | undefined;
  frameColor: ((path: readonly string[], node: ChartNode, state: FrameColorState) => string | undefined) | undefined;
  frameColorOwnsHighlight: boolean | undefined;
  frameDetails: ((path: readonly string[], node: ChartNode) => TooltipLine[]) | undefined;
  frameTooltip: ((path: readonly string[], node: ChartNode) => TooltipContent | undefined) | undefined;
}

export function useFlameChart(o: FlameChartOptions) {
  const { chartHostRef, scrollRef, result, trees, minFraction, inverted, matcher, dim, zoomPath, onZoomChange, frameColor, frameColorOwnsHighlight, frameDetails, frameTooltip } = o;
  const frameColorRef = useLatest(frameColor);
  const ownsHighlightRef = useLatest(frameColorOwnsHighlight);
  const frameDetailsRef = useLatest(frameDetails);
  const frameTooltipRef = useLatest(frameTooltip);
  const chartRef = useRef<D3FlameGraph<ChartNode> | null>(null);
  const tooltipRef = useRef<HeapscopeTooltip<ChartNode> | null>(null);
  /** The frame path the chart is zoomed to (empty: the whole graph). */
  const [shownPath, setShownPath] = useState<readonly string[]>(EMPTY_PATH);
  const shownPathRef = useRef(shownPath);
  shownPathRef.current = shownPath;
  /** Draws a big tree's whole tree now, if its first draw is still showing (a zoom or a new width asks for it). */
  const wholeNowRef = useRef<(() => void) | null>(null);
  /** How many times a big tree's whole tree replaced the first draw's (controlled zoom follows it). */
  const [wholeTreeDraws, setWholeTreeDraws] = useState(0);
  /** A controlled zoom path that this profile does not have. */
  const [missingPath, setMissingPath] = useState<readonly string[] | null>(null);
  /** Set while we zoom programmatically, so the click handler does not echo it to the parent. */
  const applyingRef = useRef(false);
  const onZoomChangeRef = useLatest(onZoomChange);
  const invertedRef = useLatest(inverted);
  const scheme = useColorScheme();
  const paletteRef = useLatest(scheme === 'dark' ? DARK_PALETTE : LIGHT_PALETTE);

  const animate = !!trees && trees.frames <= ANIMATE_MAX_FRAMES;
  const animateRef = useLatest(animate);
  const matcherRef = useLatest(matcher);
  /** Dim the non-matching frames only when something matches (a search with no hit keeps colours). */
  const dimRef = useLatest(dim);
  const resultRef = useLatest(result);
  /**
   * The search and colour scheme the current chart shows: set when a chart is drawn, so the effects
   * that follow a change skip the commit that drew it (each is a redraw of every box: ~40–60 ms of
   * a fresh page's first flame graph, for nothing).
   */
  const drawnMatcherRef = useRef<typeof matcher | undefined>(undefined);
  const drawnSchemeRef = useRef<typeof scheme | undefined>(undefined);

  /** Finish what `update()` started at once (no transition: nothing moves, or the tree is big). */
  const settle = useCallback(() => {
    const host = chartHostRef.current;
    const chart = chartRef.current;
    if (host && chart) settleNow(host, chart);
  }, []);

  const applySearch = useCallback(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const m = matcherRef.current;
    if (m) chart.search('·'); // the term is ignored: our setSearchMatch closure reads matcherRef
    else chart.clear();
    settle(); // only colours changed
  }, [settle]);

  /** Zoom to a frame path; `quiet`: a parent asked for it (do not report it back). */
  const zoomToPath = useCallback((path: readonly string[], quiet: boolean) => {
    const chart = chartRef.current;
    // A path under a pixel is only in a big graph's whole tree: draw it first if it is not yet.
    if (chart && path.length && wholeNowRef.current && !findByPath(chart.findById(0)!, path)) wholeNowRef.current();
    const root = chart?.findById(0);
    if (!chart || !root) return;
    const target = path.length ? findByPath(root, path) : root;
    setMissingPath(target ? null : path);
    const to = target ?? root;
    if (to === root && shownPathRef.current.length === 0) {
      if (!quiet) onZoomChangeRef.current?.(null);
      return;
    }
    applyingRef.current = quiet;
    try {
      chart.zoomTo(to);
    } finally {
      applyingRef.current = false;
    }
  }, []);

  // Create a chart per result, in the commit that mounts the tree (a layout effect): the boxes are
  // in the very frame React paints, not one frame later after a passive effect, with other work
  // (the top table's answer) free to run in between.
  useLayoutEffect(() => {
    const host = chartHostRef.current;
    const scroller = scrollRef.current;
    if (!host || !scroller || !trees) return;
    const unit = () => resultRef.current?.sampleType.unit ?? '';
    const total = () => resultRef.current?.total ?? 0;
    const tip = createTooltip<ChartNode>(
      host,
      (d: Node) =>
        frameTooltipRef.current?.(framePath(d), d.data) ??
        describeFrame(d, { unit: unit(), total: total(), minFraction, details: frameDetailsRef.current?.(framePath(d), d.data) ?? [] }),
    );
    tooltipRef.current = tip;

    const width = Math.max(100, Math.floor(host.clientWidth));
    const chart = flamegraph<ChartNode>()
      .width(width)
      .cellHeight(CELL_HEIGHT)
      .minFrameSize(1)
      .transitionDuration(TRANSITION_MS)
      .selfValue(false) // FlameNode.value is cumulative
      .sort(false) // keep the engine's order
      .inverted(invertedRef.current)
      .title('')
      .getName((d) => d.data.name)
      .getValue((d) => d.value)
      .getChildren((d) => d.children)
      .getLibtype(() => undefined)
      .setLabelHandler((d) => d.data.name)
      .setDetailsHandler(() => undefined)
      .setSearchHandler(() => undefined)
      .setSearchMatch((d) => {
        const m = matcherRef.current;
        return !!m && !d.data.isRoot && !d.data.hiddenFrames && m.test(d.data.name);
      })
      .setColorMapper((d) => {
        const p = paletteRef.current;
        const owns = !!ownsHighlightRef.current && !!frameColorRef.current;
        if (d.highlight && !owns) return p.highlight;
        if (d.data.isRoot) return p.root;
        if (d.data.hiddenFrames) return p.merged;
        const own = frameColorRef.current?.(framePath(d), d.data, { highlighted: !!d.highlight, dimmed: dimRef.current && !d.highlight });
        if (own) return own;
        // While a search is active, everything else steps back so the matches stand out.
        return colorForName(d.data.name, dimRef.current ? p.dimmed : p);
      })
      .onClick((d) => {
        // Called by every zoom (click, zoomTo, resetZoom) right after the library's update().
        if (!animateRef.current) settleNow(host, chart);
        const path = framePath(d);
        shownPathRef.current = path;
        setShownPath(path);
        if (!applyingRef.current) {
          setMissingPath(null);
          onZoomChangeRef.current?.(path.length ? path : null);
        }
        // A big graph's first tree lacks the callees a zoom widens past a pixel (and its spacers
        // may widen too): the whole tree, zoomed to this path, before the frame is painted. The
        // library calls this last in its zoom, so drawing again here is safe.
        wholeNowRef.current?.();
      })
      .tooltip(tip);
    chartRef.current = chart;
    shownPathRef.current = EMPTY_PATH;
    setShownPath(EMPTY_PATH);
    // A big tree is first drawn from what this width shows (the same boxes: model.ts visibleTree),
    // and from the whole tree once those boxes are painted, for zooms and searches below a pixel.
    const big = !animateRef.current;
    const first = big ? trees.visible(width) : trees.full();
    withoutTransitions(() => select(host).datum(first).call(chart));
    if (matcherRef.current) applySearch();
    drawnMatcherRef.current = matcherRef.current;
    drawnSchemeRef.current = scheme;
    noteFlameDrawn();
    if (!invertedRef.current) scroller.scrollTop = scroller.scrollHeight;
    let cancelWhole: (() => void) | null = null;
    const drawWhole = () => {
      cancelWhole = null;
      wholeNowRef.current = null;
      if (chartRef.current !== chart) return;
      const path = shownPathRef.current; // a zoom made on the first tree
      withoutTransitions(() => select(host).datum(trees.full()).call(chart));
      host.dataset.whole = 'true';
      shownPathRef.current = EMPTY_PATH; // the new hierarchy is drawn unzoomed
      if (path.length) zoomToPath(path, true);
      if (matcherRef.current) applySearch();
      setWholeTreeDraws((n) => n + 1); // a parent's zoom path is looked up again (effect below)
    };
    if (big) {
      // When the page is next idle: after the first paint and what it set going (the top table),
      // without holding up either (it redraws every box: ~50 ms). A zoom or a new width before then
      // draws it at once.
      host.dataset.whole = 'false';
      cancelWhole = whenIdle(drawWhole, 0, WHOLE_TREE_WAIT_MS);
      wholeNowRef.current = () => {
        cancelWhole?.();
        drawWhole();
      };
    } else {
      host.dataset.whole = 'true';
      wholeNowRef.current = null;
    }
    return () => {
      cancelWhole?.();
      wholeNowRef.current = null;
      chart.destroy();
      tip.destroy?.();
      if (chartRef.current === chart) chartRef.current = null;
      tooltipRef.current = null;
    };
    // `inverted` is read through a ref: toggling it updates the same chart (effect below).
  }, [trees, applySearch, minFraction, zoomToPath]);

  // Width follows the container.
  useEffect(() => {
    const host = chartHostRef.current;
    if (!host) return;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const chart = chartRef.current;
        const w = Math.max(100, Math.floor(host.clientWidth));
        if (chart && chart.width() !== w) {
          chart.width(w);
          // The first tree of a big graph is for its first width only (its spacers could widen
          // past a pixel): a new width takes the whole tree.
          if (wholeNowRef.current) wholeNowRef.current();
          else {
            chart.update();
            settleNow(host, chart);
          }
        }
      });
    });
    ro.observe(host);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || chart.inverted() === inverted) return;
    chart.inverted(inverted).update();
    if (!animateRef.current) settle();
    const scroller = scrollRef.current;
    if (scroller) scroller.scrollTop = inverted ? 0 : scroller.scrollHeight;
  }, [inverted]);

  useEffect(() => {
    if (!chartRef.current || drawnMatcherRef.current === matcher) return;
    drawnMatcherRef.current = matcher;
    applySearch();
  }, [matcher, applySearch]);

  useEffect(() => {
    if (!chartRef.current || drawnSchemeRef.current === scheme) return;
    drawnSchemeRef.current = scheme;
    chartRef.current.update();
    settle();
  }, [scheme, settle]);


  // Controlled zoom: follow the parent's frame path (also after a new chart is created).
  const zoomKey = zoomPath === undefined ? undefined : JSON.stringify(zoomPath ?? []);
  useEffect(() => {
    if (zoomKey === undefined || !trees) return;
    const want = JSON.parse(zoomKey) as string[];
    if (samePath(want, shownPathRef.current)) {
      setMissingPath(null);
      return;
    }
    zoomToPath(want, true);
    // minFraction: a new chart is made for it too (it starts unzoomed); wholeTreeDraws: a path under
    // a pixel is found only in the whole tree
  }, [zoomKey, trees, minFraction, zoomToPath, wholeTreeDraws]);

  const resetZoom = useCallback(() => {
    setMissingPath(null);
    if (!chartRef.current) return;
    if (shownPathRef.current.length === 0) {
      onZoomChangeRef.current?.(null);
      return;
    }
    chartRef.current.resetZoom();
  }, []);

  return { shownPath, missingPath, zoomToPath, resetZoom, tooltipRef, animate };
}
