/**
 * The live-capture entry points for the app shell: the Open URL dialog (Capture and Watch), an
 * "Open URL…" header button, a header pill while a watch runs, and the menu's "Open URL…" command
 * (Electron). One hook, so App only places what it returns.
 *
 * The dialog (with the watch panel's chart library) is a lazy chunk (lib/lazy.tsx), mounted the
 * first time it opens and kept after, so what was typed and captured survives closing it; the
 * watches themselves live here, so the header pill runs without it.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { OpenResult } from '../../../shared/api/types';
import { subscribeServerEvents } from '../api/client';
import { lazyComponent } from '../lib/lazy';
import type { LiveTab } from './OpenUrlDialog';
import { useWatches } from './useWatches';
import './live.css';

const OpenUrlDialog = lazyComponent(() => import('./OpenUrlDialog').then((m) => m.OpenUrlDialog));

export interface Live {
  /** Show the dialog on its Capture tab. */
  openUrl(): void;
  /** Show the dialog on its Watch tab. */
  openWatch(): void;
  /** "Open URL…" for the header toolbar. */
  headerButton: ReactNode;
  /** A pill while watches run (opens the Watch tab); null otherwise. */
  watchPill: ReactNode;
  /** The dialog itself: render it once, anywhere. */
  dialog: ReactNode;
}

export function useLive({ client, onOpened, disabled }: { client: ApiClient; onOpened(r: OpenResult): void; disabled?: boolean }): Live {
  const [open, setOpen] = useState(false);
  const [mounted, setMounted] = useState(false);
  const [tab, setTab] = useState<LiveTab>('capture');
  const { watches, merge } = useWatches(client);

  const openUrl = useCallback(() => {
    setTab('capture');
    setMounted(true);
    setOpen(true);
  }, []);
  const openWatch = useCallback(() => {
    setTab('watch');
    setMounted(true);
    setOpen(true);
  }, []);

  useEffect(
    () =>
      subscribeServerEvents((e) => {
        if (e.type === 'menu' && e.command === 'open-url') openUrl();
      }),
    [openUrl],
  );

  const running = [...watches.values()].filter((w) => w.state !== 'stopped');
  const ticks = running.reduce((n, w) => n + w.ticks, 0);

  const headerButton = (
    <button type="button" className="btn" onClick={openUrl} disabled={disabled} data-testid="open-url" aria-label="Open URL: capture from a live Go service" title="Capture profiles from a live Go service (net/http/pprof)">
      Open URL…
    </button>
  );

  const watchPill = running.length ? (
    <button type="button" className="watch-pill" onClick={openWatch} data-testid="watch-pill" title={running.map((w) => w.url).join('\n')}>
      <span className="watch-pill__dot" aria-hidden="true" />
      {running.length === 1 ? 'Watching' : `${running.length} watches`} · {ticks} {ticks === 1 ? 'tick' : 'ticks'}
    </button>
  ) : null;

  const dialog = mounted ? (
    <OpenUrlDialog client={client} open={open} tab={tab} onTab={setTab} onClose={() => setOpen(false)} watches={watches} onWatchSnapshot={merge} onOpened={onOpened} />
  ) : null;

  return { openUrl, openWatch, headerButton, watchPill, dialog };
}
