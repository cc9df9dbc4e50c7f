/**
 * What long-running pure code receives so it can report progress and stop when cancelled,
 * without knowing whether it runs in a worker, a test or the CLI.
 */
import { HeapscopeError } from './errors';

export interface TaskContext {
  /** Report progress; cheap to call often (implementations throttle). */
  progress(label: string, done: number, total: number): void;
  /** Throws a CANCELLED HeapscopeError when the task was cancelled. */
  throwIfCancelled(): void;
}

export const NO_TASK: TaskContext = {
  progress() {},
  throwIfCancelled() {},
};

export function cancelledError(): HeapscopeError {
  return new HeapscopeError({ code: 'CANCELLED', message: 'cancelled' });
}
