/**
 * One watch, live: its state and bounds, the growth chart, the growth findings, the captures on
 * disk (open the last N of a profile into the workspace as a series), and a log of ticks, dropped
 * files and errors (each where it happened: which tick, which profile). Stop ends it.
 */
import { useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { OpenFailure, OpenResult } from '../../../shared/api/types';
import type { GrowthFinding, WatchCapture } from '../../../shared/capture/types';
import { describeError } from '../../../shared/errors';
import { formatBytes, formatCount } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { GrowthChart } from './GrowthChart';
import { profileTitle } from './connection';
import { capturedProfiles, lastCaptures, type WatchLogEntry, type WatchView } from './watch-state';

export interface WatchPanelProps {
  client: ApiClient;
  watch: WatchView;
  /** The planned number of ticks, when this window started the watch with one. */
  plannedCount?: number;
  onStopped(s: import('../../../shared/capture/types').WatchSnapshot): void;
  onOpened(r: OpenResult): void;
}

const OPEN_LAST = 3;

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const STOP_REASON: Record<string, string> = {
  requested: 'stopped',
  count: 'finished (all captures taken)',
  error: 'stopped by an error',
};

function FindingRow({ f }: { f: GrowthFinding }) {
  return (
    <li className={`watch-finding watch-finding--${f.severity}`} data-testid="watch-finding" data-metric={f.metric} data-severity={f.severity}>
      <span className={`watch-finding__sev watch-finding__sev--${f.severity}`}>{f.severity}</span>
      <span>{f.message}</span>
    </li>
  );
}

function LogRow({ e, onOpen, busy }: { e: WatchLogEntry; onOpen(c: WatchCapture[]): void; busy: boolean }) {
  if (e.kind === 'tick') {
    const p = e.point;
    return (
      <li className="watch-log__row" data-testid="watch-tick" data-tick={e.tick}>
        <span className="watch-log__tick">#{e.tick}</span>
        <span className="watch-log__time text-muted">{clock(e.timeMs)}</span>
        <span className="watch-log__body">
          {p ? (
            <span className="watch-log__stats">
              {p.heapInuse !== null ? <span>HeapInuse {formatBytes(p.heapInuse)}</span> : null}
              {p.heapObjects !== null ? <span>{formatCount(p.heapObjects)} objects</span> : null}
              {p.goroutines !== null ? <span>{formatCount(p.goroutines)} goroutines</span> : null}
              {p.liveHeap != null ? <span>live {formatBytes(p.liveHeap)}</span> : null}
              {p.sys != null ? <span>Sys {formatBytes(p.sys)}</span> : null}
            </span>
          ) : null}
          {e.captures.map((c) => (
            <span key={c.saved.path} className="watch-log__file">
              <span className="mono" title={c.saved.path}>
                {c.saved.name}
              </span>{' '}
              <span className="text-muted">{formatBytes(c.saved.sizeBytes)}</span>
              {c.identical ? (
                <span className="watch-log__identical text-warning" data-testid="watch-identical" title="Same content as the previous capture of this profile">
                  {' '}
                  identical to the previous
                </span>
              ) : null}
            </span>
          ))}
          {e.failures ? <span className="text-warning">{e.failures === 1 ? '1 failure' : `${e.failures} failures`}</span> : null}
        </span>
        {e.captures.length ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => onOpen(e.captures)} disabled={busy} data-testid="watch-open-tick" aria-label={`Open the captures of tick ${e.tick}`}>
            Open
          </button>
        ) : null}
      </li>
    );
  }
  if (e.kind === 'error') {
    return (
      <li className="watch-log__row watch-log__row--error" data-testid="watch-error" data-tick={e.tick} role="alert">
        <span className="watch-log__tick">#{e.tick}</span>
        <span className="watch-log__time text-muted">{clock(e.timeMs)}</span>
        <span className="watch-log__body">
          <strong>{e.profile === 'series' ? 'growth series' : e.profile ?? 'tick'}:</strong> {describeError(e.error)}
        </span>
      </li>
    );
  }
  if (e.kind === 'note') {
    return (
      <li className={`watch-log__row watch-log__row--${e.tone}`} data-testid={`watch-${e.tone}`} data-tick={e.tick} role={e.tone === 'trigger' ? 'status' : undefined}>
        <span className="watch-log__tick">#{e.tick}</span>
        <span className="watch-log__time text-muted">{clock(e.timeMs)}</span>
        <span className="watch-log__body">
          <strong>{e.tone === 'trigger' ? 'Trigger:' : e.tone === 'restart' ? 'Restart:' : 'Note:'}</strong> {e.message}
        </span>
      </li>
    );
  }
  if (e.kind === 'dropped') {
    return (
      <li className="watch-log__row watch-log__row--dropped" data-testid="watch-dropped" data-tick={e.tick}>
        <span className="watch-log__tick" aria-hidden="true">
          ✕
        </span>
        <span className="watch-log__time text-muted">{clock(e.timeMs)}</span>
        <span className="watch-log__body">
          <strong>Dropped:</strong> {e.message}
        </span>
      </li>
    );
  }
  return (
    <li className="watch-log__row watch-log__row--stopped" data-testid="watch-stopped-note">
      <span className="watch-log__tick">■</span>
      <span className="watch-log__time text-muted">{clock(e.timeMs)}</span>
      <span className="watch-log__body">
        Watch {STOP_REASON[e.reason] ?? 'stopped'} after {e.tick === 1 ? '1 tick' : `${e.tick} ticks`}
        {e.message ? `: ${e.message}` : ''}
      </span>
    </li>
  );
}

export function WatchPanel({ client, watch: w, plannedCount, onStopped, onOpened }: WatchPanelProps) {
  const stopCall = useApiCall();
  const openCall = useApiCall();
  const [openFailures, setOpenFailures] = useState<OpenFailure[]>([]);
  const [opened, setOpened] = useState<string | null>(null);

  const stop = () => {
    void stopCall.run('Stopping the watch', (o) => client.watchStop({ watchId: w.watchId }, o)).then((s) => s && onStopped(s));
  };

  const open = (captures: WatchCapture[], what: string) => {
    setOpenFailures([]);
    setOpened(null);
    const paths = captures.map((c) => c.saved.path);
    void openCall.run(`Opening ${what}`, (o) => client.openFiles({ paths }, o)).then((r) => {
      if (!r) return;
      setOpenFailures(r.failures);
      if (r.items.length) {
        setOpened(`Opened ${r.items.length === 1 ? r.items[0]!.name : `${r.items.length} captures`} in the workspace`);
        onOpened({ items: r.items, failures: [] });
      }
    });
  };

  const running = w.state !== 'stopped';
  const profiles = capturedProfiles(w);
  const inflight = Object.entries(w.inflight);
  const log = [...w.log].reverse();

  return (
    <section className="watch-panel" data-testid="watch-panel" data-watch={w.watchId} data-state={w.state} aria-label="Watch">
      <header className="watch-panel__head">
        <span className={`watch-state watch-state--${w.state}`} data-testid="watch-state">
          {w.state === 'running' ? '● watching' : w.state === 'stopping' ? 'stopping…' : (STOP_REASON[w.stopReason ?? 'requested'] ?? 'stopped')}
        </span>
        <span className="watch-panel__url ellipsis mono" title={w.url}>
          {w.url || '…'}
        </span>
        <span className="watch-panel__meta wrap-row text-muted">
          <span data-testid="watch-ticks">
            {w.ticks}
            {plannedCount ? ` / ${plannedCount}` : ''} {w.ticks === 1 && !plannedCount ? 'tick' : 'ticks'}
          </span>
          {w.failedTicks ? <span className="text-warning">{w.failedTicks} failed</span> : null}
          <span>
            {w.captures.length} files · {formatBytes(w.bytesOnDisk)} on disk
          </span>
        </span>
        <div className="toolbar-spacer" />
        {running ? (
          <button type="button" className="btn btn--small" onClick={stop} disabled={stopCall.busy || w.state === 'stopping'} data-testid="watch-stop">
            {stopCall.busy ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
      </header>
      {w.sessionDir ? (
        <div className="watch-panel__dir ellipsis text-muted">
          Session folder: <span className="mono" title={w.sessionDir}>{w.sessionDir}</span>
        </div>
      ) : null}
      {stopCall.error ? <ErrorBanner title="Could not stop the watch" error={stopCall.error} onDismiss={stopCall.clearError} /> : null}
      {w.stopMessage ? <ErrorBanner title="The watch stopped" error={{ code: 'NETWORK', message: w.stopMessage }} /> : null}
      {inflight.length ? (
        <div className="watch-inflight wrap-row text-muted" data-testid="watch-inflight">
          {inflight.map(([profile, { tick, progress }]) => (
            <span key={profile}>
              #{tick} {profile}:{' '}
              {progress.durationMs && progress.phase !== 'downloading'
                ? `${Math.max(0, Math.ceil((progress.durationMs - progress.elapsedMs) / 1000))} s left`
                : progress.phase === 'downloading'
                  ? `downloading ${formatBytes(progress.receivedBytes)}`
                  : progress.phase}
            </span>
          ))}
        </div>
      ) : null}

      <GrowthChart series={w.series} triggers={w.triggers ?? []} />

      <div className="watch-panel__cols">
        <div className="watch-panel__col v-stack">
          <h3 className="section-title">
            Findings <span className="count-badge">{w.findings.length}</span>
          </h3>
          {w.findings.length ? (
            <ul className="watch-findings" data-testid="watch-findings">
              {w.findings.map((f) => (
                <FindingRow key={f.metric} f={f} />
              ))}
            </ul>
          ) : (
            <p className="live-note" data-testid="watch-no-findings">
              {w.series.length < 3 ? 'Growth shows after three points.' : 'Nothing keeps rising so far.'}
            </p>
          )}
          <h3 className="section-title">Open captures</h3>
          {profiles.length ? (
            <div className="watch-open">
              {profiles.map((p) => {
                const last = lastCaptures(w, p, OPEN_LAST);
                return (
                  <button
                    key={p}
                    type="button"
                    className="btn btn--small"
                    disabled={openCall.busy}
                    onClick={() => open(last, `the last ${last.length} ${p} captures`)}
                    data-testid="watch-open-last"
                    data-profile={p}
                    title={last.map((c) => c.saved.name).join('\n')}
                  >
                    Open last {last.length} {profileTitle(p)}
                  </button>
                );
              })}
            </div>
          ) : (
            <p className="live-note">{running ? 'Captures appear here as they are saved.' : 'No captures on disk.'}</p>
          )}
          {openCall.error ? <ErrorBanner title="Could not open" error={openCall.error} onDismiss={openCall.clearError} /> : null}
          {openFailures.map((f, i) => (
            <ErrorBanner key={i} title="Could not open" error={{ ...f.error, file: f.error.file ?? f.source }} onDismiss={() => setOpenFailures((x) => x.filter((_, j) => j !== i))} />
          ))}
          {opened ? (
            <p className="live-note" data-testid="watch-opened">
              <span className="live-ok">✓</span> {opened}
            </p>
          ) : null}
        </div>
        <div className="watch-panel__col watch-panel__col--log v-stack">
          <h3 className="section-title">
            Ticks <span className="count-badge">{w.ticks}</span>
          </h3>
          {log.length ? (
            <ol className="watch-log" data-testid="watch-log" aria-label="Watch log, newest first">
              {log.map((e, i) => (
                <LogRow key={`${e.kind}-${e.tick}-${log.length - i}`} e={e} busy={openCall.busy} onOpen={(c) => open(c, `the captures of tick ${e.tick}`)} />
              ))}
              {w.logDropped ? <li className="watch-log__more text-muted">…and {w.logDropped} earlier entries</li> : null}
            </ol>
          ) : (
            <p className="live-note">{running ? 'The first tick is on its way…' : 'No ticks.'}</p>
          )}
        </div>
      </div>
    </section>
  );
}
