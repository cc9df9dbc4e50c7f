/**
 * pprof -list lines as a table: flat and cum per line drawn as bars (deltas red/blue in a comparison),
 * hot lines highlighted, the hottest marked and scrolled to, functions inlined at a line named. Used
 * by the app's Source panel and the HTML report's annotated source. Source text, file and function
 * names are untrusted: React text children only.
 */
import { Fragment, useEffect, useMemo, useRef } from 'react';
import type { ListFunction } from '../../../shared/source/types';
import { formatValue, formatNumber } from '../lib/format';
import './source.css';
import { ColumnHeads } from '../controls/ColumnHeads';

/** A line is "hot" at ≥ 10% of the function's largest |value|. */
const HOT = 0.1;

export interface SourceLinesProps {
  /** The function's lines (ascending; a jump in numbers is drawn as a gap: lines left out). */
  f: Pick<ListFunction, 'lines'>;
  unit: string;
  /** Values are target − base. */
  delta: boolean;
  /** The line to mark and scroll to (inside the table's own scroll box, never the page). */
  hottest: number | null;
  /** Extra class of the scroll box (the report limits its height). */
  className?: string;
}

export function SourceLines({ f, unit, delta, hottest, className }: SourceLinesProps) {
  const max = useMemo(() => f.lines.reduce((m, l) => Math.max(m, Math.abs(l.flat), Math.abs(l.cum)), 0), [f]);
  const hotRef = useRef<HTMLTableRowElement | null>(null);
  const boxRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const row = hotRef.current;
    const box = boxRef.current;
    if (!row || !box) return;
    box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 2 + row.offsetHeight / 2;
  }, [f, hottest]);
  const bar = (v: number, kind: 'flat' | 'cum') =>
    v === 0 ? null : (
      <span
        className={`source-bar source-bar--${kind}${delta ? (v > 0 ? ' source-bar--grew' : ' source-bar--shrank') : ''}`}
        ref={(el) => {
          if (el) el.style.width = `${max > 0 ? Math.max(2, (Math.abs(v) / max) * 100) : 0}%`;
        }}
      />
    );
  const val = (v: number) => (v === 0 ? '.' : `${delta && v > 0 ? '+' : ''}${formatValue(v, unit)}`);
  return (
    <div className={`source-scroll${className ? ` ${className}` : ''}`} data-testid="source-lines" ref={boxRef}>
      <table className="source-table">
        <ColumnHeads columns={[delta ? 'Δ flat' : 'flat', delta ? 'Δ cum' : 'cum', 'line', 'source']} />
        <tbody>
          {f.lines.map((l, i) => {
            const gap = i > 0 ? l.line - f.lines[i - 1]!.line - 1 : 0;
            const hot = max > 0 && Math.max(Math.abs(l.flat), Math.abs(l.cum)) >= HOT * max;
            const isHottest = l.line === hottest;
            const row = (
              <tr
                key={l.line}
                ref={isHottest ? hotRef : undefined}
                data-testid="source-line"
                data-line={l.line}
                data-flat={l.flat}
                data-cum={l.cum}
                data-hot={hot ? '1' : undefined}
                data-hottest={isHottest ? '1' : undefined}
                className={`source-line${hot ? ' source-line--hot' : ''}${isHottest ? ' source-line--hottest' : ''}`}
              >
                <td className="source-num">
                  {bar(l.flat, 'flat')}
                  <span className="source-num__text">{val(l.flat)}</span>
                </td>
                <td className="source-num">
                  {bar(l.cum, 'cum')}
                  <span className="source-num__text">{val(l.cum)}</span>
                </td>
                <td className="source-lineno">{l.line}</td>
                <td className="source-text">
                  <code>{l.text ?? ''}</code>
                  {l.inlined?.length ? (
                    <span className="source-inlined" data-testid="source-inlined" title={`Inlined here: ${l.inlined.join(', ')}`}>
                      inlined: {l.inlined.join(', ')}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
            return gap > 0 ? (
              <Fragment key={l.line}>
                <tr className="source-gap" data-testid="source-gap">
                  <td colSpan={4}>⋯ {formatNumber(gap)} {gap === 1 ? 'line' : 'lines'} left out</td>
                </tr>
                {row}
              </Fragment>
            ) : (
              row
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
