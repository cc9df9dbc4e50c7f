/**
 * The HeapscopeError a call throws (any other error is rethrown; no throw fails the test): for tests
 * that check an error's code, file and message.
 */
import { HeapscopeError } from '../../shared/errors';

export function heapscopeErrorOf(f: () => unknown): HeapscopeError {
  try {
    f();
  } catch (e) {
    if (e instanceof HeapscopeError) return e;
    throw e;
  }
  throw new Error('expected a HeapscopeError, nothing was thrown');
}
