/**
 * The object inspector: address, size, retained size, dominator, allocation stack, outgoing
 * pointers (offset → target, each one a link) and the first bytes as a hex dump. For a GC root it
 * shows the root (goroutine state and frames, symbol) and what the root alone keeps alive.
 * "Go to" opens any address (interior addresses resolve to their object).
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import { describeError, type ErrorInfo } from '../../../shared/errors';
import type { ObjectDetails, PointerRow, RootRow } from '../../../shared/heap/types';
import { formatBytes, formatPercent, plural, formatNumber } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { DataGrid } from '../grid/DataGrid';
import { gridHelper } from '../grid/columns';
import { exactBytes, offsetLabel, parseObjectRef } from './format';
import { HexDump } from './HexDump';
import { ObjectFields } from './ObjectFields';
import { GroupRetained } from './GroupRetained';
import { RootDetails } from './RootDetails';
import { objectSelection, type HeapSelection } from './selection';
import { SourceLink } from '../source/HeapSource';

const OUT_PAGE = 200;

export interface ObjectInspectorProps {
  client: ApiClient;
  handle: string;
  target: HeapSelection | null;
  /** Details of the selected root when the roots list has them. */
  rootInfo: RootRow | undefined;
  reachableBytes: number;
  ptrSize: number;
  onNavigate(s: HeapSelection): void;
  canGoBack: boolean;
  onBack(): void;
  /** Group what the selection retains by allocation site or size class. */
  onGroupRetained(s: HeapSelection, mode: 'sites' | 'sizes'): void;
}

export function ObjectInspector(props: ObjectInspectorProps) {
  const { client, handle, target, canGoBack, onBack, onNavigate } = props;
  const gotoCall = useApiCall();
  const [gotoText, setGotoText] = useState('');
  const [gotoError, setGotoError] = useState<ErrorInfo | null>(null);
  const [prefetched, setPrefetched] = useState<ObjectDetails | null>(null);

  const onGoto = (e: FormEvent) => {
    e.preventDefault();
    const ref = parseObjectRef(gotoText);
    if (ref === null) {
      setGotoError({ code: 'BAD_REQUEST', message: 'type an address like 0xc000123456 (or #node)' });
      return;
    }
    setGotoError(null);
    void gotoCall.run(`Looking up ${gotoText.trim()}`, (o) => client.heapObject({ handle, object: ref, outStart: 0, outCount: OUT_PAGE }, o)).then((d) => {
      if (!d) return;
      setPrefetched(d);
      setGotoText('');
      onNavigate(objectSelection(d.node, d.address));
    });
  };
  const gotoErr = gotoError ?? gotoCall.error;

  return (
    <section className="panel heap-inspector" aria-label="Object inspector" data-testid="object-inspector">
      <div className="panel__toolbar">
        <button type="button" className="icon-button" onClick={onBack} disabled={!canGoBack} aria-label="Back to the previous object" title="Back">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M10 3 5 8l5 5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
        <span className="section-title">Inspector</span>
        <div className="toolbar-spacer" />
        <form className="goto" onSubmit={onGoto} role="search">
          <input
            className={`goto__input${gotoErr ? ' is-invalid' : ''}`}
            type="text"
            value={gotoText}
            onChange={(e) => {
              setGotoText(e.target.value);
              setGotoError(null);
              gotoCall.clearError();
            }}
            placeholder="Go to 0x…"
            spellCheck={false}
            aria-label="Go to an object by address"
            aria-invalid={!!gotoErr}
            title={gotoErr ? describeError(gotoErr) : 'An address inside an object opens that object'}
            data-testid="inspector-goto"
          />
        </form>
      </div>
      {gotoErr ? (
        <div className="inline-error" role="alert">
          {describeError(gotoErr)}
        </div>
      ) : null}
      <div className="heap-inspector__body">
        {!target ? (
          <div className="panel__empty">Select an object or a root.</div>
        ) : target.kind === 'root' ? (
          <RootDetails {...props} target={target} />
        ) : (
          <ObjectDetailsView {...props} target={target} prefetched={prefetched?.node === target.node ? prefetched : null} />
        )}
      </div>
    </section>
  );
}

const ph = gridHelper<PointerRow>();

function ObjectDetailsView(props: ObjectInspectorProps & { target: HeapSelection; prefetched: ObjectDetails | null }) {
  const { client, handle, target, reachableBytes, ptrSize, onNavigate, prefetched } = props;
  const call = useApiCall();
  const moreCall = useApiCall();
  const [d, setD] = useState<ObjectDetails | null>(prefetched);
  const [activePtr, setActivePtr] = useState<string | null>(null);
  const node = target.node;

  const load = useCallback(() => {
    if (prefetched && prefetched.node === node) {
      setD(prefetched);
      return;
    }
    void call.run(`Inspecting ${target.label}`, (o) => client.heapObject({ handle, object: node, outStart: 0, outCount: OUT_PAGE }, o)).then((r) => r && setD(r));
    // target.label only names the task
  }, [call.run, client, handle, node, prefetched]);
  useEffect(load, [load]);

  const loadMorePointers = useCallback(() => {
    if (!d || moreCall.busy || d.outgoing.rows.length >= d.outgoing.total) return;
    const start = d.outgoing.rows.length;
    void moreCall.run('Loading pointers', (o) => client.heapObject({ handle, object: node, outStart: start, outCount: OUT_PAGE }, o)).then((r) => {
      if (!r) return;
      setD((cur) => (cur && cur.node === r.node ? { ...cur, outgoing: { ...r.outgoing, rows: [...cur.outgoing.rows.slice(0, start), ...r.outgoing.rows] } } : cur));
    });
  }, [d, moreCall.busy, moreCall.run, client, handle, node]);

  const pointers = useMemo(() => new Map((d?.outgoing.rows ?? []).map((p) => [p.offset, p.address] as const)), [d]);
  const columns = useMemo(
    () =>
      ph.columns([
        ph.accessor('offset', { id: 'offset', header: 'Offset', cell: (c) => <code>{offsetLabel(c.getValue())}</code> }),
        ph.accessor('address', {
          id: 'target',
          header: 'Points to',
          cell: (c) => (
            <span className="link-button mono" data-testid="pointer-target">
              {c.getValue()}
            </span>
          ),
        }),
        ph.accessor('size', { id: 'size', header: 'Size', cell: (c) => formatBytes(c.getValue()) }),
        ph.accessor('interiorOffset', {
          id: 'interior',
          header: 'Into',
          cell: (c) => (c.getValue() ? <code title="An interior pointer: it points inside the target">{offsetLabel(c.getValue())}</code> : <span className="text-muted">start</span>),
        }),
      ]),
    [],
  );

  if (call.error) return <ErrorBanner title="Inspector" error={call.error} onRetry={load} onDismiss={call.clearError} />;
  if (!d || d.node !== node) return <div className="panel__empty">{call.busy ? 'Loading…' : ''}</div>;
  const out = d.outgoing;
  const gridHeight = Math.min(out.rows.length + (out.rows.length < out.total ? 1 : 0), 8) * 24 + 30;
  const go = (p: PointerRow) => onNavigate(objectSelection(p.node, p.address));

  return (
    <div className={`inspector${call.busy ? ' is-loading' : ''}`} data-node={d.node}>
      <div className="inspector__title">
        <span className="inspector__kind">object</span>
        <code className="inspector__address" data-testid="inspector-address">
          {d.address}
        </code>
        <span className={`pill ${d.reachable ? 'status-pill--ok' : 'status-pill--warn'}`}>{d.reachable ? 'reachable' : 'garbage'}</span>
      </div>
      <dl className="facts">
        {d.type ? (
          <>
            <dt>Type</dt>
            <dd className="mono" data-testid="inspector-type">
              {d.type}
            </dd>
          </>
        ) : null}
        <dt>Size</dt>
        <dd data-testid="inspector-size" data-bytes={d.size}>
          {exactBytes(d.size)}
        </dd>
        <dt>Retained</dt>
        <dd>
          {formatBytes(d.retainedBytes)} in {plural(d.retainedObjects, 'object')}
          {d.reachable ? <span className="text-muted"> · {formatPercent(d.retainedBytes, reachableBytes)} of reachable</span> : null}
        </dd>
        <dt>Dominator</dt>
        <dd>
          {d.dominator ? (
            <button
              type="button"
              className="link-button"
              onClick={() =>
                onNavigate(d.dominator!.label.startsWith('0x') ? objectSelection(d.dominator!.node, d.dominator!.label) : { node: d.dominator!.node, kind: 'root', label: d.dominator!.label })
              }
              title="The one object or root that alone keeps this alive"
            >
              <span className={d.dominator.label.startsWith('0x') ? 'mono' : ''}>{d.dominator.label}</span>
            </button>
          ) : (
            <span className="text-muted">none (unreachable)</span>
          )}
        </dd>
        <dt>Referenced by</dt>
        <dd>{plural(d.incoming, 'pointer')}</dd>
        <dt>Allocated at</dt>
        <dd className="mono">{d.allocSite ?? <span className="text-muted">not sampled (MemProfileRate)</span>}</dd>
      </dl>
      {d.retainedObjects > 1 ? <GroupRetained target={target} objects={d.retainedObjects} onGroupRetained={props.onGroupRetained} /> : null}
      {d.fields ? (
        <div className="inspector__section">
          <div className="section-title">
            Fields <span className="count-badge">{formatNumber(d.fields.length)}</span>
          </div>
          <ObjectFields fields={d.fields} onFollow={(n, a) => onNavigate(objectSelection(n, a))} />
        </div>
      ) : null}
      <div className="inspector__section">
        <div className="section-title">
          Outgoing pointers <span className="count-badge">{formatNumber(out.total)}</span>
        </div>
        {out.total ? (
          <div className="inspector__grid" style={{ height: gridHeight }}>
            <DataGrid<PointerRow>
              columns={columns}
              data={out.rows}
              getRowId={(p) => String(p.offset)}
              template="72px minmax(120px, 1fr) 72px 72px"
              numeric={['size']}
              ariaLabel="Outgoing pointers: offset in this object → target object"
              testId="pointer-table"
              rowTestId="pointer-row"
              activeId={activePtr}
              onActiveChange={(p) => setActivePtr(String(p.offset))}
              onActivate={go}
              activateOnClick
              total={out.total}
              hasMore={out.rows.length < out.total}
              loadingMore={moreCall.busy}
              onLoadMore={loadMorePointers}
              rowHeight={24}
            />
          </div>
        ) : (
          <div className="text-muted inspector__none">No pointers to heap objects.</div>
        )}
      </div>
      <div className="inspector__section">
        <div className="section-title">
          Contents{' '}
          <span className="text-muted section-title__note">
            {d.contentHex ? `first ${formatNumber(d.contentHex.length / 2)} of ${formatNumber(d.size)} bytes` : ''}
          </span>
        </div>
        <HexDump hex={d.contentHex} size={d.size} pointers={pointers} ptrSize={ptrSize} />
      </div>
      {d.allocStack && d.allocStack.length ? (
        <details className="inspector__section" open>
          <summary className="section-title">Allocation stack</summary>
          <ol className="stack" data-testid="alloc-stack">
            {d.allocStack.map((f, i) => (
              <li key={i} className="stack__frame">
                <span className="mono stack__func">{f.func}</span>
                <SourceLink frame={f} className="text-muted stack__file" />
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
