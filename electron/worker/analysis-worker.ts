/**
 * The analysis worker (worker_threads). Thin: decode a request, call shared/ analysis, post the
 * answer, report progress, honour cancellation. Loaded profiles and heap graphs stay here behind
 * handles; the host asks for slices.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { HeapscopeError, toErrorInfo } from '../../shared/errors';
import { cancelledError, type TaskContext } from '../../shared/task';
import type { HostToWorkerMessage, WorkerMethod, WorkerMethods, WorkerToHostMessage } from '../../shared/worker/protocol';
import { gunzip, ioError } from '../cli/io';
import { WorkerState } from './state';

const port = parentPort;
if (!port) throw new Error('analysis-worker must run in a worker thread');
const allowDebug = Boolean((workerData as { allowDebug?: boolean } | undefined)?.allowDebug);

const state = new WorkerState({ gunzip });

function post(msg: WorkerToHostMessage): void {
  port!.postMessage(msg);
}

function makeTask(id: number, cancelFlag: Int32Array): TaskContext {
  let last = 0;
  return {
    progress(label, done, total) {
      const now = Date.now();
      if (now - last < 50 && done < total) return;
      last = now;
      post({ type: 'progress', id, label, done, total });
    },
    throwIfCancelled() {
      if (Atomics.load(cancelFlag, 0) !== 0) throw cancelledError();
    },
  };
}

type Impl = { [M in WorkerMethod]: (args: WorkerMethods[M]['args'], task: TaskContext) => WorkerMethods[M]['result'] };

const impl: Impl = {
  loadBytes: (a, task) => state.load(a.name, a.source, a.bytes, task, a.part),
  loadFile: (a, task) => {
    try {
      return state.loadPath(a.name || basename(a.path), a.source, a.path, a.exe, () => {
        const b = readFileSync(a.path);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }, task, a.part);
    } catch (e) {
      if (e instanceof HeapscopeError) throw e;
      throw ioError(a.path, e);
    }
  },
  release: (a) => ({ released: state.release(a.handle) }),
  top: (a, task) => state.top(a, task),
  flameGraph: (a, task) => state.flame(a, task),
  gcTrace: (a) => state.gcTrace(a.handle),
  compareTop: (a, task) => state.multiQuery('compareTop', a, task),
  compareFlame: (a, task) => state.multiQuery('compareFlame', a, task),
  compareSideBySide: (a, task) => state.multiQuery('compareSideBySide', a, task),
  compareGoroutines: (a, task) => state.multiQuery('compareGoroutines', a, task),
  compareHeaps: (a, task) => state.multiQuery('compareHeaps', a, task),
  series: (a, task) => state.multiQuery('series', a, task),
  findings: (a, task) => state.multiQuery('findings', a, task),
  memory: (a, task) => state.multiQuery('memory', a, task),
  exportReport: (a, task) => state.exportReport(a, task),
  sourceList: (a, task) => state.sourceList(a, task),
  heapSummary: (a) => state.heapQuery('heapSummary', a),
  heapRoots: (a) => state.heapQuery('heapRoots', a),
  heapDominators: (a) => state.heapQuery('heapDominators', a),
  heapPaths: (a) => state.heapQuery('heapPaths', a),
  heapMergedPaths: (a) => state.heapQuery('heapMergedPaths', a),
  heapAllocSites: (a) => state.heapQuery('heapAllocSites', a),
  heapSizeClasses: (a) => state.heapQuery('heapSizeClasses', a),
  heapObjects: (a) => state.heapQuery('heapObjects', a),
  heapObject: (a) => state.heapQuery('heapObject', a),
  heapTypes: (a) => state.heapQuery('heapTypes', a),
  debugSleep: (a, task) => {
    if (!allowDebug) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'debug methods are disabled' });
    const start = Date.now();
    const tick = new Int32Array(new SharedArrayBuffer(4));
    while (Date.now() - start < a.ms) {
      if (!a.ignoreCancel) task.throwIfCancelled();
      task.progress('sleeping', Date.now() - start, a.ms);
      Atomics.wait(tick, 0, 0, 5);
    }
    return { slept: Date.now() - start };
  },
  debugCrash: () => {
    if (!allowDebug) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'debug methods are disabled' });
    // An uncaught error thrown outside the request handler's try/catch kills the worker, before
    // the next queued message is handled.
    queueMicrotask(() => {
      throw new Error('deliberate crash (debugCrash)');
    });
    // Never answer: the host must report the crash.
    return undefined as never;
  },
  debugOom: () => {
    if (!allowDebug) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'debug methods are disabled' });
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length));
  },
};

port.on('message', (msg: HostToWorkerMessage) => {
  if (msg.type !== 'request') return;
  const { id, method, args, cancelFlag } = msg;
  const task = makeTask(id, cancelFlag);
  try {
    task.throwIfCancelled();
    const fn = impl[method] as (a: unknown, t: TaskContext) => unknown;
    if (typeof fn !== 'function') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `unknown worker method ${String(method)}` });
    const result = fn(args, task);
    if (method === 'debugCrash') return;

    post({ type: 'response', id, ok: true, result });
  } catch (e) {
    post({ type: 'response', id, ok: false, error: toErrorInfo(e) });
  }
});

post({ type: 'ready' });
