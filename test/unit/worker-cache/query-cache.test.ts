/**
 * The worker answers a freshly loaded profile's first questions (default top table and flame
 * graph) from what it computed at load, and keeps the last few top/flame answers per profile:
 * answers equal the engine's, equivalent queries share an entry, different ones do not, bad
 * queries still fail as the engine fails them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFlame, computeTop } from '../../../shared/profile';
import { NO_TASK, type TaskContext } from '../../../shared/task';
import { WorkerState } from '../../../electron/worker/state';
import { queryKey } from '../../../electron/worker/query-cache';
import { gunzip } from '../../../electron/cli/io';
import { LEAKYAPP, load } from '../profile/helpers';

function loaded(file: string) {
  const state = new WorkerState({ gunzip });
  const bytes = new Uint8Array(readFileSync(join(LEAKYAPP, file)));
  let flameCalls = 0;
  const task: TaskContext = {
    ...NO_TASK,
    progress: (label) => {
      if (label === 'building call tree') flameCalls++;
    },
  };
  const item = state.load(file, 'test', bytes, task);
  return { state, item, flameCallsAtLoad: () => flameCalls };
}

describe('worker query cache', () => {
  it('the default answers are ready after load and equal the engine', () => {
    const { state, item } = loaded('cpu.pb.gz');
    const imported = load(join(LEAKYAPP, item.name)).profile;
    const f1 = state.flame({ handle: item.handle, minFraction: 0.0005 }, NO_TASK);
    expect(f1).toEqual(computeFlame(imported, { minFraction: 0.0005 }));
    // the same object: answered from the cache, not recomputed
    expect(state.flame({ handle: item.handle, sampleIndex: item.defaultSampleIndex, granularity: 'functions', minFraction: 0.0005, filters: {} }, NO_TASK)).toBe(f1);
    const t1 = state.top({ handle: item.handle }, NO_TASK);
    expect(t1).toEqual(computeTop(imported, {}));
    expect(state.top({ handle: item.handle, sampleIndex: item.sampleTypes[item.defaultSampleIndex]!.type }, NO_TASK)).toBe(t1);
  });

  it('different queries get their own answers', () => {
    const { state, item } = loaded('heap-3.pb.gz');
    const imported = load(join(LEAKYAPP, item.name)).profile;
    const a = state.flame({ handle: item.handle, sampleIndex: 'inuse_space' }, NO_TASK);
    const b = state.flame({ handle: item.handle, sampleIndex: 'alloc_space' }, NO_TASK);
    const c = state.flame({ handle: item.handle, sampleIndex: 'inuse_space', inverted: true }, NO_TASK);
    const d = state.flame({ handle: item.handle, sampleIndex: 'inuse_space', filters: { focus: 'main' } }, NO_TASK);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(d).toEqual(computeFlame(imported, { sampleIndex: 'inuse_space', filters: { focus: 'main' } }));
    expect(c).toEqual(computeFlame(imported, { sampleIndex: 'inuse_space', inverted: true }));
    const ta = state.top({ handle: item.handle, sampleIndex: 'inuse_space', granularity: 'lines' }, NO_TASK);
    expect(ta).toEqual(computeTop(imported, { sampleIndex: 'inuse_space', granularity: 'lines' }));
    expect(ta).not.toBe(state.top({ handle: item.handle, sampleIndex: 'inuse_space' }, NO_TASK));
  });

  it('keys resolve defaults: index or name, absent or empty filters', () => {
    const { item } = loaded('heap-3.pb.gz');
    const p = load(join(LEAKYAPP, item.name)).profile;
    const si = item.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    expect(queryKey(p, { sampleIndex: si }, 'flame')).toBe(queryKey(p, { sampleIndex: 'inuse_space', filters: { focus: '' }, minFraction: 0.0005 }, 'flame'));
    expect(queryKey(p, { sampleIndex: si }, 'flame')).not.toBe(queryKey(p, { sampleIndex: si, minFraction: 0.01 }, 'flame'));
    expect(queryKey(p, { sampleIndex: 'no_such_type' }, 'top')).toBeNull();
  });

  it('bad queries fail as the engine fails them', () => {
    const { state, item } = loaded('heap-3.pb.gz');
    expect(() => state.flame({ handle: item.handle, sampleIndex: 'no_such_type' }, NO_TASK)).toThrow(/no_such_type|sample/i);
    expect(() => state.top({ handle: item.handle, filters: { focus: '(' } }, NO_TASK)).toThrow();
  });

  it('the flame graph is built at load, not again for the first page', () => {
    const { state, item, flameCallsAtLoad } = loaded('cpu.pb.gz');
    expect(flameCallsAtLoad()).toBeGreaterThan(0);
    const before = flameCallsAtLoad();
    let during = 0;
    state.flame({ handle: item.handle, minFraction: 0.0005 }, { ...NO_TASK, progress: () => void during++ });
    expect(during).toBe(0);
    expect(flameCallsAtLoad()).toBe(before);
  });
});
