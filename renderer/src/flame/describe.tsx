/**
 * What the flame graph says about frames in words: a frame's default tooltip, and the matched total
 * of a search. Function names are untrusted text (tooltip.ts writes them with textContent; React
 * renders them as text nodes).
 */
import type { FlameResult } from '../../../shared/api/types';
import { formatPercent, formatValue, plural, formatNumber } from '../lib/format';
import type { Node } from './chartDom';
import { packageOf } from './colors';
import type { summarizeMatches } from './model';
import type { TooltipContent, TooltipLine } from './tooltip';

export interface FrameTotals {
  unit: string;
  total: number;
  /** The pruning fraction (a merged box's note names it). */
  minFraction: number;
  /** Extra lines after Total / Self / Of parent. */
  details: TooltipLine[];
}

/** A frame's tooltip: total, self and share of its parent; a merged box says what it hides. */
export function describeFrame(d: Node, { unit, total, minFraction, details }: FrameTotals): TooltipContent {
  const n = d.data;
  const valueText = (v: number) => `${formatValue(v, unit)} (${formatPercent(v, total)})`;
  if (n.hiddenFrames) {
    return {
      title: `${formatNumber(n.hiddenFrames)} frames hidden`,
      lines: [{ label: 'Total', value: valueText(n.value) }],
      note: `Frames narrower than ${formatPercent(minFraction, 1)} of the total were merged into this box.`,
    };
  }
  return {
    title: n.name,
    ...(n.isRoot ? {} : { subtitle: packageOf(n.name) }),
    lines: [
      { label: 'Total', value: valueText(n.value), kind: 'strong' },
      { label: 'Self', value: valueText(n.self) },
      ...(d.parent ? [{ label: 'Of parent', value: formatPercent(n.value, d.parent.data.value), kind: 'muted' as const }] : []),
      ...details,
    ],
    ...(n.isRoot ? {} : { note: 'Click to zoom · Esc to reset' }),
  };
}

export interface MatchSummaryProps {
  /** The regex did not compile (it matches literally). */
  error: string | undefined;
  summary: ReturnType<typeof summarizeMatches> | null;
  result: FlameResult | null;
}

/** "1.2 MiB (40%) in 3 frames", "No match", and a warning for a regex taken literally. */
export function MatchSummary({ error, summary, result }: MatchSummaryProps) {
  return (
    <>
      {error ? (
        <span className="text-warning" title={error}>
          Invalid regex, matching literally ·{' '}
        </span>
      ) : null}
      {summary && result ? (
        summary.frames ? (
          <>
            <strong>{formatValue(summary.value, result.sampleType.unit)}</strong> ({formatPercent(summary.value, result.total)}) in {plural(summary.frames, 'frame')}
          </>
        ) : (
          <span className="text-muted">No match</span>
        )
      ) : null}
    </>
  );
}
