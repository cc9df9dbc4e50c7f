/**
 * Findings over the whole workspace (findings API), computed again whenever the loaded items change
 * (opened, closed, reloaded). Lives in the shell so the count badge is always up to date. The
 * page's first run waits until the page is idle: the badge is not what a fresh page shows first.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, FindingsResult } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import { whenIdle } from '../lib/idle';
import { useApiCall, type ApiCall } from '../status/tasks';

export interface FindingsState {
  result: FindingsResult | null;
  /** The items the result is about (their key), for "out of date" while a new run is going. */
  busy: boolean;
  error: ApiCall['error'];
  reload(): void;
  clearError(): void;
}

export function itemsKey(items: readonly LoadedItem[] | null): string {
  return (items ?? []).map((i) => `${i.handle}@${i.loadedAt}`).sort().join('|');
}

export function useFindings(client: ApiClient, items: readonly LoadedItem[] | null): FindingsState {
  const call = useApiCall();
  const [result, setResult] = useState<FindingsResult | null>(null);
  const key = itemsKey(items);
  const reload = useCallback(() => {
    if (!key) {
      setResult({ findings: [], notes: [] });
      return;
    }
    void call.run('Looking for leaks', (o) => client.findings({}, o)).then((r) => r && setResult(r));
  }, [client, key, call.run]);
  const first = useRef(true);
  useEffect(() => {
    if (items === null) return;
    if (!first.current) return reload();
    first.current = false;
    return whenIdle(reload);
  }, [reload, items === null]);
  return { result, busy: call.busy, error: call.error, reload, clearError: call.clearError };
}
