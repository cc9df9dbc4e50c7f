/**
 * A server-paged list (Page<T>): the first page when the query changes, the next one on demand
 * (a grid's "load more" when its last rows scroll into view). One call at a time through
 * useApiCall: progress and Cancel in the status bar, errors kept for the panel.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallOptions } from '../../../shared/api/contract';
import type { Page } from '../../../shared/heap/types';
import { useApiCall } from '../status/tasks';
import { useLatest } from '../lib/useLatest';

export type PageFetcher<T> = (start: number, count: number, opts: CallOptions) => Promise<Page<T>>;

export interface PagedList<T> {
  rows: T[];
  total: number;
  /** The first page arrived. */
  loaded: boolean;
  busy: boolean;
  error: ReturnType<typeof useApiCall>['error'];
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  clearError(): void;
}

interface State<T> {
  rows: T[];
  total: number;
  loaded: boolean;
}

export function usePaged<T>(fetchPage: PageFetcher<T> | null, label: string, pageSize: number): PagedList<T> {
  const call = useApiCall();
  const [state, setState] = useState<State<T>>({ rows: [], total: 0, loaded: false });
  const stateRef = useLatest(state);
  const fetchRef = useLatest(fetchPage);
  const busyRef = useRef(false);

  const load = useCallback(
    (start: number) => {
      const f = fetchRef.current;
      if (!f) return;
      busyRef.current = true;
      void call
        .run(label, (o) => f(start, pageSize, o))
        .then((page) => {
          if (!page || fetchRef.current !== f) return;
          setState((s) => ({ rows: start === 0 ? page.rows : [...s.rows.slice(0, start), ...page.rows], total: page.total, loaded: true }));
        })
        .finally(() => {
          if (fetchRef.current === f) busyRef.current = false;
        });
    },
    [call.run, label, pageSize],
  );

  useEffect(() => {
    setState({ rows: [], total: 0, loaded: false });
    busyRef.current = false;
    if (fetchPage) load(0);
  }, [fetchPage, load]);

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (busyRef.current || !s.loaded || s.rows.length >= s.total) return;
    load(s.rows.length);
  }, [load]);

  const reload = useCallback(() => load(0), [load]);

  return {
    rows: state.rows,
    total: state.total,
    loaded: state.loaded,
    busy: call.busy,
    error: call.error,
    hasMore: state.loaded && state.rows.length < state.total,
    loadMore,
    reload,
    clearError: call.clearError,
  };
}
