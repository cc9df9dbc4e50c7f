/**
 * The inspector for a GC root: the root (goroutine state, wait, frames; or a global's symbol), what
 * it alone retains, and its dominator children (each one a link into the object inspector).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DomRow } from '../../../shared/heap/types';
import { gridHelper } from '../grid/columns';
import { DataGrid } from '../grid/DataGrid';
import { formatBytes, formatCount, formatPercent, plural, formatNumber } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { formatNsString } from './format';
import { GroupRetained } from './GroupRetained';
import type { ObjectInspectorProps } from './ObjectInspector';
import { RootBadge } from './RootBadge';
import { fromDomRow, type HeapSelection } from './selection';

const dh = gridHelper<DomRow>();

export function RootDetails({ client, handle, target, rootInfo, reachableBytes, onNavigate, onGroupRetained }: ObjectInspectorProps & { target: HeapSelection }) {
  const call = useApiCall();
  const [kids, setKids] = useState<{ rows: DomRow[]; total: number } | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const node = target.node;
  const load = useCallback(() => {
    setKids(null);
    void call.run(`Loading what ${target.label} retains`, (o) => client.heapDominators({ handle, node, start: 0, count: 100 }, o)).then((r) => r && setKids(r));
    // target.label only names the task
  }, [call.run, client, handle, node]);
  useEffect(load, [load]);

  const columns = useMemo(
    () =>
      dh.columns([
        dh.accessor('label', {
          id: 'label',
          header: 'Object',
          cell: (c) => (
            <span className={c.row.original.kind === 'object' ? 'link-button mono' : ''} title={c.getValue()}>
              {c.getValue()}
            </span>
          ),
        }),
        dh.accessor('size', { id: 'size', header: 'Size', cell: (c) => formatBytes(c.getValue()) }),
        dh.accessor('retainedBytes', { id: 'retained', header: 'Retained', cell: (c) => formatBytes(c.getValue()) }),
        dh.accessor('allocSite', { id: 'site', header: 'Allocated at', cell: (c) => <span className="mono text-muted">{c.getValue() ?? ''}</span> }),
      ]),
    [],
  );

  const r = rootInfo;
  const g = r?.goroutine;
  const kind = r?.kind ?? target.rootKind;
  const retainedBytes = r?.retainedBytes ?? target.retainedBytes;
  const retainedObjects = r?.retainedObjects ?? target.retainedObjects;
  return (
    <div className="inspector" data-node={node}>
      <div className="inspector__title">
        {kind ? <RootBadge kind={kind} /> : <span className="inspector__kind">root</span>}
        <span className="inspector__root-name" title={target.label}>
          {target.label}
        </span>
      </div>
      <dl className="facts">
        {retainedBytes !== undefined ? (
          <>
            <dt>Retains</dt>
            <dd>
              {formatBytes(retainedBytes)}
              {retainedObjects !== undefined ? ` in ${plural(retainedObjects, 'object')}` : ''}
              <span className="text-muted"> · {formatPercent(retainedBytes, reachableBytes)} of reachable</span>
            </dd>
          </>
        ) : null}
        {r?.symbol ? (
          <>
            <dt>Symbol</dt>
            <dd className="mono">
              {r.symbol}
              {r.symbolSize !== undefined ? <span className="text-muted"> ({r.symbolSize} B)</span> : null}
            </dd>
          </>
        ) : null}
        {r?.address ? (
          <>
            <dt>Address</dt>
            <dd className="mono">{r.address}</dd>
          </>
        ) : null}
        {r?.object ? (
          <>
            <dt>Object</dt>
            <dd className="mono">{r.object}</dd>
          </>
        ) : null}
        {g ? (
          <>
            <dt>Goroutine</dt>
            <dd>
              {g.goid} · {g.status}
              {g.waitReason ? ` · ${g.waitReason}` : ''}
              {g.system ? <span className="text-muted"> · runtime</span> : null}
            </dd>
            {formatNsString(g.waitedAtLeastNs) ? (
              <>
                <dt>Waiting</dt>
                <dd title="Relative to the most recent wait start in the dump (the dump has no clock): a lower bound">≥ {formatNsString(g.waitedAtLeastNs)}</dd>
              </>
            ) : null}
            <dt>Created by</dt>
            <dd className="mono">{g.createdByPc}</dd>
          </>
        ) : null}
        {r ? (
          <>
            <dt>Pointer slots</dt>
            <dd>
              {formatCount(r.slots)} <span className="text-muted">· reaches {plural(r.directObjects, 'object')} directly</span>
            </dd>
          </>
        ) : null}
      </dl>
      <GroupRetained target={target} objects={retainedObjects ?? 1} onGroupRetained={onGroupRetained} />
      {g && g.frames.length ? (
        <details className="inspector__section" open>
          <summary className="section-title">Stack (innermost first)</summary>
          <ol className="stack" data-testid="goroutine-stack">
            {g.frames.map((f, i) => (
              <li key={i} className={`stack__frame${f === g.function ? ' is-named' : ''}`}>
                <span className="mono stack__func">{f}</span>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      <div className="inspector__section">
        <div className="section-title">
          Keeps alive <span className="count-badge">{kids ? formatNumber(kids.total) : '…'}</span>
          <span className="text-muted section-title__note"> dominator children</span>
        </div>
        {call.error ? <ErrorBanner error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
        {kids && kids.rows.length ? (
          <div className="inspector__grid" style={{ height: Math.min(kids.rows.length, 8) * 24 + 30 }}>
            <DataGrid<DomRow>
              columns={columns}
              data={kids.rows}
              getRowId={(x) => String(x.node)}
              template="minmax(120px, 1fr) 68px 76px minmax(100px, 1fr)"
              numeric={['size', 'retained']}
              ariaLabel={`Objects ${target.label} keeps alive`}
              testId="root-retains"
              rowTestId="root-retains-row"
              activeId={active}
              onActiveChange={(x) => setActive(String(x.node))}
              onActivate={(x) => onNavigate(fromDomRow(x))}
              activateOnClick
              total={kids.total}
              rowHeight={24}
            />
          </div>
        ) : kids ? (
          <div className="text-muted inspector__none">Nothing: everything it points to is shared with other roots.</div>
        ) : null}
      </div>
    </div>
  );
}
