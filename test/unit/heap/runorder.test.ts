/**
 * The object order by merging the dump's ascending runs (shared/heap/runorder.ts), against a stable
 * sort of the indices by key (Array.prototype.sort is stable) as the oracle: spans in shuffled
 * order, runs that cross into a later span with other spans between (interleaving), duplicate
 * addresses across runs (stability), and the inputs it declines.
 */
import { describe, expect, it } from 'vitest';
import { runMergeOrder } from '../../../shared/heap/runorder';
import { rng } from './dumpwriter';

function oracle(keys: Uint32Array): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

/**
 * Objects as a dump lists them: `spans` spans of `slots` slots each (8 KiB apart), walked in a
 * shuffled order, each span's live slots written upward.
 */
function dumpLike(seed: number, spans: number, slots: number, live = 0.7): Uint32Array {
  const r = rng(seed);
  const ids = Array.from({ length: spans }, (_, i) => i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const out: number[] = [];
  const size = Math.floor(8192 / slots);
  for (const s of ids) for (let k = 0; k < slots; k++) if (r() < live) out.push(s * 8192 + k * size);
  return Uint32Array.from(out);
}

describe('runMergeOrder', () => {
  it('orders the empty, one-element and already sorted inputs', () => {
    expect(Array.from(runMergeOrder(new Uint32Array(0))!)).toEqual([]);
    expect(Array.from(runMergeOrder(Uint32Array.of(7))!)).toEqual([0]);
    const sorted = Uint32Array.from({ length: 100 }, (_, i) => i * 16);
    expect(Array.from(runMergeOrder(sorted)!)).toEqual(oracle(sorted));
  });

  it('merges spans walked in shuffled order', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const keys = dumpLike(seed, 300, 64);
      const got = runMergeOrder(keys);
      expect(got, `seed ${seed}`).not.toBeNull();
      expect(Array.from(got!), `seed ${seed}`).toEqual(oracle(keys));
    }
  });

  it('merges runs that cross into a later span with other spans between (interleaved runs)', () => {
    // Span order 0, 2, 1, 4, 3 …: 0→2 and 1→4 are single ascending runs that straddle span 1 and 3.
    const order = [0, 2, 1, 4, 3, 6, 5, 8, 7, 9];
    const keys = Uint32Array.from(order.flatMap((s) => Array.from({ length: 20 }, (_, k) => s * 1000 + k * 10)));
    const got = runMergeOrder(keys);
    expect(got).not.toBeNull();
    expect(Array.from(got!)).toEqual(oracle(keys));
    // and randomly: spans in an order with many ascending steps between spans
    for (const seed of [11, 12, 13]) {
      const r = rng(seed);
      const spans = Array.from({ length: 400 }, (_, i) => i).sort(() => r() - 0.5);
      // nudge towards ascending neighbours so runs cross several spans
      for (let i = 1; i < spans.length; i++) if (r() < 0.5 && spans[i]! < spans[i - 1]!) [spans[i], spans[i - 1]] = [spans[i - 1]!, spans[i]!];
      const k2 = Uint32Array.from(spans.flatMap((s) => Array.from({ length: 32 }, (_, k) => s * 4096 + k * 128)));
      expect(Array.from(runMergeOrder(k2)!), `seed ${seed}`).toEqual(oracle(k2));
    }
  });

  it('keeps duplicate keys in input order (stable, as the radix sort is)', () => {
    // two runs holding the same addresses (a corrupt dump listing a span twice), and a third
    const a = Array.from({ length: 40 }, (_, k) => 5000 + k * 8);
    const keys = Uint32Array.from([...a, ...a, ...Array.from({ length: 40 }, (_, k) => 5004 + k * 8)]);
    const got = Array.from(runMergeOrder(keys)!);
    expect(got).toEqual(oracle(keys));
    // the first copy of each address comes before the second
    expect(got.indexOf(0)).toBeLessThan(got.indexOf(40));
    // a later run that reaches an earlier run's first key: the earlier run's copy comes first
    const reach = Uint32Array.from([...Array.from({ length: 20 }, (_, k) => 20 + 10 * k), 10, 20, ...Array.from({ length: 18 }, (_, k) => 1000 + k)]);
    const merged = Array.from(runMergeOrder(reach)!);
    expect(merged).toEqual(oracle(reach));
    expect(merged.slice(0, 3)).toEqual([20, 0, 21]);
  });

  it('declines an input with more runs than it pays to merge, and then asks for no array', () => {
    const desc = Uint32Array.from({ length: 1000 }, (_, i) => 1000 - i);
    let asked = 0;
    expect(
      runMergeOrder(desc, (n) => {
        asked++;
        return new Uint32Array(n);
      }),
    ).toBeNull();
    expect(asked).toBe(0);
    const r = rng(99);
    const random = Uint32Array.from({ length: 5000 }, () => Math.floor(r() * 2 ** 32));
    expect(runMergeOrder(random)).toBeNull();
  });

  it('fills the array it is given', () => {
    const keys = dumpLike(21, 50, 32);
    const given = new Uint32Array(keys.length).fill(0xffffffff);
    const got = runMergeOrder(keys, () => given);
    expect(got).toBe(given);
    expect(Array.from(given)).toEqual(oracle(keys));
  });
});
