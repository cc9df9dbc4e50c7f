/**
 * The Source panel: one function's file with flat and cum per line drawn as bars (pprof's -list),
 * hot lines highlighted, functions inlined at a line marked, scrolled to the hottest line. In a
 * comparison the numbers are target − base (red grew, blue shrank). A file that cannot be found
 * (or lies outside the folders the host may read) never fails the view: it says which paths were
 * tried and offers to choose a source folder, remembered for this program.
 *
 * Untrusted strings (source lines, file names, function names) are React text children only.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { ProfileFilters } from '../../../shared/api/types';
import type { ListFunction, SourceViewResult } from '../../../shared/source/types';
import { formatValue } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { SourceLines } from './SourceLines';
import './source.css';

export interface SourceTarget {
  handle: string;
  /** The function, as the top table and the flame graph name it. */
  fn: string;
  sampleIndex?: number | string;
  filters?: ProfileFilters | undefined;
  /** A comparison: lines show target (handle) − base. */
  base?: string;
  /** A heap dump's allocation site: this file around this line. */
  file?: string;
  line?: number;
}

export function SourcePanel({ client, target }: { client: ApiClient; target: SourceTarget }) {
  const call = useApiCall();
  const [view, setView] = useState<SourceViewResult | null>(null);
  const [fileIx, setFileIx] = useState(0);
  const load = useCallback(() => {
    const req = {
      handle: target.handle,
      function: target.fn,
      ...(target.sampleIndex !== undefined ? { sampleIndex: target.sampleIndex } : {}),
      ...(target.filters ? { filters: target.filters } : {}),
      ...(target.base ? { base: target.base } : {}),
      ...(target.file ? { file: target.file, line: target.line ?? 1 } : {}),
    };
    void call.run('Reading source', (o) => client.sourceView(req, o)).then((r) => {
      if (r) {
        setView(r);
        setFileIx(r.hottest?.file ?? 0);
      }
    });
  }, [client, target.handle, target.fn, target.sampleIndex, target.filters, target.base, target.file, target.line, call.run]);
  useEffect(load, [load]);

  const file = view?.files[fileIx] ?? null;
  return (
    <section className="source-panel" data-testid="source-panel" aria-label={`Source of ${target.fn}`}>
      <div className="source-panel__head">
        <strong className="source-panel__fn" title={target.fn}>
          {target.fn}
        </strong>
        {view && view.files.length > 1 ? (
          <select className="select" aria-label="File" data-testid="source-file-select" value={fileIx} onChange={(e) => setFileIx(Number(e.target.value))}>
            {view.files.map((f, i) => (
              <option key={`${f.file}/${i}`} value={i}>
                {f.file}
              </option>
            ))}
          </select>
        ) : null}
        {file ? <SourceHeader f={file} unit={view!.sampleType.unit} delta={view!.delta} /> : null}
        {call.busy ? <span className="text-muted">reading…</span> : null}
      </div>
      {call.error ? <ErrorBanner title="Source" error={call.error} onRetry={load} onDismiss={call.clearError} /> : null}
      {view && view.files.length === 0 && !call.busy ? (
        <div className="source-panel__empty" data-testid="source-empty">
          No lines of {target.fn} carry a value here.
        </div>
      ) : null}
      {file ? (
        file.error !== undefined ? (
          <SourceMissing client={client} handle={target.handle} f={file} view={view!} onAdded={load} />
        ) : (
          <SourceLines f={file} unit={view!.sampleType.unit} delta={view!.delta} hottest={view!.hottest && view!.hottest.file === fileIx ? view!.hottest.line : null} />
        )
      ) : null}
    </section>
  );
}

function SourceHeader({ f, unit, delta }: { f: ListFunction; unit: string; delta: boolean }) {
  return (
    <>
      <span className="source-panel__file text-muted" data-testid="source-file" title={f.source?.path ?? f.file}>
        {f.file}
        {f.source?.via ? <span className="source-via" data-testid="source-via">{` · ${f.source.via}`}</span> : null}
      </span>
      {unit !== '' ? (
        <span className="text-muted" data-testid="source-totals">
          {delta ? 'Δ ' : ''}flat {formatValue(f.flat, unit)} · cum {formatValue(f.cum, unit)}
        </span>
      ) : null}
      {f.editorUrl ? (
        <a className="btn btn--small" data-testid="source-open-editor" href={f.editorUrl} title={`Open ${f.source?.path ?? f.file} in VS Code`}>
          Open in editor
        </a>
      ) : null}
    </>
  );
}

function SourceMissing({ client, handle, f, view, onAdded }: { client: ApiClient; handle: string; f: ListFunction; view: SourceViewResult; onAdded(): void }) {
  const [dir, setDir] = useState('');
  const add = useApiCall();
  const submit = () => {
    if (dir.trim() === '') return;
    void add.run('Adding source folder', (o) => client.sourceAddRoot({ handle, root: dir.trim() }, o)).then((r) => {
      if (r) onAdded();
    });
  };
  return (
    <div className="source-missing" data-testid="source-missing">
      <p>
        The source of <code>{f.file}</code> is not readable here: {f.error}
      </p>
      {f.source?.tried.length ? (
        <details open>
          <summary>Paths tried ({f.source.tried.length})</summary>
          <ul className="source-tried" data-testid="source-tried">
            {f.source.tried.map((t) => (
              <li key={t}>
                <code>{t}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <form
        className="source-root-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field">
          <span className="field__label">Source folder{view.program ? ' for this program' : ''}</span>
          <input className="select source-root-input" data-testid="source-root-input" value={dir} placeholder="/path/to/your/module" onChange={(e) => setDir(e.target.value)} />
        </label>
        <button className="btn" type="submit" data-testid="source-root-add" disabled={dir.trim() === '' || add.busy}>
          Choose folder
        </button>
      </form>
      {add.error ? <ErrorBanner title="Source folder" error={add.error} onDismiss={add.clearError} /> : null}
    </div>
  );
}
