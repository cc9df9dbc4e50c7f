/**
 * The flame graph panel: the ONE React wrapper around d3-flame-graph (SVG), plus its toolbar
 * (search with matched total, reset zoom, icicle toggle) and the pruning disclosure.
 *
 * Untrusted strings: function names come from profiles. They reach the DOM only through
 * - d3-flame-graph's label: `.text(getName)` on a div inside a foreignObject (a text node),
 * - d3-flame-graph's `name` attribute on each <g> (an attribute value, never parsed as markup),
 * - our tooltip (tooltip.ts), built with createElement + textContent,
 * - React text children in the toolbar.
 * The library's only innerHTML path (its default tooltip in `.html()` mode) is never used: we pass
 * our own tooltip, which also stops it from adding <title> elements.
 *
 * Lifecycle: one chart instance per FlameResult (new data → destroy + create). Never call
 * `chart.update(data)`, `chart.merge()` or `chart(selection)` twice: d3-flame-graph tells raw data
 * from d3-hierarchy nodes by `constructor.name === "Node"`, and the bundler renames d3-hierarchy's
 * `Node` (it shadows the DOM global), so re-processing would wrap the hierarchy in a hierarchy. Width follows the container
 * through a ResizeObserver; search, icicle and theme changes call `update()` on the same instance.
 *
 * Zoom is kept as a frame path (the names from the root's child down to the zoomed frame), shown as
 * a breadcrumb. A parent may control it (`zoomPath` + `onZoomChange`): the comparison view zooms
 * both graphs to the same stack of names, and this panel says so when that stack is absent here.
 */
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type ReactNode, type Ref } from 'react';
import flamegraph, { type FlameGraph as D3FlameGraph, type FlameHierarchyNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FlameResult } from '../../../shared/api/types';
import { formatPercent, formatValue, plural } from '../lib/format';
import { makeMatcher, type SearchMode } from '../lib/regex';
import { useColorScheme } from '../lib/useColorScheme';
import { colorForName, DARK_PALETTE, LIGHT_PALETTE, packageOf } from './colors';
import { summarizeMatches, toChartTree, type ChartNode } from './model';
import { createTooltip, type HeapscopeTooltip, type TooltipContent, type TooltipLine } from './tooltip';

export interface FlameSearch {
  text: string;
  mode: SearchMode;
}

export interface FlameGraphHandle {
  focusSearch(): void;
  resetZoom(): void;
}

export interface FlameGraphProps {
  result: FlameResult | null;
  loading?: boolean;
  /** The last call failed: what is shown is from before. */
  stale?: boolean;
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  /** Fraction used for pruning (shown in the "frames hidden" note). */
  minFraction: number;
  ref?: Ref<FlameGraphHandle>;
  /**
   * Controlled zoom by frame path (names from the root's child down to the zoomed frame); null: not
   * zoomed. Leave undefined to let the panel keep its own zoom.
   */
  zoomPath?: readonly string[] | null;
  /** The user zoomed (frame click, breadcrumb, reset): the new frame path, null when reset. */
  onZoomChange?(path: string[] | null): void;
  /** Controlled icicle mode (undefined: the panel keeps its own). */
  inverted?: boolean;
  onInvertedChange?(inverted: boolean): void;
  /** "compact": a parent owns search, reset and icicle (the toolbar shows `heading` and the match). */
  toolbar?: 'full' | 'compact';
  heading?: ReactNode;
  /** A frame's colour by its frame path (e.g. a differential graph's change scale); undefined: its package's hue. */
  frameColor?(path: readonly string[], node: ChartNode, state: FrameColorState): string | undefined;
  /**
   * `frameColor` also colours search matches (the selected function), from `state.highlighted`;
   * otherwise matches get the palette's highlight colour (a diff graph keeps its change colours).
   */
  frameColorOwnsHighlight?: boolean;
  /** Extra tooltip lines for a frame, by its frame path. */
  frameDetails?(path: readonly string[], node: ChartNode): TooltipLine[];
  /** The whole tooltip of a frame, by its frame path (undefined: the default one). */
  frameTooltip?(path: readonly string[], node: ChartNode): TooltipContent | undefined;
  /** Replaces the matched-total text next to the search (e.g. a diff graph's matched change). */
  matchContent?: ReactNode;
}

export interface FrameColorState {
  /** The frame matches the search (or is the selected function). */
  highlighted: boolean;
  /** A search with hits is active and this frame is not one of them. */
  dimmed: boolean;
}

const EMPTY_PATH: readonly string[] = [];

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Names from the root's child down to `d` (the root itself is the empty path). */
function framePath(d: Node): string[] {
  const out: string[] = [];
  for (let n: Node | null = d; n && n.parent; n = n.parent) out.push(n.data.name);
  return out.reverse();
}

function findByPath(root: Node, path: readonly string[]): Node | null {
  let n: Node | undefined = root;
  for (const name of path) {
    n = n.children?.find((c) => c.data.name === name);
    if (!n) return null;
  }
  return n;
}

const CELL_HEIGHT = 20;
const TRANSITION_MS = 300;
/**
 * Trees with more frames than this zoom (and flip to icicle) without d3-flame-graph's 300 ms
 * transition: the zoomed state is drawn in the next frame (`npm run bench -- ui`: a zoom of the
 * ~430k-node profile lands in one frame instead of ~420 ms). Smaller trees keep the animation.
 */
const ANIMATE_MAX_FRAMES = 1000;

type Node = FlameHierarchyNode<ChartNode>;

/** The d3 selection calls `settleNow` uses (d3-transition, imported by d3-flame-graph, adds `interrupt`). */
interface InterruptibleSelection {
  selectAll(selector: string): InterruptibleSelection;
  interrupt(): InterruptibleSelection;
}

function countFrames(root: ChartNode): number {
  let n = 0;
  const stack = [root];
  while (stack.length) {
    const c = stack.pop()!;
    n++;
    for (const k of c.children) stack.push(k);
  }
  return n;
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
function settleNow(host: HTMLElement, chart: D3FlameGraph<ChartNode>): void {
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

export function FlameGraph({
  result,
  loading,
  stale,
  search,
  onSearchChange,
  minFraction,
  ref,
  zoomPath,
  onZoomChange,
  inverted: invertedProp,
  onInvertedChange,
  toolbar = 'full',
  heading,
  frameColor,
  frameColorOwnsHighlight,
  frameDetails,
  frameTooltip,
  matchContent,
}: FlameGraphProps) {
  const frameColorRef = useRef(frameColor);
  frameColorRef.current = frameColor;
  const ownsHighlightRef = useRef(frameColorOwnsHighlight);
  ownsHighlightRef.current = frameColorOwnsHighlight;
  const frameDetailsRef = useRef(frameDetails);
  frameDetailsRef.current = frameDetails;
  const frameTooltipRef = useRef(frameTooltip);
  frameTooltipRef.current = frameTooltip;
  const scrollRef = useRef<HTMLDivElement>(null);
  const chartHostRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const chartRef = useRef<D3FlameGraph<ChartNode> | null>(null);
  const tooltipRef = useRef<HeapscopeTooltip<ChartNode> | null>(null);
  /** The frame path the chart is zoomed to (empty: the whole graph). */
  const [shownPath, setShownPath] = useState<readonly string[]>(EMPTY_PATH);
  const shownPathRef = useRef(shownPath);
  shownPathRef.current = shownPath;
  /** A controlled zoom path that this profile does not have. */
  const [missingPath, setMissingPath] = useState<readonly string[] | null>(null);
  const zoomed = shownPath.length > 0;
  /** Set while we zoom programmatically, so the click handler does not echo it to the parent. */
  const applyingRef = useRef(false);
  const onZoomChangeRef = useRef(onZoomChange);
  onZoomChangeRef.current = onZoomChange;
  const [ownInverted, setOwnInverted] = useState(false);
  const inverted = invertedProp ?? ownInverted;
  const setInverted = useCallback(
    (v: boolean) => (onInvertedChange ? onInvertedChange(v) : setOwnInverted(v)),
    [onInvertedChange],
  );
  const invertedRef = useRef(inverted);
  invertedRef.current = inverted;
  const scheme = useColorScheme();
  const paletteRef = useRef(scheme === 'dark' ? DARK_PALETTE : LIGHT_PALETTE);
  paletteRef.current = scheme === 'dark' ? DARK_PALETTE : LIGHT_PALETTE;

  const tree = useMemo(() => (result ? toChartTree(result.root) : null), [result]);
  const animate = useMemo(() => !!tree && countFrames(tree) <= ANIMATE_MAX_FRAMES, [tree]);
  const animateRef = useRef(animate);
  animateRef.current = animate;
  const matcher = useMemo(() => makeMatcher(search.text, search.mode), [search.text, search.mode]);
  const matchSummary = useMemo(() => (tree && matcher ? summarizeMatches(tree, matcher) : null), [tree, matcher]);
  const matcherRef = useRef(matcher);
  matcherRef.current = matcher;
  /** Dim the non-matching frames only when something matches (a search with no hit keeps colours). */
  const dimRef = useRef(false);
  dimRef.current = !!matchSummary && matchSummary.frames > 0;
  const resultRef = useRef(result);
  resultRef.current = result;

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

  // Create a chart per result.
  useEffect(() => {
    const host = chartHostRef.current;
    const scroller = scrollRef.current;
    if (!host || !scroller || !tree) return;
    const unit = () => resultRef.current?.sampleType.unit ?? '';
    const total = () => resultRef.current?.total ?? 0;
    const tip = createTooltip<ChartNode>(host, (d: Node) => {
      const n = d.data;
      const own = frameTooltipRef.current?.(framePath(d), n);
      if (own) return own;
      if (n.hiddenFrames) {
        return {
          title: `${n.hiddenFrames.toLocaleString()} frames hidden`,
          lines: [{ label: 'Total', value: `${formatValue(n.value, unit())} (${formatPercent(n.value, total())})` }],
          note: `Frames narrower than ${formatPercent(minFraction, 1)} of the total were merged into this box.`,
        };
      }
      return {
        title: n.name,
        ...(n.isRoot ? {} : { subtitle: packageOf(n.name) }),
        lines: [
          { label: 'Total', value: `${formatValue(n.value, unit())} (${formatPercent(n.value, total())})`, kind: 'strong' },
          { label: 'Self', value: `${formatValue(n.self, unit())} (${formatPercent(n.self, total())})` },
          ...(d.parent ? [{ label: 'Of parent', value: formatPercent(n.value, d.parent.data.value), kind: 'muted' as const }] : []),
          ...(frameDetailsRef.current?.(framePath(d), n) ?? []),
        ],
        ...(n.isRoot ? {} : { note: 'Click to zoom · Esc to reset' }),
      };
    });
    tooltipRef.current = tip;

    const chart = flamegraph<ChartNode>()
      .width(Math.max(100, Math.floor(host.clientWidth)))
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
      })
      .tooltip(tip);
    chartRef.current = chart;
    shownPathRef.current = EMPTY_PATH;
    setShownPath(EMPTY_PATH);
    select(host).datum(tree).call(chart);
    if (matcherRef.current) applySearch();
    settleNow(host, chart); // first paint: the boxes and labels now, not after the enter transition
    if (!invertedRef.current) scroller.scrollTop = scroller.scrollHeight;
    return () => {
      chart.destroy();
      tip.destroy?.();
      if (chartRef.current === chart) chartRef.current = null;
      tooltipRef.current = null;
    };
    // `inverted` is read through a ref: toggling it updates the same chart (effect below).
  }, [tree, applySearch, minFraction]);

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
          chart.width(w).update();
          settleNow(host, chart);
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
    applySearch();
  }, [matcher, applySearch]);

  useEffect(() => {
    chartRef.current?.update();
    settle();
  }, [scheme, settle]);

  /** Zoom to a frame path; `quiet`: a parent asked for it (do not report it back). */
  const zoomToPath = useCallback((path: readonly string[], quiet: boolean) => {
    const chart = chartRef.current;
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

  // Controlled zoom: follow the parent's frame path (also after a new chart is created).
  const zoomKey = zoomPath === undefined ? undefined : JSON.stringify(zoomPath ?? []);
  useEffect(() => {
    if (zoomKey === undefined || !tree) return;
    const want = JSON.parse(zoomKey) as string[];
    if (samePath(want, shownPathRef.current)) {
      setMissingPath(null);
      return;
    }
    zoomToPath(want, true);
    // minFraction: a new chart is made for it too (it starts unzoomed)
  }, [zoomKey, tree, minFraction, zoomToPath]);

  const resetZoom = useCallback(() => {
    setMissingPath(null);
    if (!chartRef.current) return;
    if (shownPathRef.current.length === 0) {
      onZoomChangeRef.current?.(null);
      return;
    }
    chartRef.current.resetZoom();
  }, []);

  useImperativeHandle(ref, () => ({
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    resetZoom,
  }), [resetZoom]);

  const matchText = matchContent !== undefined ? (
    <div className="flame-match" aria-live="polite" data-testid="flame-match">
      {matchContent}
    </div>
  ) : (
    <div className="flame-match" aria-live="polite" data-testid="flame-match">
      {matcher?.error ? (
        <span className="text-warning" title={matcher.error}>
          Invalid regex, matching literally ·{' '}
        </span>
      ) : null}
      {matchSummary && result ? (
        matchSummary.frames ? (
          <>
            <strong>{formatValue(matchSummary.value, result.sampleType.unit)}</strong> ({formatPercent(matchSummary.value, result.total)}) in{' '}
            {plural(matchSummary.frames, 'frame')}
          </>
        ) : (
          <span className="text-muted">No match</span>
        )
      ) : null}
    </div>
  );

  const crumbs = zoomed || missingPath ? (
    <nav className="flame-breadcrumb" aria-label="Zoomed frame path" data-testid="flame-breadcrumb">
      <button type="button" className="crumb crumb--home" onClick={resetZoom} title="Show the whole graph (Esc)" aria-label="Show the whole graph">
        all
      </button>
      {missingPath ? (
        <span className="flame-breadcrumb__missing" data-testid="flame-zoom-missing" role="status">
          <span className="text-warning">Not in this profile:</span> <code title={missingPath.join(' › ')}>{missingPath.join(' › ')}</code>
        </span>
      ) : (
        shownPath.map((name, i) => (
          <span key={i} className="crumb-item">
            <span className="crumb-sep" aria-hidden="true">
              ›
            </span>
            {i === shownPath.length - 1 ? (
              <span className="crumb crumb--current" aria-current="location" title={name}>
                {name}
              </span>
            ) : (
              <button type="button" className="crumb" title={`Zoom to ${name}`} onClick={() => zoomToPath(shownPath.slice(0, i + 1), false)}>
                {name}
              </button>
            )}
          </span>
        ))
      )}
    </nav>
  ) : null;

  return (
    <section className={`panel flame-panel${toolbar === 'compact' ? ' flame-panel--compact' : ''}`} aria-label="Flame graph">
      <div className="panel__toolbar">
        {toolbar === 'compact' ? (
          <>
            {heading}
            {matchText}
          </>
        ) : (
          <>
            <div className="search-field">
              <svg className="search-field__icon" viewBox="0 0 16 16" aria-hidden="true">
                <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
                <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              </svg>
              <input
                ref={searchRef}
                type="search"
                className="search-field__input"
                data-testid="flame-search"
                aria-label="Search frames in the flame graph"
                placeholder={search.mode === 'regex' ? 'Search (regex)  /' : 'Search frames  /'}
                value={search.text}
                spellCheck={false}
                onChange={(e) => onSearchChange({ text: e.target.value, mode: search.mode === 'regex' ? 'regex' : 'substring' })}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && search.text) {
                    onSearchChange({ text: '', mode: search.mode === 'regex' ? 'regex' : 'substring' });
                  }
                }}
              />
              {search.mode === 'exact' && search.text ? (
                <span className="search-field__badge" title="Matching this exact function (selected in the table)">
                  exact
                </span>
              ) : null}
              <button
                type="button"
                className="icon-toggle"
                aria-pressed={search.mode === 'regex'}
                aria-label="Use regular expression"
                title="Use regular expression"
                onClick={() => onSearchChange({ text: search.text, mode: search.mode === 'regex' ? 'substring' : 'regex' })}
              >
                .*
              </button>
            </div>
            {matchText}
            <div className="toolbar-spacer" />
            <button
              type="button"
              className="btn btn--small"
              onClick={resetZoom}
              disabled={!zoomed}
              aria-label="Reset zoom (Escape)"
              title="Reset zoom (Esc)"
              data-testid="flame-reset-zoom"
            >
              Reset zoom
            </button>
            <button
              type="button"
              className="btn btn--small"
              aria-pressed={inverted}
              onClick={() => setInverted(!inverted)}
              aria-label="Icicle: draw the root at the top"
              title="Icicle: root at the top"
            >
              Icicle
            </button>
          </>
        )}
      </div>
      {result && result.hiddenFrames > 0 ? (
        <div className="flame-note" data-testid="flame-hidden-note">
          {result.hiddenFrames.toLocaleString()} frames hidden below {formatPercent(minFraction, 1)} width
          <span className="text-muted"> · {result.nodeCount.toLocaleString()} frames in the full tree</span>
        </div>
      ) : null}
      {crumbs}
      <div
        ref={scrollRef}
        className={`flame-scroll${inverted ? ' is-inverted' : ''}${loading ? ' is-loading' : stale ? ' is-stale' : ''}`}
        onMouseMove={(e) => tooltipRef.current?.move(e.nativeEvent)}
        onMouseLeave={() => tooltipRef.current?.hide()}
      >
        <div
          ref={chartHostRef}
          className="flame-host"
          data-testid="flame-graph"
          data-zoomed={zoomed ? 'true' : 'false'}
          data-zoom-path={shownPath.join('\n')}
          data-animated={animate ? 'true' : 'false'}
          aria-label="Flame graph chart"
          role="group"
        />
        {!result && !loading ? <div className="panel__empty">No flame graph yet.</div> : null}
      </div>
    </section>
  );
}
