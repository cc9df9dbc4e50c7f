import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { WatchSnapshot } from '../../../shared/capture/types';
import { subscribeServerEvents } from '../api/client';
import { whenIdle } from '../lib/idle';
import { applySnapshot, applyWatchEvent, emptyWatch, type WatchMap } from './watch-state';

export interface Watches {
  /** Every watch this host runs or ran since it started, oldest first. */
  watches: WatchMap;
  /** Merge a snapshot the API returned (watchStart, watchStop). */
  merge(s: WatchSnapshot): void;
}

/**
 * The host's watches, kept current from `watch` server events. Attaches to watches already
 * running (a reloaded page, a second window) through watchList, asked once the page is idle (not
 * in the first screen's critical path: events are heard from the start, and the list merges in).
 */
export function useWatches(client: ApiClient): Watches {
  const [watches, setWatches] = useState<WatchMap>(() => new Map());
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    const off = subscribeServerEvents((e) => {
      if (e.type !== 'watch') return;
      const ev = e.event;
      setWatches((m) => {
        const next = new Map(m);
        next.set(ev.watchId, applyWatchEvent(m.get(ev.watchId) ?? emptyWatch(ev.watchId), ev));
        return next;
      });
    });
    const cancel = whenIdle(() =>
      client.watchList({}).then(
        (list) => {
          if (!alive.current || !list.length) return;
          setWatches((m) => {
            const next = new Map(m);
            for (const s of list) next.set(s.watchId, applySnapshot(m.get(s.watchId), s));
            return next;
          });
        },
        () => undefined,
      ),
    );
    return () => {
      alive.current = false;
      cancel();
      off();
    };
  }, [client]);

  const merge = useCallback((s: WatchSnapshot) => {
    setWatches((m) => {
      const next = new Map(m);
      next.set(s.watchId, applySnapshot(m.get(s.watchId), s));
      return next;
    });
  }, []);

  return { watches, merge };
}
