import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisHost } from '../../../electron/services/analysis-host';
import { HeapscopeError } from '../../../shared/errors';
import { WORKER_JS } from '../../helpers/paths';

let host: AnalysisHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

function newHost(extra: Partial<ConstructorParameters<typeof AnalysisHost>[0]> = {}): AnalysisHost {
  host = new AnalysisHost({ workerPath: WORKER_JS, allowDebug: true, hardCancelMs: 1500, ...extra });
  return host;
}

describe('AnalysisHost (real worker_threads worker)', () => {
  it('answers requests by id, concurrently queued', async () => {
    const h = newHost();
    const [a, b] = await Promise.all([h.call('debugSleep', { ms: 20 }), h.call('debugSleep', { ms: 10 })]);
    expect(a.slept).toBeGreaterThanOrEqual(20);
    expect(b.slept).toBeGreaterThanOrEqual(10);
    expect(h.inFlight).toBe(0);
  });

  it('streams progress events to the caller', async () => {
    const h = newHost();
    const seen: number[] = [];
    await h.call('debugSleep', { ms: 300 }, { onProgress: (_l, done) => seen.push(done) });
    expect(seen.length).toBeGreaterThan(1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it('cancels cooperatively without losing the worker', async () => {
    const h = newHost();
    await h.call('debugSleep', { ms: 1 });
    const gen = h.generation;
    const ac = new AbortController();
    const p = h.call('debugSleep', { ms: 10_000 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeapscopeError);
    expect((err as HeapscopeError).code).toBe('CANCELLED');
    const after = await h.call('debugSleep', { ms: 1 });
    expect(after.slept).toBeGreaterThanOrEqual(1);
    expect(h.generation).toBe(gen);
  });

  it('reports a crashed worker as an error and replaces it', async () => {
    const h = newHost();
    await h.call('debugSleep', { ms: 1 });
    const gen = h.generation;
    const crashes: string[] = [];
    h.onCrash((i) => crashes.push(i.code));
    const err = await h.call('debugCrash', {}).catch((e: unknown) => e);
    expect((err as HeapscopeError).code).toBe('WORKER_CRASHED');
    expect((err as HeapscopeError).message).toMatch(/crashed/);
    expect(crashes).toEqual(['WORKER_CRASHED']);
    const again = await h.call('debugSleep', { ms: 1 });
    expect(again.slept).toBeGreaterThanOrEqual(1);
    expect(h.generation).toBe(gen + 1);
  });

  it('rejects the other calls in flight when the worker crashes', async () => {
    const h = newHost();
    const crash = h.call('debugCrash', {});
    const queued = h.call('debugSleep', { ms: 5_000 });
    const [e1, e2] = await Promise.all([crash.catch((e: unknown) => e), queued.catch((e: unknown) => e)]);
    expect((e1 as HeapscopeError).code).toBe('WORKER_CRASHED');
    expect((e2 as HeapscopeError).code).toBe('WORKER_CRASHED');
    expect(h.inFlight).toBe(0);
  });

  it('reports a worker that runs out of memory and replaces it', async () => {
    const h = newHost({ maxOldGenerationSizeMb: 48 });
    const err = await h.call('debugOom', {}).catch((e: unknown) => e);
    expect((err as HeapscopeError).code).toBe('WORKER_CRASHED');
    expect((err as HeapscopeError).message).toMatch(/out of memory/);
    expect((await h.call('debugSleep', { ms: 1 })).slept).toBeGreaterThanOrEqual(1);
  });

  it('hard-stops a task that ignores cancellation and stays usable', async () => {
    const h = newHost({ hardCancelMs: 100 });
    await h.call('debugSleep', { ms: 1 });
    const gen = h.generation;
    const ac = new AbortController();
    const started = Date.now();
    const p = h.call('debugSleep', { ms: 10_000, ignoreCancel: true }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await p.catch((e: unknown) => e);
    expect((err as HeapscopeError).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await h.call('debugSleep', { ms: 1 })).slept).toBeGreaterThanOrEqual(1);
    expect(h.generation).toBe(gen + 1);
  });
});
