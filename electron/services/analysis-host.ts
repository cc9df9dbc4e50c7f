/**
 * The analysis host: owns one worker_threads analysis worker, sends requests with ids, routes
 * progress, cancels (cooperatively through a shared flag, then by terminating the worker), and
 * replaces a worker that crashed or ran out of memory, reporting the crash to the calls in flight.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { HeapscopeError, type ErrorInfo } from '../../shared/errors';
import type { AbortSignalLike } from '../../shared/api/contract';
import type {
  WorkerArgs,
  WorkerMethod,
  WorkerRequestMessage,
  WorkerResult,
  WorkerToHostMessage,
} from '../../shared/worker/protocol';

export interface HostOptions {
  /** Path of the built worker script (dist/worker.js). */
  workerPath?: string;
  /** Enable debug methods (tests). */
  allowDebug?: boolean;
  /** After a cancel, how long a task may take to notice before the worker is terminated. */
  hardCancelMs?: number;
  /** V8 old-space limit for the worker (MB). */
  maxOldGenerationSizeMb?: number;
}

export interface CallOpts {
  signal?: AbortSignalLike;
  onProgress?: (label: string, done: number, total: number) => void;
  transfer?: ArrayBuffer[];
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: HeapscopeError): void;
  onProgress?: CallOpts['onProgress'];
  cancelFlag: Int32Array;
  hardTimer?: ReturnType<typeof setTimeout>;
  method: WorkerMethod;
}

export type CrashListener = (info: ErrorInfo) => void;

export function defaultWorkerPath(): string {
  return join(__dirname, 'worker.js');
}

export class AnalysisHost {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly crashListeners = new Set<CrashListener>();
  /**
   * Identifies the current worker (or the one the next call will start). Increments when a worker
   * dies, so items loaded under an older generation are known to be gone.
   */
  generation = 1;
  private closed = false;

  constructor(private readonly opts: HostOptions = {}) {}

  onCrash(l: CrashListener): () => void {
    this.crashListeners.add(l);
    return () => this.crashListeners.delete(l);
  }

  private ensureWorker(): Worker {
    if (this.closed) throw new HeapscopeError({ code: 'INTERNAL', message: 'analysis host is closed' });
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.workerPath ?? defaultWorkerPath(), {
      workerData: { allowDebug: Boolean(this.opts.allowDebug) },
      resourceLimits: this.opts.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: this.opts.maxOldGenerationSizeMb } : undefined,
    });
    const gen = this.generation;
    w.on('message', (m: WorkerToHostMessage) => this.onMessage(m));
    w.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(gen, {
        code: 'WORKER_CRASHED',
        message: oom ? 'the analysis ran out of memory; the worker was restarted' : `the analysis worker crashed (${err.message}); it was restarted`,
      });
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.fail(gen, { code: 'WORKER_CRASHED', message: `the analysis worker exited (code ${code}); it was restarted` });
    });
    this.worker = w;
    return w;
  }

  private fail(gen: number, info: ErrorInfo): void {
    if (gen !== this.generation || !this.worker) return;
    const w = this.worker;
    this.worker = null;
    this.generation++;
    void w.terminate().catch(() => undefined);
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const p of calls) {
      if (p.hardTimer) clearTimeout(p.hardTimer);
      p.reject(new HeapscopeError(info));
    }
    if (!this.closed) for (const l of this.crashListeners) l(info);
  }

  private onMessage(m: WorkerToHostMessage): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.label, m.done, m.total);
      return;
    }
    this.pending.delete(m.id);
    if (p.hardTimer) clearTimeout(p.hardTimer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new HeapscopeError(m.error));
  }

  call<M extends WorkerMethod>(method: M, args: WorkerArgs<M>, opts: CallOpts = {}): Promise<WorkerResult<M>> {
    return new Promise<WorkerResult<M>>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new HeapscopeError({ code: 'CANCELLED', message: 'cancelled' }));
        return;
      }
      let w: Worker;
      try {
        w = this.ensureWorker();
      } catch (e) {
        reject(e);
        return;
      }
      const id = this.nextId++;
      const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, cancelFlag, method };
      if (opts.onProgress) p.onProgress = opts.onProgress;
      this.pending.set(id, p);
      opts.signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.has(id)) return;
          Atomics.store(cancelFlag, 0, 1);
          const gen = this.generation;
          p.hardTimer = setTimeout(() => {
            if (!this.pending.has(id)) return;
            // The task did not notice in time: stop the worker; others in flight are told it restarted.
            this.pending.delete(id);
            reject(new HeapscopeError({ code: 'CANCELLED', message: 'cancelled' }));
            this.fail(gen, { code: 'WORKER_CRASHED', message: 'the analysis worker was restarted to stop a cancelled task' });
          }, this.opts.hardCancelMs ?? 2000);
        },
        { once: true },
      );
      const msg: WorkerRequestMessage<M> = { type: 'request', id, method, args, cancelFlag };
      w.postMessage(msg, opts.transfer ?? []);
    });
  }

  /** Number of calls in flight (for tests and the UI). */
  get inFlight(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new HeapscopeError({ code: 'CANCELLED', message: 'analysis host closed' }));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
