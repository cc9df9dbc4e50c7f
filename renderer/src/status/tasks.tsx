/**
 * Calls in flight, shown in the status bar with a progress bar and a Cancel button.
 * `useApiCall` is how panels call the API: one AbortController per call site (a new run cancels the
 * previous one), progress forwarded to the status bar, errors kept as ErrorInfo for the panel to
 * show where the action happened.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CallOptions } from '../../../shared/api/contract';
import type { Progress } from '../../../shared/api/types';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';

export interface TaskView {
  id: number;
  label: string;
  progress: Progress | null;
  startedAt: number;
  cancel(): void;
}

interface TaskHandle {
  update(p: Progress): void;
  done(): void;
}

interface TasksApi {
  tasks: TaskView[];
  start(label: string, cancel: () => void): TaskHandle;
}

const TasksContext = createContext<TasksApi | null>(null);

export function TasksProvider({ children }: { children: ReactNode }) {
  const [tasks, setTasks] = useState<TaskView[]>([]);
  const next = useRef(1);
  const start = useCallback((label: string, cancel: () => void): TaskHandle => {
    const id = next.current++;
    setTasks((ts) => [...ts, { id, label, progress: null, startedAt: performance.now(), cancel }]);
    return {
      update: (p) => setTasks((ts) => ts.map((t) => (t.id === id ? { ...t, progress: p } : t))),
      done: () => setTasks((ts) => ts.filter((t) => t.id !== id)),
    };
  }, []);
  const api = useMemo(() => ({ tasks, start }), [tasks, start]);
  return <TasksContext.Provider value={api}>{children}</TasksContext.Provider>;
}

export function useTasks(): TasksApi {
  const ctx = useContext(TasksContext);
  if (!ctx) throw new Error('useTasks outside TasksProvider');
  return ctx;
}

export function isCancellation(e: unknown): boolean {
  if (e && typeof e === 'object') {
    if ((e as { name?: unknown }).name === 'AbortError') return true;
    if ((e as { code?: unknown }).code === 'CANCELLED') return true;
  }
  return false;
}

export interface ApiCall {
  busy: boolean;
  error: ErrorInfo | null;
  /** Run a call; resolves undefined when it failed (see `error`) or was superseded/cancelled. */
  run<T>(label: string, fn: (opts: CallOptions) => Promise<T>): Promise<T | undefined>;
  cancel(): void;
  clearError(): void;
}

export function useApiCall(): ApiCall {
  const { start } = useTasks();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  const seq = useRef(0);

  useEffect(() => () => ctrl.current?.abort(), []);

  const run = useCallback(
    async <T,>(label: string, fn: (opts: CallOptions) => Promise<T>): Promise<T | undefined> => {
      ctrl.current?.abort();
      const ac = new AbortController();
      ctrl.current = ac;
      const mine = ++seq.current;
      // Cancel hides the task at once; the call settles (CANCELLED) whenever the host acknowledges.
      const task = start(label, () => {
        ac.abort();
        task.done();
        if (mine === seq.current) setBusy(false);
      });
      setBusy(true);
      setError(null);
      try {
        const r = await fn({ signal: ac.signal, onProgress: (p) => task.update(p) });
        return mine === seq.current && !ac.signal.aborted ? r : undefined;
      } catch (e) {
        if (mine === seq.current && !ac.signal.aborted && !isCancellation(e)) setError(toErrorInfo(e));
        return undefined;
      } finally {
        task.done();
        if (mine === seq.current) {
          setBusy(false);
          ctrl.current = null;
        }
      }
    },
    [start],
  );

  const cancel = useCallback(() => ctrl.current?.abort(), []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, cancel, clearError };
}
