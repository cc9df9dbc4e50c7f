/**
 * The findings panel: ranked leak findings over the workspace (severity, then bytes at stake), each
 * with its evidence as a compact key/value list and an "Open" action that shows the view and the
 * selection that proves it. Titles, subjects and evidence come from the files: rendered as text.
 */
import { useMemo, useState } from 'react';
import type { LoadedItem } from '../../../shared/api/types';
import type { Finding, Severity } from '../../../shared/findings/types';
import { Sparkline } from '../chart/Sparkline';
import { ErrorBanner } from '../status/ErrorBanner';
import { evidenceRows, KIND_LABEL } from './evidence';
import { resolveLink } from './links';
import type { FindingsState } from './useFindings';
import { formatNumber } from '../lib/format';

const SEVERITIES: Severity[] = ['high', 'medium', 'low'];
const EVIDENCE_SHOWN = 8;

export interface FindingsPanelProps {
  state: FindingsState;
  items: readonly LoadedItem[];
  onOpen(f: Finding): void;
}

export function FindingsPanel({ state, items, onOpen }: FindingsPanelProps) {
  const { result, busy, error, reload, clearError } = state;
  const [shown, setShown] = useState<ReadonlySet<Severity>>(() => new Set(SEVERITIES));
  const counts = useMemo(() => {
    const c: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
    for (const f of result?.findings ?? []) c[f.severity]++;
    return c;
  }, [result]);
  const list = useMemo(() => (result?.findings ?? []).filter((f) => shown.has(f.severity)), [result, shown]);
  const toggle = (s: Severity) =>
    setShown((cur) => {
      const n = new Set(cur);
      if (n.has(s)) n.delete(s);
      else n.add(s);
      return n.size ? n : new Set(SEVERITIES);
    });

  return (
    <div className="findings-view" data-testid="findings-panel" aria-busy={busy || undefined}>
      <div className="profile-header findings-header">
        <div className="profile-header__title">
          <h2>Findings</h2>
          <span className="text-muted">
            {result ? `${formatNumber(result.findings.length)} over ${items.length} ${items.length === 1 ? 'item' : 'items'}, ranked by severity and bytes at stake` : 'Looking for leaks…'}
          </span>
        </div>
        <div className="toolbar-spacer" />
        <div className="severity-filter" role="group" aria-label="Show severities">
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              className={`severity-toggle severity-toggle--${s}`}
              aria-pressed={shown.has(s)}
              onClick={() => toggle(s)}
              disabled={!counts[s]}
              data-testid={`findings-filter-${s}`}
            >
              <span className={`severity-dot severity-dot--${s}`} aria-hidden="true" />
              {s} <span className="count-badge">{counts[s]}</span>
            </button>
          ))}
        </div>
        <button type="button" className="btn btn--small" onClick={reload} disabled={busy} data-testid="findings-refresh" title="Look again over every loaded item">
          {busy ? 'Looking…' : 'Refresh'}
        </button>
      </div>
      {error ? <ErrorBanner title="Findings" error={error} onRetry={reload} onDismiss={clearError} /> : null}
      <div className={`findings-list${busy && result ? ' is-loading' : ''}`} role="list" aria-label="Findings">
        {list.map((f, i) => (
          <FindingCard key={`${f.kind}|${f.subject}|${i}`} f={f} rank={i + 1} items={items} onOpen={onOpen} />
        ))}
        {result && !result.findings.length ? (
          <div className="panel__empty panel__empty--page findings-empty" data-testid="findings-empty">
            <strong>No leaks found</strong>
            <span>Open two or more snapshots of the same program (heap profiles, goroutine dumps, heap dumps) to measure growth.</span>
          </div>
        ) : null}
        {result?.notes.length ? (
          <details className="findings-notes" data-testid="findings-notes">
            <summary>How the inputs were read ({result.notes.length})</summary>
            <ul>
              {result.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </div>
  );
}

function FindingCard({ f, rank, items, onOpen }: { f: Finding; rank: number; items: readonly LoadedItem[]; onOpen(f: Finding): void }) {
  const rows = useMemo(() => evidenceRows(f), [f]);
  const nav = useMemo(() => resolveLink(f.link, items), [f, items]);
  const [all, setAll] = useState(false);
  const visible = all ? rows : rows.slice(0, EVIDENCE_SHOWN);
  return (
    <article className={`finding finding--${f.severity}`} role="listitem" data-testid="finding" data-kind={f.kind} data-severity={f.severity} data-subject={f.subject} aria-label={f.title}>
      <div className="finding__head">
        <span className="finding__rank text-muted">#{rank}</span>
        <span className={`severity-pill severity-pill--${f.severity}`}>{f.severity}</span>
        <span className="finding__kind">{KIND_LABEL[f.kind] ?? f.kind}</span>
        <span className="finding__subject mono" title={f.subject} data-testid="finding-subject">
          {f.subject}
        </span>
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="btn btn--small btn--primary finding__open"
          onClick={() => onOpen(f)}
          disabled={!nav.ok}
          title={nav.ok ? `${nav.label} (${describeLink(f)})` : nav.reason}
          data-testid="finding-open"
        >
          {nav.ok ? nav.label : 'No view'}
          <span aria-hidden="true"> ›</span>
        </button>
      </div>
      <p className="finding__title" data-testid="finding-title">
        {f.title}
      </p>
      <dl className="evidence" data-testid="finding-evidence">
        {visible.map((r) => (
          <div key={r.key} className="evidence__item" data-key={r.key}>
            <dt>{r.label}</dt>
            <dd className={r.mono ? 'mono' : undefined}>
              {r.series ? <Sparkline values={r.series} width={54} height={16} /> : null}
              {Array.isArray(r.value) ? (
                <ul className="evidence__list">
                  {r.value.map((v, i) => (
                    <li key={i}>{v}</li>
                  ))}
                </ul>
              ) : (
                <span title={r.value}>{r.value}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <div className="finding__foot">
        {rows.length > EVIDENCE_SHOWN ? (
          <button type="button" className="link-button" onClick={() => setAll(!all)}>
            {all ? 'Less' : `${rows.length - EVIDENCE_SHOWN} more`}
          </button>
        ) : null}
        <span className="finding__sources text-muted">
          from{' '}
          {f.sources.map((s, i) => (
            <span key={i} className="source-chip" title={s}>
              {s}
            </span>
          ))}
        </span>
      </div>
    </article>
  );
}

function describeLink(f: Finding): string {
  const l = f.link;
  switch (l.view) {
    case 'diff':
      return `${l.base} → ${l.target}${l.function ? `, ${l.function}` : ''}`;
    case 'series':
      return `${l.files.join(' → ')}${l.function ? `, ${l.function}` : ''}`;
    case 'goroutines':
      return `${l.base ? `${l.base} → ` : ''}${l.file}${l.function ? `, ${l.function}` : ''}`;
    case 'heap':
      return `${l.dump}${l.root ? `, ${l.root}` : ''}${l.allocSite ? `, ${l.allocSite}` : ''}${l.object ? `, ${l.object}` : ''}`;
    case 'heapdiff':
      return `${l.base} → ${l.target}${l.root ? `, ${l.root}` : ''}${l.allocSite ? `, ${l.allocSite}` : ''}`;
    case 'gctrace':
      return l.file;
  }
}
