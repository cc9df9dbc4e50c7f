/**
 * Components kept out of the boot bundle: each is its own chunk, fetched when first rendered, and
 * prefetched with every other one once the page has been idle for a while (`prefetchLazy`), so a
 * later click rarely waits. The boot bundle is what a fresh page must compile before its first
 * flame graph; a view or dialog that first screen does not show belongs here.
 *
 * A wrapper takes the same props as the component it stands for and renders it inside a Suspense
 * boundary with the given fallback (a view's "Loading…" panel; nothing for a dialog). A chunk that
 * cannot be fetched (the server stopped, a rebuild replaced the files) is said in place, with a
 * Retry, instead of taking the whole app down.
 */
import { Component, lazy, Suspense, useState, type ComponentType, type JSX, type ReactNode } from 'react';
import { whenIdle } from './idle';

const loaders: Array<() => Promise<unknown>> = [];

/** `load` called once, whoever asks first (a render or the idle prefetch); again after a failure. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () =>
    (p ??= load().catch((e: unknown) => {
      p = null;
      throw e;
    }));
}

/** What a failed chunk shows in place of its component. */
class ChunkBoundary extends Component<{ children: ReactNode; onRetry(): void; floating: boolean }, { error: string | null }> {
  override state: { error: string | null } = { error: null };
  static getDerivedStateFromError(e: unknown): { error: string } {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      // A view's error takes its place; a dialog's (no placeholder) floats over the page.
      <div className={this.props.floating ? 'chunk-error chunk-error--floating' : 'chunk-error panel__empty'} role="alert" data-testid="chunk-error">
        <span>Could not load this part of Heapscope ({this.state.error}).</span>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            this.setState({ error: null });
            this.props.onRetry();
          }}
        >
          Retry
        </button>
      </div>
    );
  }
}

/** A lazy component: renders the real one once its chunk is here; `preload` fetches the chunk now. */
export interface LazyComponent<P> {
  (props: P): JSX.Element;
  preload(): void;
}

// P: the props of the component the wrapper stands for.
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): LazyComponent<P> {
  const get = once(load);
  loaders.push(get);
  // React keeps a lazy component's failure: a retry needs a new one.
  const make = () => lazy(async () => ({ default: await get() }));
  let Inner = make();
  function Lazy(props: P): JSX.Element {
    const [, setTries] = useState(0);
    const retry = () => {
      Inner = make();
      setTries((n) => n + 1);
    };
    return (
      <ChunkBoundary onRetry={retry} floating={fallback === null}>
        <Suspense fallback={fallback}>
          <Inner {...props} />
        </Suspense>
      </ChunkBoundary>
    );
  }
  return Object.assign(Lazy, { preload: () => void get().catch(() => undefined) });
}

let prefetched = false;
/** Fetches every lazy component's chunk once the page has been idle for a while (no-op after the first call). */
export function prefetchLazy(delayMs = 1500): void {
  if (prefetched || typeof window === 'undefined') return;
  prefetched = true;
  whenIdle(() => {
    for (const get of loaders) void get().catch(() => undefined);
  }, delayMs);
}
