/**
 * Start a watch: which profiles to capture each tick (with their options), the interval, and the
 * bounds (stop after N ticks; keep at most N ticks' files and M MiB on disk, oldest dropped with a
 * notice). The growth series (MemStats and the goroutine count) is recorded unless turned off.
 */
import { useId, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { TargetOptions, WatchProfileSpec, WatchSnapshot } from '../../../shared/capture/types';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { profileTitle } from './connection';
import { NumberField } from './NumberField';

const DELETED_NOTE = "Older ticks' files are deleted, with a notice";

interface ProfileChoice {
  on: boolean;
  gc: boolean;
  seconds: string;
  debug: 0 | 2;
}

export interface WatchFormProps {
  client: ApiClient;
  /** What the address field says now. */
  url: string;
  /** Limits and credentials at the moment Start is pressed (null: the form has a problem, shown elsewhere). */
  options(): TargetOptions | null;
  /** Profiles to offer (the service's capturable ones once connected, else Go's usual set). */
  profiles: string[];
  onStarted(s: WatchSnapshot, plan: { count?: number; everyMs: number }): void;
}

function int(s: string): number | undefined {
  return s.trim() === '' ? undefined : Number(s);
}

export function watchProfileSpecs(choices: Record<string, ProfileChoice>): WatchProfileSpec[] {
  const out: WatchProfileSpec[] = [];
  for (const [profile, c] of Object.entries(choices)) {
    if (!c.on) continue;
    const s: WatchProfileSpec = { profile };
    if (profile === 'heap' && c.gc) s.gc = true;
    if (profile === 'profile') s.seconds = int(c.seconds) ?? 10;
    if (profile === 'goroutine' && c.debug === 2) s.debug = 2;
    out.push(s);
  }
  return out;
}

export function WatchForm({ client, url, options, profiles, onStarted }: WatchFormProps) {
  const id = useId();
  const call = useApiCall();
  const [choices, setChoices] = useState<Record<string, ProfileChoice>>({});
  const [every, setEvery] = useState('10');
  const [count, setCount] = useState('');
  const [maxKept, setMaxKept] = useState('');
  const [maxMiB, setMaxMiB] = useState('');
  const [series, setSeries] = useState(true);
  const [triggers, setTriggers] = useState('');

  const choice = (p: string): ProfileChoice => choices[p] ?? { on: p === 'heap' || p === 'goroutine', gc: true, seconds: '10', debug: 0 };
  const set = (p: string, patch: Partial<ProfileChoice>) => setChoices((c) => ({ ...c, [p]: { ...choice(p), ...patch } }));

  const start = (e: FormEvent) => {
    e.preventDefault();
    const opts = options();
    if (!opts) return;
    const all: Record<string, ProfileChoice> = {};
    for (const p of profiles) all[p] = choice(p);
    const everyS = Number(every);
    const req = {
      url,
      profiles: watchProfileSpecs(all),
      everyMs: Number.isFinite(everyS) ? Math.round(everyS * 1000) : 0,
      series,
      // Heap profiles ask for a GC first (the "GC first (gc=1)" box opts out per watch); MemStats
      // come from /debug/vars where served; long watches keep first, last, every 10th, triggered.
      gc: all.heap?.gc ?? true,
      expvar: true,
      everyNth: 10,
      ...(triggers.trim() ? { triggers: triggers.split(/[,;\n]/).map((t) => t.trim()).filter((t) => t !== '') } : {}),
      options: opts,
      ...(int(count) !== undefined ? { count: int(count)! } : {}),
      ...(int(maxKept) !== undefined ? { maxKept: int(maxKept)! } : {}),
      ...(maxMiB.trim() !== '' ? { maxBytes: Math.round(Number(maxMiB) * 1024 * 1024) } : {}),
    };
    void call.run('Starting the watch', (o) => client.watchStart(req, o)).then((s) => s && onStarted(s, { everyMs: req.everyMs, ...(req.count !== undefined ? { count: req.count } : {}) }));
  };

  return (
    <form className="watch-form" onSubmit={start} aria-label="Start a watch" data-testid="watch-form">
      <fieldset className="watch-form__profiles">
        <legend className="section-title">Capture each tick</legend>
        {profiles.map((p) => {
          const c = choice(p);
          return (
            <div key={p} className="watch-form__profile" data-testid="watch-profile" data-profile={p}>
              <label className="live-check">
                <input type="checkbox" checked={c.on} onChange={(e) => set(p, { on: e.target.checked })} data-testid="watch-profile-on" />
                {profileTitle(p)}
              </label>
              {p === 'heap' && c.on ? (
                <label className="live-check live-check--sub">
                  <input type="checkbox" checked={c.gc} onChange={(e) => set(p, { gc: e.target.checked })} data-testid="watch-heap-gc" />
                  GC first (gc=1)
                </label>
              ) : null}
              {p === 'profile' && c.on ? (
                <NumberField inline label="s" min="1" step="1" value={c.seconds} onChange={(v) => set(p, { seconds: v })} ariaLabel="CPU profile seconds" />
              ) : null}
              {p === 'goroutine' && c.on ? (
                <select className="select" value={c.debug} onChange={(e) => set(p, { debug: Number(e.target.value) as 0 | 2 })} aria-label="Goroutine profile form">
                  <option value={0}>pprof</option>
                  <option value={2}>debug=2 dump</option>
                </select>
              ) : null}
            </div>
          );
        })}
        <label className="live-check" title="runtime.MemStats from heap?debug=1 and the goroutine count, each tick">
          <input type="checkbox" checked={series} onChange={(e) => setSeries(e.target.checked)} data-testid="watch-series" />
          Growth series (HeapAlloc, HeapInuse, HeapObjects, NumGC, goroutines)
        </label>
      </fieldset>
      <div className="watch-form__limits wrap-row">
        <NumberField id={`${id}-every`} label="Every (s)" min="0.1" step="any" value={every} onChange={setEvery} testId="watch-every" />
        <NumberField id={`${id}-count`} label="Stop after (ticks)" min="1" step="1" placeholder="never" value={count} onChange={setCount} testId="watch-count" />
        <NumberField id={`${id}-kept`} label="Keep (ticks)" title={DELETED_NOTE} min="1" step="1" placeholder="1000" value={maxKept} onChange={setMaxKept} testId="watch-max-kept" />
        <NumberField id={`${id}-mib`} label="Disk (MiB)" title={DELETED_NOTE} min="1" step="any" placeholder="1024" value={maxMiB} onChange={setMaxMiB} testId="watch-max-mib" />
        <label className="live-field" htmlFor={`${id}-triggers`} title="When one turns true, a full bundle is captured: heap (gc=1), goroutine debug=2, allocs, goroutineleak where served">
          <span className="live-field__label">Triggers</span>
          <input id={`${id}-triggers`} className="live-input" type="text" placeholder="heap>512MiB, goroutines>+50%" value={triggers} onChange={(e) => setTriggers(e.target.value)} data-testid="watch-triggers" />
        </label>
        <button type="submit" className="btn btn--primary" disabled={call.busy || !url.trim()} data-testid="watch-start">
          {call.busy ? 'Starting…' : 'Start watch'}
        </button>
      </div>
      {call.error ? (
        <div data-testid="watch-start-error">
          <ErrorBanner title="Could not start the watch" error={call.error} onDismiss={call.clearError} />
        </div>
      ) : null}
    </form>
  );
}
