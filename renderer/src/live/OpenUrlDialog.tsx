/**
 * Open URL: connect to a Go service's net/http/pprof, list what it offers (with the index page's
 * counts and descriptions), capture any profile into the workspace, or watch it over time.
 *
 * A modal <dialog> that stays mounted once opened: captures and watches keep running while it is
 * closed (their progress is in the status bar; a running watch shows in the header). Errors show
 * next to the action that failed, in the host's words. Everything the service sends is text.
 */
import { useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { OpenResult } from '../../../shared/api/types';
import type { ListProfilesResult, TargetOptions, WatchSnapshot } from '../../../shared/capture/types';
import { useModal } from '../controls/useModal';
import { formatBytes } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { CaptureRow, type CaptureResponse } from './CaptureRow';
import { ConnectionFields } from './ConnectionFields';
import { authOf, DEFAULT_WATCH_PROFILES, EMPTY_FORM, formWithAuth, limitsProblem, sortListings, targetOptions, type ConnectionForm } from './connection';
import { forgetAuth, rememberAuth, rememberedAuth } from './session-auth';
import { originOf } from './target';
import { WatchForm } from './WatchForm';
import { WatchPanel } from './WatchPanel';
import type { WatchMap } from './watch-state';
import { DialogHead } from '../controls/DialogHead';

export type LiveTab = 'capture' | 'watch';

export interface OpenUrlDialogProps {
  client: ApiClient;
  open: boolean;
  tab: LiveTab;
  onTab(t: LiveTab): void;
  onClose(): void;
  watches: WatchMap;
  onWatchSnapshot(s: WatchSnapshot): void;
  /** Captures and files opened from here (the workspace merges them and selects the first). */
  onOpened(r: OpenResult): void;
}

function watchOrder(id: string): number {
  const n = Number(/\d+/.exec(id)?.[0] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export function OpenUrlDialog({ client, open, tab, onTab, onClose, watches, onWatchSnapshot, onOpened }: OpenUrlDialogProps) {
  const { ref, onCancel } = useModal(open, onClose, (d) => d.querySelector<HTMLInputElement>('[data-testid="live-url"]')?.focus());
  const [form, setForm] = useState<ConnectionForm>(EMPTY_FORM);
  const [usingRemembered, setUsingRemembered] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const connectCall = useApiCall();
  const [listing, setListing] = useState<{ result: ListProfilesResult; options: TargetOptions } | null>(null);
  const [captured, setCaptured] = useState<CaptureResponse[]>([]);
  const [selectedWatch, setSelectedWatch] = useState<string | null>(null);
  const [plans, setPlans] = useState<Record<string, { count?: number; everyMs: number }>>({});
  /** The watch form folds away once a watch starts, so the live panel is in view. */
  const [watchFormOpen, setWatchFormOpen] = useState(true);


  const change = (patch: Partial<ConnectionForm>) => {
    setProblem(null);
    // A connect error belongs to the address it was about.
    if (patch.url !== undefined) connectCall.clearError();
    let next = { ...form, ...patch };
    // Credentials remembered for one origin never follow the address to another.
    if (usingRemembered && patch.url !== undefined && originOf(patch.url) !== originOf(form.url)) {
      next = { ...next, authKind: 'none', username: '', password: '', token: '' };
      setUsingRemembered(false);
    }
    if (patch.authKind !== undefined || patch.username !== undefined || patch.password !== undefined || patch.token !== undefined) setUsingRemembered(false);
    setForm(next);
  };

  /** TargetOptions for an action now (credentials: typed, else remembered for this origin). */
  const resolveOptions = (): TargetOptions | null => {
    const p = limitsProblem(form);
    setProblem(p);
    if (p) return null;
    const origin = originOf(form.url);
    let auth = authOf(form);
    if (auth.kind === 'none') {
      const r = rememberedAuth(origin);
      if (r) {
        auth = r;
        setForm((f) => formWithAuth(f, r));
        setUsingRemembered(true);
      }
    } else if (form.remember) rememberAuth(origin, auth);
    else forgetAuth(origin);
    if (auth.kind !== 'none' && form.save) {
      void client.setCredentials({ url: form.url.trim(), auth, save: true }).catch((e: unknown) => setProblem(`could not save the credentials: ${e instanceof Error ? e.message : String(e)}`));
    }
    return targetOptions(form, auth);
  };

  const forget = () => {
    forgetAuth(originOf(form.url));
    void client.forgetCredentials({ url: form.url.trim() }).catch(() => undefined);
    setUsingRemembered(false);
    setForm((f) => ({ ...f, authKind: 'none', username: '', password: '', token: '' }));
  };

  const connect = () => {
    const options = resolveOptions();
    if (!options) return;
    const url = form.url.trim();
    void connectCall.run(`Reading the profiles of ${url}`, (o) => client.remoteProfiles({ url, options }, o)).then((r) => r && setListing({ result: r, options }));
  };

  const onCaptured = (r: CaptureResponse) => {
    setCaptured((c) => [r, ...c]);
    if (r.opened.items.length) onOpened({ items: r.opened.items, failures: [] });
  };

  const rows = useMemo(() => (listing ? sortListings(listing.result.profiles) : []), [listing]);
  const capturable = rows.filter((p) => p.capturable);
  const others = rows.filter((p) => !p.capturable);

  const sameOrigin = listing && originOf(listing.result.indexUrl) === originOf(form.url);
  const watchProfiles = sameOrigin && capturable.length ? capturable.map((p) => p.name) : DEFAULT_WATCH_PROFILES;
  const watchList = [...watches.values()].sort((a, b) => watchOrder(b.watchId) - watchOrder(a.watchId));
  const shown = (selectedWatch && watches.get(selectedWatch)) || watchList[0] || null;
  const running = watchList.filter((w) => w.state !== 'stopped').length;

  const onStarted = (s: WatchSnapshot, plan: { count?: number; everyMs: number }) => {
    setPlans((p) => ({ ...p, [s.watchId]: plan }));
    onWatchSnapshot(s);
    setSelectedWatch(s.watchId);
    setWatchFormOpen(false);
  };

  return (
    <dialog
      ref={ref}
      className="live-dialog"
      aria-labelledby="live-dialog-title"
      data-testid="open-url-dialog"
      onClose={onClose}
      onCancel={onCancel}
    >
      <DialogHead block="live-dialog" titleId="live-dialog-title" title="Open URL" onClose={onClose} closeTestId="live-close">
        <div className="tabs live-tabs" role="tablist" aria-label="Live service">
          {(['capture', 'watch'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`tab${tab === t ? ' is-selected' : ''}`}
              onClick={() => onTab(t)}
              data-testid={`live-tab-${t}`}
            >
              {t === 'capture' ? 'Capture' : 'Watch'}
              {t === 'watch' && running ? <span className="count-badge">{running}</span> : null}
            </button>
          ))}
        </div>
      </DialogHead>
      <div className="live-dialog__body">
        <ConnectionFields form={form} onChange={change} onConnect={connect} busy={connectCall.busy} usingRemembered={usingRemembered} onForget={forget}>
          {problem ? <ErrorBanner title="Limits" error={{ code: 'BAD_REQUEST', message: problem }} onDismiss={() => setProblem(null)} /> : null}
          {connectCall.error ? (
            <div data-testid="live-connect-error">
              <ErrorBanner title="Could not connect" error={connectCall.error} onDismiss={connectCall.clearError} onRetry={connect} />
            </div>
          ) : null}
        </ConnectionFields>

        {/* Both panels stay mounted: a capture or a watch action in flight survives a tab switch. */}
        <div className="live-capture" role="tabpanel" aria-label="Capture" hidden={tab !== 'capture'}>
          {listing ? (
            <>
              <div className="live-listing__head">
                <h3 className="section-title">
                  Profiles at <span className="mono live-listing__url">{listing.result.indexUrl}</span>
                </h3>
                <span className="live-note">
                  {capturable.length} capturable{listing.result.hasFullGoroutineDump ? ' · full goroutine dump available' : ''}
                </span>
              </div>
              {capturable.length ? (
                <ul className="capture-list" data-testid="profile-list" aria-label="Profiles the service offers">
                  {capturable.map((p) => (
                    <CaptureRow key={`${listing.result.indexUrl}\n${p.name}`} client={client} indexUrl={listing.result.indexUrl} options={listing.options} listing={p} onCaptured={onCaptured} />
                  ))}
                </ul>
              ) : (
                <p className="live-note" data-testid="profile-list-empty">
                  The page lists no profiles Heapscope can capture.
                </p>
              )}
              {others.length ? (
                <p className="live-note" data-testid="profile-others">
                  Also listed, not profiles: {others.map((p) => p.name).join(', ')}
                </p>
              ) : null}
            </>
          ) : (
            <p className="live-empty text-muted">
              Type the address of a Go program that serves <code>net/http/pprof</code> (for example <code>localhost:6060</code>) and Connect: Heapscope reads its{' '}
              <code>/debug/pprof/</code> page and lists the profiles it offers. Captures are saved in Heapscope's captures folder and opened here.
            </p>
          )}
          {captured.length ? (
            <section className="live-captured" aria-label="Captured this session">
              <h3 className="section-title">
                Captured this session <span className="count-badge">{captured.length}</span>
              </h3>
              <ul className="live-captured__list" data-testid="captured-list">
                {captured.map((c) => (
                  <li key={c.saved.path} className="live-captured__item" data-testid="captured-item" data-profile={c.meta.profile}>
                    <span className="mono" title={c.saved.path}>
                      {c.saved.name}
                    </span>
                    <span className="text-muted">{formatBytes(c.saved.sizeBytes)}</span>
                    <span className="text-muted live-captured__url" title={c.meta.url}>
                      {c.meta.url}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <div className="live-watch" role="tabpanel" aria-label="Watch" hidden={tab !== 'watch'}>
          {/* Kept mounted when folded: its choices survive. */}
          <div hidden={!watchFormOpen && watchList.length > 0}>
            <WatchForm client={client} url={form.url.trim()} options={resolveOptions} profiles={watchProfiles} onStarted={onStarted} />
          </div>
          {watchList.length > 0 ? (
            <div className="live-watch__list wrap-row" role="group" aria-label="Watches">
              {!watchFormOpen ? (
                <button type="button" className="btn btn--small btn--primary" onClick={() => setWatchFormOpen(true)} data-testid="watch-new">
                  New watch…
                </button>
              ) : null}
              {watchList.map((w) => (
                <button
                  key={w.watchId}
                  type="button"
                  className="btn btn--small"
                  aria-pressed={shown?.watchId === w.watchId}
                  onClick={() => setSelectedWatch(w.watchId)}
                  title={w.url}
                  data-testid="watch-choice"
                >
                  <span className={`watch-dot watch-dot--${w.state}`} aria-hidden="true" />
                  Watch {watchOrder(w.watchId)} · {w.url ? originOf(w.url)?.replace(/^https?:\/\//, '') : '…'} · {w.ticks} {w.ticks === 1 ? 'tick' : 'ticks'}
                  {w.state === 'stopped' ? ' · stopped' : ''}
                </button>
              ))}
            </div>
          ) : null}
          {shown ? (
            <WatchPanel
              key={shown.watchId}
              client={client}
              watch={shown}
              {...(plans[shown.watchId]?.count !== undefined ? { plannedCount: plans[shown.watchId]!.count! } : {})}
              onStopped={onWatchSnapshot}
              onOpened={onOpened}
            />
          ) : null}
        </div>
      </div>
    </dialog>
  );
}
