/**
 * The overlay differential flame graph: one graph for both profiles (compareFlame), drawn by the one
 * FlameGraph wrapper. Width is base + target (so frames that are gone stay visible), colour is the
 * change (diffColors.ts: red grew, blue shrank, grey unchanged), new and gone frames are hatched and
 * tagged in the tooltip. The legend says all of this in words, naming the base.
 *
 * Frames are matched to their DiffFlameNode by frame path (names from the root's child down): the
 * engine's aligned tree has one child per name, so a path is unique.
 */
import { useCallback, useMemo, useRef, type ReactNode } from 'react';
import type { FlameResult, FlameNode } from '../../../shared/api/types';
import type { DiffFlameNode, DiffFlameResult } from '../../../shared/compare/types';
import { FlameGraph, type FlameView, type FrameColorState } from '../flame/FlameGraph';
import type { ChartNode } from '../flame/model';
import { packageOf } from '../flame/colors';
import type { TooltipContent, TooltipLine } from '../flame/tooltip';
import { formatPercent, formatValue, plural, formatNumber } from '../lib/format';
import { makeMatcher } from '../lib/regex';
import { useColorScheme } from '../lib/useColorScheme';
import { diffFill, FULL_AT, intensity, legendStops, patternDefs, patternId, patternStep } from './diffColors';
import { signed, signedPercent } from './Delta';

export const pathKey = (path: readonly string[]): string => JSON.stringify(path);

export interface DiffIndex {
  byPath: Map<string, DiffFlameNode>;
  /** The tree as the flame graph draws it: value = |base| + |target|. */
  result: FlameResult;
  /** |delta| under this is "unchanged" (float noise of normalized values). */
  eps: number;
}

/** Copy the differential tree into a FlameResult (width: base + target) and index it by frame path. */
export function indexDiff(d: DiffFlameResult): DiffIndex {
  const byPath = new Map<string, DiffFlameNode>();
  const width = (n: DiffFlameNode) => Math.abs(n.value) + Math.abs(n.base);
  const root: FlameNode = { name: d.root.name, value: width(d.root), self: Math.abs(d.root.self) + Math.abs(d.root.baseSelf), children: [] };
  const stack: Array<[DiffFlameNode, FlameNode, string[]]> = [[d.root, root, []]];
  while (stack.length) {
    const [src, dst, path] = stack.pop()!;
    for (const k of src.children) {
      const p = [...path, k.name];
      byPath.set(pathKey(p), k);
      const c: FlameNode = { name: k.name, value: width(k), self: Math.abs(k.self) + Math.abs(k.baseSelf), children: [] };
      if (k.hiddenFrames) c.hiddenFrames = k.hiddenFrames;
      dst.children.push(c);
      if (k.children.length) stack.push([k, c, p]);
    }
  }
  const result: FlameResult = { sampleType: d.sampleType, sampleIndex: d.sampleIndex, total: root.value, root, nodeCount: d.nodeCount, hiddenFrames: d.hiddenFrames };
  return { byPath, result, eps: 1e-9 * Math.max(1, d.baseTotal, d.targetTotal) };
}

/** Sum of matching frames (not counting a match inside another match: pprof's rule). */
export function summarizeDiffMatches(root: DiffFlameNode, test: (name: string) => boolean): { value: number; base: number; frames: number } {
  let value = 0;
  let base = 0;
  let frames = 0;
  const stack: Array<[DiffFlameNode, boolean]> = root.children.map((c) => [c, false]);
  while (stack.length) {
    const [n, under] = stack.pop()!;
    const hit = !n.hiddenFrames && test(n.name);
    if (hit) {
      frames++;
      if (!under) {
        value += n.value;
        base += n.base;
      }
    }
    for (const c of n.children) stack.push([c, under || hit]);
  }
  return { value, base, frames };
}

let instances = 0;

export interface DiffFlameProps extends FlameView {
  diff: DiffFlameResult | null;
  baseName: string;
  targetName: string;
  loading?: boolean;
  stale?: boolean;
  minFraction: number;
  heading?: ReactNode;
}

export function DiffFlame({ diff, baseName, targetName, loading, stale, minFraction, heading, ...view }: DiffFlameProps) {
  const { search } = view;
  const dark = useColorScheme() === 'dark';
  const prefix = useRef(`hs-diff-${++instances}`).current;
  const index = useMemo(() => (diff ? indexDiff(diff) : null), [diff]);
  const unit = diff?.sampleType.unit ?? '';
  const baseTotal = diff?.baseTotal ?? 0;

  const frameColor = useCallback(
    (path: readonly string[], _n: ChartNode, state: FrameColorState) => {
      const n = index?.byPath.get(pathKey(path));
      if (!n) return undefined;
      const t = intensity(n.delta, baseTotal, index!.eps);
      // A search or a selected function: its frames keep their colour, the rest step back.
      const dimmed = state.dimmed;
      if (n.status !== 'both') return `url(#${patternId(prefix, n.status, patternStep(t), dimmed)})`;
      return diffFill(n.delta, t, dark, dimmed);
    },
    [index, baseTotal, dark, prefix],
  );

  const frameTooltip = useCallback(
    (path: readonly string[], c: ChartNode): TooltipContent | undefined => {
      if (!diff) return undefined;
      const n = c.isRoot ? diff.root : index?.byPath.get(pathKey(path));
      if (!n) return undefined;
      const lines: TooltipLine[] = [
        { label: 'Change', value: signed(n.delta, unit), kind: 'strong' },
        { label: 'Of base total', value: signedPercent(n.delta, baseTotal) },
        { label: `Target (B)`, value: formatValue(n.value, unit) },
        { label: `Base (A)`, value: formatValue(n.base, unit) },
      ];
      if (!n.hiddenFrames && !c.isRoot) lines.push({ label: 'Self change', value: `${signed(n.self - n.baseSelf, unit)} (${formatValue(n.baseSelf, unit)} → ${formatValue(n.self, unit)})`, kind: 'muted' });
      if (diff.mode === 'base') lines.push({ label: 'Of Σ|change|', value: signedPercent(n.delta, diff.total), kind: 'muted' });
      const tag = n.status === 'new' ? `NEW · only in ${targetName}` : n.status === 'gone' ? `GONE · only in ${baseName}` : n.delta === 0 ? 'unchanged' : undefined;
      if (n.hiddenFrames) {
        return {
          title: `${formatNumber(n.hiddenFrames)} frames hidden`,
          ...(tag ? { subtitle: tag } : {}),
          lines,
          note: `Frames narrower than ${formatPercent(minFraction, 1)} of either side were merged into this box.`,
        };
      }
      const sub = [c.isRoot ? null : packageOf(n.name), tag].filter(Boolean).join(' · ');
      return { title: n.name, ...(sub ? { subtitle: sub } : {}), lines, ...(c.isRoot ? {} : { note: 'Click to zoom · Esc to reset' }) };
    },
    [diff, index, unit, baseTotal, baseName, targetName, minFraction],
  );

  const matcher = useMemo(() => makeMatcher(search.text, search.mode), [search.text, search.mode]);
  const match = useMemo(() => (diff && matcher ? summarizeDiffMatches(diff.root, (s) => matcher.test(s)) : null), [diff, matcher]);
  const matchContent = match ? (
    match.frames ? (
      <>
        {matcher?.error ? <span className="text-warning">Invalid regex, matching literally · </span> : null}
        <strong className={`delta ${match.value > match.base ? 'delta--up' : match.value < match.base ? 'delta--down' : ''}`}>{signed(match.value - match.base, unit)}</strong>{' '}
        <span className="text-muted">
          ({formatValue(match.base, unit)} → {formatValue(match.value, unit)})
        </span>{' '}
        in {plural(match.frames, 'frame')}
      </>
    ) : (
      <span className="text-muted">No match</span>
    )
  ) : null;

  return (
    <div className="diff-flame" data-testid="diff-flame" data-mode={diff?.mode} data-normalize={diff ? String(diff.normalize) : undefined}>
      <DiffPatterns prefix={prefix} dark={dark} />
      <FlameGraph
        result={index?.result ?? null}
        loading={!!loading}
        stale={!!stale}
        {...view}
        minFraction={minFraction}
        toolbar="compact"
        heading={heading}
        frameColor={frameColor}
        frameColorOwnsHighlight
        frameTooltip={frameTooltip}
        matchContent={matchContent}
      />
    </div>
  );
}

/** The hatched fills of new / gone frames (referenced as url(#id) by the frames' fill). */
function DiffPatterns({ prefix, dark }: { prefix: string; dark: boolean }) {
  const defs = useMemo(() => patternDefs(prefix, dark), [prefix, dark]);
  return (
    <svg className="diff-patterns" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {defs.map((p) => (
          <pattern key={p.id} id={p.id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={p.fill} />
            <rect width="2" height="6" fill={p.stripe} />
          </pattern>
        ))}
      </defs>
    </svg>
  );
}

export interface DiffLegendProps {
  baseName: string;
  targetName: string;
  baseTotal: number | null;
  unit: string;
  normalize: boolean;
  mode: 'diff_base' | 'base';
}

/** States the colour scale and the base in words (and shows it). */
export function DiffLegend({ baseName, targetName, baseTotal, unit, normalize, mode }: DiffLegendProps) {
  const dark = useColorScheme() === 'dark';
  const stops = useMemo(() => legendStops(dark), [dark]);
  const prefix = useRef(`hs-legend-${++instances}`).current;
  const full = Math.round(FULL_AT * 100);
  return (
    <div className="diff-legend" data-testid="diff-legend" role="note" aria-label="Colour legend">
      <DiffPatterns prefix={prefix} dark={dark} />
      <div className="diff-legend__scale" aria-hidden="true">
        <span className="diff-legend__tick">−{full}%</span>
        <span className="diff-legend__bar">
          {stops.map((c, i) => (
            <span key={i} className="diff-legend__step" style={{ background: c }} />
          ))}
        </span>
        <span className="diff-legend__tick">+{full}%</span>
        <svg className="diff-legend__swatch" viewBox="0 0 18 12">
          <rect width="18" height="12" rx="2" fill={`url(#${patternId(prefix, 'new', 4, false)})`} />
        </svg>
        <span className="diff-legend__tick">new</span>
        <svg className="diff-legend__swatch" viewBox="0 0 18 12">
          <rect width="18" height="12" rx="2" fill={`url(#${patternId(prefix, 'gone', 4, false)})`} />
        </svg>
        <span className="diff-legend__tick">gone</span>
      </div>
      <p className="diff-legend__text" data-testid="diff-legend-text">
        <span className="diff-legend__grew">Red</span> = grew vs <strong className="diff-legend__base">{baseName}</strong>,{' '}
        <span className="diff-legend__shrank">blue</span> = shrank; saturation ∝ change / base total
        {baseTotal !== null ? ` (${formatValue(baseTotal, unit)})` : ''}, full at ±{full}%; grey = unchanged. Hatched: new (only in {targetName}) or gone
        (only in {baseName}). Width: base + target{normalize ? `; ${targetName} scaled to the base total (-normalize)` : ''}
        {mode === 'base' ? '; -base mode' : ''}.
      </p>
    </div>
  );
}
