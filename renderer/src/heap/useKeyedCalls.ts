/**
 * Several API calls in flight at once, one per key (e.g. one per expanded dominator-tree node),
 * each with a status-bar task (progress + Cancel). A new run for a key cancels that key's previous
 * call; unmounting cancels all. Same conventions as status/tasks.ts `useApiCall`.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { CallOptions } from '../../../shared/api/contract';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { isCancellation, useTasks } from '../status/tasks';

export type KeyedResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo | null };

export function useKeyedCalls() {
  const { start } = useTasks();
  const ctrls = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const map = ctrls.current;
    return () => {
      for (const c of map.values()) c.abort();
      map.clear();
    };
  }, []);

  const run = useCallback(
    async <T,>(key: string, label: string, fn: (opts: CallOptions) => Promise<T>): Promise<KeyedResult<T>> => {
      ctrls.current.get(key)?.abort();
      const ac = new AbortController();
      ctrls.current.set(key, ac);
      const task = start(label, () => {
        ac.abort();
        task.done();
      });
      try {
        const value = await fn({ signal: ac.signal, onProgress: (p) => task.update(p) });
        if (ac.signal.aborted) return { ok: false, error: null };
        return { ok: true, value };
      } catch (e) {
        return { ok: false, error: ac.signal.aborted || isCancellation(e) ? null : toErrorInfo(e) };
      } finally {
        task.done();
        if (ctrls.current.get(key) === ac) ctrls.current.delete(key);
      }
    },
    [start],
  );

  const cancelAll = useCallback(() => {
    for (const c of ctrls.current.values()) c.abort();
    ctrls.current.clear();
  }, []);

  return { run, cancelAll };
}
