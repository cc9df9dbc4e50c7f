/**
 * The report's annotated source: pprof -list of the hottest functions of a view (per-line deltas in
 * a comparison), drawn with the app's SourceLines. Every cut the assembly made is said here: lines of
 * the window left out, long lines cut, text left out for the report's size. Source text and names
 * are untrusted: React text only.
 */
import type { ReportSource, ReportSourceFunction } from '../../shared/report/model';
import { formatValue } from '../src/lib/format';
import { SourceLines } from '../src/source/SourceLines';

function hottestLine(f: ReportSourceFunction): number | null {
  let best: number | null = null;
  let bv = 0;
  for (const l of f.lines) {
    const v = Math.abs(l.flat) > 0 ? Math.abs(l.flat) * 2 : Math.abs(l.cum);
    if (v > bv) {
      bv = v;
      best = l.line;
    }
  }
  return best;
}

function FunctionSource({ f, unit, delta, open }: { f: ReportSourceFunction; unit: string; delta: boolean; open: boolean }) {
  const sign = (v: number) => `${delta && v > 0 ? '+' : ''}${formatValue(v, unit)}`;
  return (
    <details className="report-annotated__fn" data-testid="report-source-fn" data-function={f.name} open={open}>
      <summary>
        <span className="mono report-annotated__name">{f.name}</span> <span className="mono text-muted">{f.file}</span>{' '}
        <span className="text-muted">
          {delta ? 'Δ ' : ''}flat {sign(f.flat)} · cum {sign(f.cum)}
        </span>
        {f.via ? <span className="report-annotated__via text-muted"> · found in {f.via}</span> : null}
      </summary>
      {f.via === null ? (
        <div className="report-note" data-testid="report-source-missing">
          Source not read: {f.problem ?? 'not found'}. The numbers per line are pprof&apos;s.
          {f.tried?.length ? (
            <ul className="source-tried">
              {f.tried.map((t, i) => (
                <li key={i}>
                  <code>{t}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {f.textOmitted ? <p className="report-note">The text of this function was left out to keep the report small (numbers kept).</p> : null}
      {f.omittedLines > 0 ? (
        <p className="report-note" data-testid="report-source-cut">
          {f.omittedLines.toLocaleString()} of pprof&apos;s {(f.omittedLines + f.lines.length).toLocaleString()} lines left out: every line with a value is kept, with its neighbours.
        </p>
      ) : null}
      {f.truncatedLines > 0 ? <p className="report-note">{f.truncatedLines.toLocaleString()} long lines cut (…).</p> : null}
      <SourceLines f={f} unit={unit} delta={delta} hottest={hottestLine(f)} className="report-annotated__lines" />
    </details>
  );
}

export function SourceSection({ source, unit, delta }: { source: ReportSource; unit: string; delta: boolean }) {
  if (source.functions.length === 0) return null;
  return (
    <div className="report-sub report-annotated" data-testid="report-source">
      <h3>{delta ? 'Per-line changes of the functions that changed most' : 'Source of the hottest functions'}</h3>
      <p className="report-meta">
        pprof -list{delta ? ' -diff_base' : ''}: {delta ? 'Δ ' : ''}flat and cum per line, the biggest |flat| first (the numbers of <code>heapscope list</code>).
      </p>
      {source.functions.map((f, i) => (
        <FunctionSource key={`${f.name}\u0000${f.file}\u0000${i}`} f={f} unit={unit} delta={delta} open={i < 2} />
      ))}
    </div>
  );
}
