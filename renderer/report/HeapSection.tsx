/**
 * A heap dump: summary, GC roots by retained size, the top of the dominator tree, and the paths from
 * GC roots to the suspects drawn as chains (root → object → … → suspect, each edge with the field or
 * frame slot that holds the pointer).
 */
import { useMemo, useState } from 'react';
import type { PathStep } from '../../shared/heap/types';
import type { HeapDomRow, HeapDumpSection as Section, HeapRootRow, HeapSuspect } from '../../shared/report/model';
import { RootBadge } from '../src/heap/RootBadge';
import { formatBytes, formatPercent } from '../src/lib/format';
import { Table, type Column } from './Table';
import { TypesHistogram } from './TypesHistogram';

function Summary({ s, exe }: { s: Section['summary']; exe: string | null | undefined }) {
  const items: Array<[string, string]> = [
    ['Go', s.goVersion || '?'],
    ['GOARCH', s.goarch || '?'],
    ['Objects', `${s.objects.toLocaleString()} (${formatBytes(s.bytes)})`],
    ['Reachable', `${s.reachableObjects.toLocaleString()} (${formatBytes(s.reachableBytes)})`],
    ['Garbage', `${s.garbageObjects.toLocaleString()} (${formatBytes(s.garbageBytes)})`],
    ['Roots', s.roots.toLocaleString()],
    ['Goroutines', s.goroutines.toLocaleString()],
  ];
  return (
    <>
      <dl className="report-stats" data-testid="heap-summary">
        {items.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {!s.complete ? <p className="report-warning">The dump is incomplete (cut short): numbers cover what was read.</p> : null}
      {!s.globalsNamed ? <p className="report-warning">Globals are unnamed (no executable{exe ? ' matching the dump' : ''}): pass the program's binary to name them.</p> : null}
      {s.warnings.map((w, i) => (
        <p key={i} className="report-warning">
          {w}
        </p>
      ))}
    </>
  );
}

function Roots({ section }: { section: Section }) {
  const total = section.summary.reachableBytes;
  const columns = useMemo<Array<Column<HeapRootRow>>>(
    () => [
      {
        id: 'retained',
        header: 'Retained',
        numeric: true,
        value: (r) => r.retainedBytes,
        render: (r) => (
          <span className="bar-cell">
            <span className="bar-cell__bar" style={{ width: `${total ? Math.min(100, (100 * r.retainedBytes) / total) : 0}%` }} />
            <span className="bar-cell__text">{formatBytes(r.retainedBytes)}</span>
          </span>
        ),
        title: (r) => `${r.retainedBytes} B`,
      },
      { id: 'share', header: '% live', numeric: true, value: (r) => r.retainedBytes, render: (r) => formatPercent(r.retainedBytes, total) },
      { id: 'objects', header: 'Objects', numeric: true, value: (r) => r.retainedObjects, render: (r) => r.retainedObjects.toLocaleString() },
      { id: 'kind', header: 'Kind', value: (r) => r.kind, render: (r) => <RootBadge kind={r.kind} /> },
      { id: 'name', header: 'Root', value: (r) => r.name, render: (r) => <span className="mono">{r.name}</span>, title: (r) => r.name },
    ],
    [total],
  );
  return (
    <>
      <Table rows={section.roots.rows} columns={columns} label="GC roots by retained size" testId="heap-roots" rowTestId="heap-root-row" filterText={(r) => r.name} pageSize={20} />
      {section.roots.total > section.roots.rows.length ? (
        <p className="report-note">
          The {section.roots.rows.length} biggest of {section.roots.total.toLocaleString()} roots.
        </p>
      ) : null}
    </>
  );
}

function DomTree({ section }: { section: Section }) {
  const rows = section.dominators.rows;
  const total = section.summary.reachableBytes;
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set(rows.map((r, i) => (r.depth >= 2 && r.shownChildren > 0 ? i : -1)).filter((i) => i >= 0)));
  const visible = useMemo(() => {
    const out: Array<{ r: HeapDomRow; i: number }> = [];
    const hiddenUnder = new Set<number>();
    rows.forEach((r, i) => {
      if (r.parent >= 0 && (hiddenUnder.has(r.parent) || collapsed.has(r.parent))) {
        hiddenUnder.add(i);
        return;
      }
      out.push({ r, i });
    });
    return out;
  }, [rows, collapsed]);
  const toggle = (i: number) =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (n.has(i)) n.delete(i);
      else n.add(i);
      return n;
    });
  return (
    <>
      <div className="dom-tree" role="tree" aria-label="Top of the dominator tree" data-testid="heap-dominators">
        <div className="dom-tree__head" aria-hidden="true">
          <span>Retained</span>
          <span>% live</span>
          <span>Size</span>
          <span>Node</span>
        </div>
        {visible.map(({ r, i }) => {
          const open = r.shownChildren > 0 && !collapsed.has(i);
          const more = r.children - r.shownChildren;
          return (
            <div key={i} className="dom-tree__row" role="treeitem" aria-level={r.depth + 1} aria-expanded={r.shownChildren > 0 ? open : undefined} data-testid="heap-dom-row">
              <span className="num">{formatBytes(r.retainedBytes)}</span>
              <span className="num text-muted">{formatPercent(r.retainedBytes, total)}</span>
              <span className="num text-muted">{r.kind === 'object' ? formatBytes(r.size) : ''}</span>
              <span className="dom-tree__label" style={{ paddingLeft: `${r.depth * 18}px` }}>
                {r.shownChildren > 0 ? (
                  <button type="button" className="dom-tree__toggle" aria-label={open ? 'Collapse' : 'Expand'} onClick={() => toggle(i)}>
                    {open ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className="dom-tree__toggle" aria-hidden="true" />
                )}
                {r.rootKind ? <RootBadge kind={r.rootKind} /> : null}
                <span className="mono">{r.label}</span>
                {r.allocSite ? <span className="text-muted"> allocated in {r.allocSite}</span> : null}
                {more > 0 ? <span className="text-muted"> · {more.toLocaleString()} more {more === 1 ? 'child' : 'children'} not shown</span> : null}
              </span>
            </div>
          );
        })}
      </div>
      <p className="report-note">
        The biggest of {section.dominators.topLevelTotal.toLocaleString()} top-level nodes, and under each its biggest children (at most 6, retaining ≥ 0.1% of the live heap, 5 levels).
        A node's retained size is what it alone keeps alive.
      </p>
    </>
  );
}

function StepBox({ step, last }: { step: PathStep; last: boolean }) {
  if (step.root) {
    return (
      <span className="path-node path-node--root">
        <RootBadge kind={step.root.kind} /> <span className="mono">{step.root.name}</span>
      </span>
    );
  }
  return (
    <span className={`path-node${last ? ' path-node--target' : ''}`}>
      <span className="mono">{step.address ?? '?'}</span>
      {step.size !== undefined ? <span className="text-muted"> {formatBytes(step.size)}</span> : null}
      {step.allocSite ? <span className="path-node__site">{step.allocSite}</span> : null}
    </span>
  );
}

function PathChain({ path }: { path: PathStep[] }) {
  return (
    <ol className="path-chain" data-testid="heap-path">
      {path.map((s, i) => (
        <li key={i} className="path-chain__step">
          {i > 0 ? (
            <span className="path-edge" title={s.via ?? ''}>
              <span className="path-edge__label">
                {s.via ?? ''}
                {s.interiorOffset ? ` (points 0x${s.interiorOffset.toString(16)} bytes in)` : ''}
              </span>
              <span className="path-edge__arrow" aria-hidden="true">
                →
              </span>
            </span>
          ) : null}
          <StepBox step={s} last={i === path.length - 1} />
        </li>
      ))}
    </ol>
  );
}

function Suspect({ s }: { s: HeapSuspect }) {
  return (
    <div className="suspect" id={s.id} data-testid="heap-suspect">
      <div className="suspect__head">
        <span className="mono">{s.address}</span> <span className="text-muted">{formatBytes(s.size)}, retains {formatBytes(s.retainedBytes)}</span>
        {s.allocSite ? <span className="text-muted"> · allocated in {s.allocSite}</span> : null}
      </div>
      <div className="suspect__why">
        {s.findingId ? (
          <a href={`#${s.findingId}`} className="suspect__finding">
            {s.reason}
          </a>
        ) : (
          s.reason
        )}
      </div>
      {!s.reachable ? <p className="text-muted">No GC root reaches it (garbage left in the dump).</p> : null}
      {s.paths.map((p, i) => (
        <PathChain key={i} path={p} />
      ))}
      {s.more ? <p className="text-muted">More roots reach it.</p> : null}
    </div>
  );
}

export function HeapSection({ section, exe }: { section: Section; exe: string | null | undefined }) {
  return (
    <>
      <Summary s={section.summary} exe={exe} />
      {section.types ? (
        <>
          <h3>Objects by Go type</h3>
          <TypesHistogram types={section.types} />
        </>
      ) : null}
      <h3>GC roots by retained size</h3>
      <Roots section={section} />
      <h3>Top of the dominator tree</h3>
      <DomTree section={section} />
      <h3>Paths to GC roots of the suspects</h3>
      {section.suspects.length ? section.suspects.map((s) => <Suspect key={s.id} s={s} />) : <p className="text-muted">No suspects.</p>}
    </>
  );
}
