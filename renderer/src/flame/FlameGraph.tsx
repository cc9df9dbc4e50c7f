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
 * Lifecycle (`useFlameChart`): one chart instance per FlameResult (new data → destroy + create);
 * width follows the container; search, icicle and theme changes call `update()` on the same
 * instance. A big tree is drawn first from what the width shows, then whole (model.ts visibleTree).
 *
 * Zoom is kept as a frame path (the names from the root's child down to the zoomed frame), shown as
 * a breadcrumb. A parent may control it (`zoomPath` + `onZoomChange`): the comparison view zooms
 * both graphs to the same stack of names, and this panel says so when that stack is absent here.
 */
import { useCallback, useImperativeHandle, useMemo, useRef, useState, type ReactNode, type Ref } from 'react';
import type { FlameResult } from '../../../shared/api/types';
import { formatPercent, formatNumber } from '../lib/format';
import { makeMatcher } from '../lib/regex';
import { Breadcrumb } from './Breadcrumb';
import { MatchSummary } from './describe';
import { chartTrees, summarizeMatches, type ChartNode } from './model';
import { FlameToolbar } from './FlameToolbar';
import type { FlameSearch } from './SearchField';
import type { TooltipContent, TooltipLine } from './tooltip';
import { useFlameChart, type FrameColorState } from './useFlameChart';

export type { FlameSearch } from './SearchField';
export type { FrameColorState } from './useFlameChart';

/** A flame graph's search, zoom and icicle when a parent owns them (a comparison shares them between graphs). */
export interface FlameView {
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  zoomPath: readonly string[] | null;
  onZoomChange(p: string[] | null): void;
  inverted: boolean;
  onInvertedChange(v: boolean): void;
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
  const scrollRef = useRef<HTMLDivElement>(null);
  const chartHostRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [ownInverted, setOwnInverted] = useState(false);
  const inverted = invertedProp ?? ownInverted;
  const setInverted = useCallback(
    (v: boolean) => (onInvertedChange ? onInvertedChange(v) : setOwnInverted(v)),
    [onInvertedChange],
  );
  // The chart's tree copies, made when needed: a big tree's first draw takes only what it shows.
  const trees = useMemo(() => (result ? chartTrees(result.root) : null), [result]);
  const matcher = useMemo(() => makeMatcher(search.text, search.mode), [search.text, search.mode]);
  const matchSummary = useMemo(() => (trees && matcher ? summarizeMatches(trees.full(), matcher) : null), [trees, matcher]);
  const { shownPath, missingPath, zoomToPath, resetZoom, tooltipRef, animate } = useFlameChart({
    chartHostRef,
    scrollRef,
    result,
    trees,
    minFraction,
    inverted,
    matcher,
    dim: !!matchSummary && matchSummary.frames > 0,
    zoomPath,
    onZoomChange,
    frameColor,
    frameColorOwnsHighlight,
    frameDetails,
    frameTooltip,
  });
  const zoomed = shownPath.length > 0;

  useImperativeHandle(ref, () => ({
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    resetZoom,
  }), [resetZoom]);

  const matchText = (
    <div className="flame-match" aria-live="polite" data-testid="flame-match">
      {matchContent !== undefined ? matchContent : <MatchSummary error={matcher?.error} summary={matchSummary} result={result} />}
    </div>
  );

  const crumbs =
    zoomed || missingPath ? <Breadcrumb shownPath={shownPath} missingPath={missingPath} onReset={resetZoom} onZoomTo={(p) => zoomToPath(p, false)} /> : null;

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
            <FlameToolbar scope="graph" search={search} onSearchChange={onSearchChange} searchRef={searchRef} zoomed={zoomed} onResetZoom={resetZoom} inverted={inverted} onInvertedChange={setInverted}>
              {matchText}
            </FlameToolbar>
          </>
        )}
      </div>
      {result && result.hiddenFrames > 0 ? (
        <div className="flame-note" data-testid="flame-hidden-note">
          {formatNumber(result.hiddenFrames)} frames hidden below {formatPercent(minFraction, 1)} width
          <span className="text-muted"> · {formatNumber(result.nodeCount)} frames in the full tree</span>
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
