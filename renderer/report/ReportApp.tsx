/**
 * The report viewer: header (what was analysed, when, with which Heapscope), the ranked findings
 * with their evidence and a link to the section that shows it, then the sections. Sections mount one
 * per task after the first paint, so the page shows its header and findings at once.
 *
 * Every string from the model is untrusted (profile names, file names, titles): React text children
 * and attribute values only.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ReportFinding, ReportInputInfo, ReportModel, ReportSection } from '../../shared/report/model';
import { formatBytes } from '../src/lib/format';
import { LineChart } from './Charts';
import { ComparisonSection } from './ComparisonSection';
import { evidenceRows, formatDurationNanos, formatIsoTime, formatNanosTime, fractionLabel, rawEvidence } from './format';
import { GoroutineSection } from './GoroutineSection';
import { HeapSection } from './HeapSection';
import { ProfileSection } from './ProfileSection';
import { ColumnHeads } from '../src/controls/ColumnHeads';

const KIND_LABEL: Record<ReportSection['kind'], string> = {
  comparison: 'Comparison',
  heapdump: 'Heap dump',
  goroutines: 'Goroutines',
  profile: 'Profile',
  gctrace: 'GC trace',
};

function inputKind(x: ReportInputInfo): string {
  if (x.kind === 'heapdump') return 'heap dump';
  if (x.kind === 'gctrace') return 'gctrace log';
  return `${x.profileKind ?? 'unknown'} profile`;
}

function inputDetails(x: ReportInputInfo): string[] {
  const out: string[] = [];
  if (x.goVersion) out.push(x.goVersion.startsWith('go') ? x.goVersion : `Go ${x.goVersion}`);
  if (x.goarch) out.push(`GOARCH ${x.goarch}`);
  if (x.kind === 'heapdump') out.push(x.exe ? `symbols from ${x.exe}` : 'no executable (globals unnamed unless named by the dump)');
  if (x.complete === false) out.push('INCOMPLETE dump');
  if (x.sampleTypes?.length) out.push(`sample types: ${x.sampleTypes.map((t) => t.type).join(', ')}`);
  const d = formatDurationNanos(x.durationNanos);
  if (d) out.push(`duration ${d}`);
  if (x.gcCycles !== undefined) out.push(`${x.gcCycles} GC cycles`);
  if (x.sizeBytes !== undefined) out.push(formatBytes(x.sizeBytes));
  return out;
}

function Header({ model }: { model: ReportModel }) {
  // Sources (a path other than the name, a capture URL) get a column when any input has one.
  const sourceOf = (x: ReportInputInfo): string => (x.source && x.source !== x.name ? x.source : '');
  const sources = model.inputs.some((x) => sourceOf(x) !== '');
  return (
    <header className="report-header" data-testid="report-header">
      <h1 data-testid="report-title">{model.title}</h1>
      <p className="report-meta">
        Made {formatIsoTime(model.createdAt)} with Heapscope {model.heapscopeVersion} · {model.inputs.length} {model.inputs.length === 1 ? 'input' : 'inputs'}
      </p>
      <div className="rtable__scroll">
        <table className="rtable-static" aria-label="What was analysed" data-testid="report-inputs">
          <ColumnHeads columns={['Input', 'Kind', 'Format', 'Captured', 'Details', ...(sources ? ['Source'] : [])]} />
          <tbody>
            {model.inputs.map((x) => (
              <tr key={x.name} data-testid="report-input">
                <td className="mono">{x.name}</td>
                <td>{inputKind(x)}</td>
                <td className="mono report-format">{x.format}</td>
                <td>{formatNanosTime(x.timeNanos)}</td>
                <td>
                  {inputDetails(x).join(' · ')}
                  {x.comments?.length ? <div className="text-muted">{x.comments.join(' · ')}</div> : null}
                  {x.warnings.map((w, i) => (
                    <div key={i} className="text-warning">
                      {w}
                    </div>
                  ))}
                </td>
                {sources ? <td className="mono report-source">{sourceOf(x)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="report-note" data-testid="report-limits">
        Flame graphs merge frames narrower than {fractionLabel(model.limits.minFraction)} of the total into “N frames hidden” boxes (more when a graph would exceed{' '}
        {model.limits.maxFlameNodes.toLocaleString()} frames; each graph says what it hid). Tables keep their {model.limits.maxTopRows.toLocaleString()} biggest rows.
      </p>
      {model.notes.length ? (
        <ul className="report-notes" data-testid="report-notes">
          {model.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
    </header>
  );
}

function Toc({ model }: { model: ReportModel }) {
  return (
    <nav className="report-toc" aria-label="Contents">
      <ol>
        {model.findingsIncluded ? (
          <li>
            <a href="#findings">Findings ({model.findings.length})</a>
          </li>
        ) : null}
        {model.sections.map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`}>
              <span className="text-muted">{KIND_LABEL[s.kind]}:</span> {s.title}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function FindingItem({ f, sectionTitle }: { f: ReportFinding; sectionTitle: string | null }) {
  const ev = evidenceRows(f);
  return (
    <li className={`finding finding--${f.severity}`} id={f.id} data-testid="report-finding" data-severity={f.severity} data-kind={f.kind}>
      <div className="finding__head">
        <span className={`severity severity--${f.severity}`}>{f.severity}</span>
        <h3 className="finding__title">{f.title}</h3>
      </div>
      <div className="finding__sub text-muted">
        {f.kind} · <span className="mono">{f.subject}</span> · from {f.sources.join(', ')}
      </div>
      <details className="finding__evidence" open>
        <summary>Evidence ({ev.length})</summary>
        <dl>
          {ev.map((r) => (
            <div key={r.key}>
              <dt>{r.label}</dt>
              <dd title={rawEvidence(f.evidence[r.key])} className={r.mono ? 'mono' : undefined}>
                {typeof r.value === 'string' ? r.value : r.value.join(', ')}
              </dd>
            </div>
          ))}
        </dl>
      </details>
      {f.section ? (
        <a className="finding__link" href={`#${f.section}`} data-testid="finding-link">
          Show the evidence{sectionTitle ? `: ${sectionTitle}` : ''} ↓
        </a>
      ) : (
        <span className="text-muted">The section that shows it was not included.</span>
      )}
    </li>
  );
}

function Findings({ model }: { model: ReportModel }) {
  const titles = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of model.sections) {
      m.set(s.id, s.title);
      if (s.kind === 'heapdump') for (const x of s.suspects) m.set(x.id, `${s.title}, paths to ${x.address}`);
      if (s.kind === 'goroutines') for (const x of s.snapshots) m.set(x.id, `goroutines of ${x.input}`);
    }
    return m;
  }, [model]);
  const counts = { high: 0, medium: 0, low: 0 };
  for (const f of model.findings) counts[f.severity]++;
  return (
    <section className="report-section" id="findings" data-testid="report-findings" aria-labelledby="findings-h">
      <h2 id="findings-h">Findings</h2>
      <p className="report-meta">
        {model.findings.length === 0 ? 'No findings.' : `${model.findings.length} ranked by severity, then size: ${counts.high} high, ${counts.medium} medium, ${counts.low} low.`}
      </p>
      <ol className="findings">
        {model.findings.map((f) => (
          <FindingItem key={f.id} f={f} sectionTitle={f.section ? (titles.get(f.section) ?? null) : null} />
        ))}
      </ol>
      {model.findingNotes.length ? (
        <details className="report-notes">
          <summary>How the inputs were used</summary>
          <ul>
            {model.findingNotes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function SectionBody({ s, model }: { s: ReportSection; model: ReportModel }) {
  switch (s.kind) {
    case 'profile':
      return <ProfileSection section={s} strings={model.strings} />;
    case 'comparison':
      return <ComparisonSection section={s} strings={model.strings} />;
    case 'heapdump':
      return <HeapSection section={s} exe={model.inputs.find((x) => x.name === s.input)?.exe} />;
    case 'goroutines':
      return <GoroutineSection section={s} />;
    case 'gctrace':
      return (
        <>
          <p className="report-meta">
            {s.liveMB.length} GC cycles{s.skipped ? `, ${s.skipped} unreadable lines skipped` : ''}. Live heap after each GC and the next goal, MB.
          </p>
          <LineChart
            xs={s.atSec}
            xLabel="s"
            yLabel="MB"
            testId="gctrace-chart"
            series={[
              { name: 'live', values: s.liveMB, className: 'line-chart__live' },
              { name: 'goal', values: s.goalMB, className: 'line-chart__goal' },
            ]}
          />
          <p className="report-note">
            <span className="legend-swatch legend-swatch--live" /> live heap <span className="legend-swatch legend-swatch--goal" /> goal
          </p>
        </>
      );
  }
}

function Section({ s, model, children }: { s: ReportSection; model: ReportModel; children?: ReactNode }) {
  return (
    <section className="report-section" id={s.id} data-testid="report-section" data-kind={s.kind} aria-labelledby={`${s.id}-h`}>
      <h2 id={`${s.id}-h`}>
        <span className="report-section__kind">{KIND_LABEL[s.kind]}</span> {s.title}
      </h2>
      {children ?? <SectionBody s={s} model={model} />}
    </section>
  );
}

export function ReportApp({ model }: { model: ReportModel }) {
  // Sections mount one per task after the first paint (header and findings first).
  const [mounted, setMounted] = useState(0);
  useEffect(() => {
    if (mounted >= model.sections.length) {
      performance.mark('heapscope-report:complete');
      const h = decodeURIComponent(location.hash.slice(1));
      if (h) document.getElementById(h)?.scrollIntoView();
      return;
    }
    const t = setTimeout(() => setMounted((m) => m + 1), 0);
    return () => clearTimeout(t);
  }, [mounted, model.sections.length]);
  useEffect(() => {
    performance.mark('heapscope-report:first-render');
  }, []);
  return (
    <div className="report" data-testid="report" data-complete={mounted >= model.sections.length ? 'true' : 'false'}>
      <Header model={model} />
      <Toc model={model} />
      {model.findingsIncluded ? <Findings model={model} /> : null}
      {model.sections.map((s, i) =>
        i < mounted ? (
          <Section key={s.id} s={s} model={model} />
        ) : (
          <Section key={s.id} s={s} model={model}>
            <p className="text-muted">Drawing…</p>
          </Section>
        ),
      )}
      <footer className="report-footer text-muted">
        Made with Heapscope {model.heapscopeVersion}. This file is self-contained: it loads nothing from the network.
      </footer>
    </div>
  );
}
