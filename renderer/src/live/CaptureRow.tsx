/**
 * One profile the service offers, with its capture options and a Capture button: heap (run a GC
 * first, or a delta over N seconds), CPU (seconds, with a countdown and Cancel), goroutine (pprof
 * or the full debug=2 dump, or a delta), allocs/mutex/block (delta). Each row runs its own call:
 * captures run side by side, and an error shows on the row that failed.
 *
 * The name, count and description come from the service's index page: text only.
 */
import { useId, useState } from 'react';
import type { ApiClient, ApiResponse } from '../../../shared/api/contract';
import type { Progress } from '../../../shared/api/types';
import { DELTA_PROFILES, type CaptureRequest, type ProfileListing, type TargetOptions } from '../../../shared/capture/types';
import { formatBytes, formatCount } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { NumberField } from './NumberField';

export type CaptureResponse = ApiResponse<'captureProfile'>;

export interface CaptureRowProps {
  client: ApiClient;
  indexUrl: string;
  options: TargetOptions;
  listing: ProfileListing;
  onCaptured(r: CaptureResponse): void;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function isDeltaProfile(name: string): boolean {
  return (DELTA_PROFILES as readonly string[]).includes(name);
}

/** The request this row's options make (numbers as typed: the host checks them). */
export function captureRequest(
  indexUrl: string,
  profile: string,
  o: { gc: boolean; delta: string; cpuSeconds: string; debug: 0 | 2 },
  options: TargetOptions,
): Omit<CaptureRequest, 'saveDir'> {
  const req: Omit<CaptureRequest, 'saveDir'> = { url: indexUrl, profile, options };
  const delta = o.delta.trim() === '' ? undefined : Number(o.delta);
  if (profile === 'profile') {
    req.seconds = o.cpuSeconds.trim() === '' ? 30 : Number(o.cpuSeconds);
    return req;
  }
  if (profile === 'goroutine' && o.debug === 2) {
    req.debug = 2;
    return req;
  }
  if (delta !== undefined && isDeltaProfile(profile)) req.seconds = delta;
  else if (profile === 'heap' && o.gc) req.gc = true;
  return req;
}

/** A countdown for `seconds=N` captures, else what the host says it is doing. */
function progressView(p: Progress | null, seconds: number | undefined): { text: string; pct: number | null } {
  if (p && p.total > 0 && p.label.startsWith('profiling')) {
    const left = Math.max(0, Math.ceil((p.total - p.done) / 1000));
    return { text: left > 0 ? `${left} s left` : 'downloading…', pct: Math.min(100, (100 * p.done) / p.total) };
  }
  if (!p) return seconds ? { text: `${seconds} s left`, pct: 0 } : { text: 'connecting…', pct: null };
  if (/^(connecting|waiting) /.test(p.label)) return { text: p.label.split(' ')[0] === 'connecting' ? 'connecting…' : 'waiting for the answer…', pct: null };
  if (p.label.startsWith('downloading')) return { text: `downloading ${formatBytes(p.done)}`, pct: p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : null };
  return { text: 'opening…', pct: p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : null };
}

export function CaptureRow({ client, indexUrl, options, listing, onCaptured }: CaptureRowProps) {
  const id = useId();
  const name = listing.name;
  const call = useApiCall();
  const [gc, setGc] = useState(true);
  const [delta, setDelta] = useState('');
  const [cpuSeconds, setCpuSeconds] = useState('30');
  const [debug, setDebug] = useState<0 | 2>(0);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [last, setLast] = useState<CaptureResponse | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [runningSeconds, setRunningSeconds] = useState<number | undefined>(undefined);

  const isCpu = name === 'profile';
  const allowsDelta = isDeltaProfile(name);
  const deltaOff = name === 'goroutine' && debug === 2;

  const capture = () => {
    const req = captureRequest(indexUrl, name, { gc, delta, cpuSeconds, debug }, options);
    setProgress(null);
    setCancelled(false);
    setLast(null);
    setRunningSeconds(typeof req.seconds === 'number' && Number.isFinite(req.seconds) ? req.seconds : undefined);
    const label = isCpu ? `CPU profile (${req.seconds} s) from ${hostOf(indexUrl)}` : `Capturing ${name} from ${hostOf(indexUrl)}`;
    void call
      .run(label, (o) =>
        client.captureProfile(req, {
          ...o,
          onProgress: (p) => {
            o.onProgress?.(p);
            setProgress(p);
          },
        }),
      )
      .then((r) => {
        setProgress(null);
        if (!r) return;
        setLast(r);
        onCaptured(r);
      });
  };

  const cancel = () => {
    setCancelled(true);
    call.cancel();
  };

  const view = call.busy ? progressView(progress, runningSeconds) : null;
  const countdown = call.busy && runningSeconds !== undefined && (!progress || progress.label.startsWith('profiling'));

  return (
    <li className={`capture-row${call.busy ? ' is-busy' : ''}`} data-testid="profile-row" data-profile={name}>
      <div className="capture-row__about">
        <div className="capture-row__head">
          <span className="capture-row__name">{name}</span>
          {isCpu ? <span className="live-tag">CPU</span> : null}
          <span className="capture-row__count" data-testid="profile-count" title="The count the service's index page shows">
            {listing.count === null ? '–' : formatCount(listing.count)}
          </span>
        </div>
        {listing.description ? (
          <p className="capture-row__desc text-muted" title={listing.description}>
            {listing.description}
          </p>
        ) : null}
      </div>
      <div className="capture-row__options">
        {name === 'heap' ? (
          <label className="live-check" title={delta.trim() ? 'Not with a delta profile' : 'Adds ?gc=1: in-use numbers are up to date'}>
            <input type="checkbox" checked={gc && !delta.trim()} disabled={!!delta.trim() || call.busy} onChange={(e) => setGc(e.target.checked)} data-testid="capture-gc" />
            Run GC first
          </label>
        ) : null}
        {name === 'goroutine' ? (
          <label className="live-field live-field--inline" htmlFor={`${id}-debug`}>
            <span className="live-field__label">Form</span>
            <select id={`${id}-debug`} className="select" value={debug} disabled={call.busy} onChange={(e) => setDebug(Number(e.target.value) as 0 | 2)} data-testid="capture-debug">
              <option value={0}>pprof (debug=0)</option>
              <option value={2}>full stack dump (debug=2)</option>
            </select>
          </label>
        ) : null}
        {isCpu ? (
          <NumberField inline id={`${id}-cpu`} label="Seconds" min="1" step="1" value={cpuSeconds} disabled={call.busy} onChange={setCpuSeconds} testId="capture-seconds" />
        ) : allowsDelta ? (
          <NumberField
            inline
            id={`${id}-delta`}
            label="Delta (s)"
            title={deltaOff ? 'Go serves delta profiles only as protobuf' : 'A delta profile: what changed over N seconds (?seconds=N)'}
            min="1"
            step="1"
            placeholder="off"
            value={deltaOff ? '' : delta}
            disabled={deltaOff || call.busy}
            onChange={setDelta}
            testId="capture-delta"
          />
        ) : null}
      </div>
      <div className="capture-row__action">
        {call.busy && view ? (
          <div className={`capture-progress${countdown ? ' capture-progress--countdown' : ''}`} data-testid={countdown ? 'capture-countdown' : 'capture-progress'}>
            <div
              className={`progress${view.pct === null ? ' progress--indeterminate' : ''}`}
              role="progressbar"
              aria-label={`${name}: ${view.text}`}
              aria-valuemin={0}
              aria-valuemax={100}
              {...(view.pct !== null ? { 'aria-valuenow': Math.round(view.pct) } : {})}
            >
              <div className="progress__fill" style={view.pct !== null ? { width: `${view.pct}%` } : undefined} />
            </div>
            <span className="capture-progress__text" data-testid="capture-progress-text">
              {view.text}
            </span>
            <button type="button" className="btn btn--small" onClick={cancel} data-testid="capture-cancel" aria-label={`Cancel the ${name} capture`}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn--small btn--primary" onClick={capture} data-testid="capture-button" aria-label={`Capture ${name}`}>
            {isCpu ? `Profile ${cpuSeconds.trim() || '30'} s` : 'Capture'}
          </button>
        )}
      </div>
      {call.error ? (
        <div className="capture-row__result" data-testid="capture-error">
          <ErrorBanner title={`Could not capture ${name}`} error={call.error} onDismiss={call.clearError} />
        </div>
      ) : cancelled && !call.busy ? (
        <div className="capture-row__result live-note" data-testid="capture-cancelled">
          Cancelled: nothing was saved.
        </div>
      ) : last ? (
        <div className="capture-row__result" data-testid="capture-done">
          <span className="live-ok" aria-hidden="true">
            ✓
          </span>{' '}
          Saved <span className="mono" title={last.saved.path}>{last.saved.name}</span> ({formatBytes(last.saved.sizeBytes)})
          {last.opened.items.length ? ' and opened it in the workspace' : ''}
          {last.opened.failures.map((f, i) => (
            <ErrorBanner key={i} title="Saved, but could not open it" error={{ ...f.error, file: f.error.file ?? last.saved.name }} />
          ))}
        </div>
      ) : null}
    </li>
  );
}
