/**
 * Bounded retention for long watches: a budget of ticks and bytes on disk. When over it, the
 * oldest tick that is not protected goes. Protected: the first tick, the newest, every tick with a
 * trigger bundle, and every Nth tick. When only protected ticks are left and the budget is still
 * exceeded, N doubles (every 2Nth, then 4Nth...: an evenly thinned history); when that protects
 * nothing more, the oldest triggered ticks go last.
 */
export interface RetentionPolicy {
  maxKept: number;
  maxBytes: number;
}

export interface KeptTick {
  tick: number;
  bytes: number;
  triggered: boolean;
}

export interface DropPlan {
  /** Ticks to delete, oldest first, each with the reason it went. */
  drop: Array<{ tick: number; reason: 'count' | 'bytes' }>;
  /** The every-Nth stride after this plan (it only grows). */
  everyNth: number;
}

/** Which ticks to drop to fit the budget. kept: oldest first; firstTick: the watch's first tick. */
export function planRetention(kept: readonly KeptTick[], policy: RetentionPolicy, everyNth: number, firstTick: number): DropPlan {
  const left = kept.slice();
  let count = left.length;
  let bytes = left.reduce((s, k) => s + k.bytes, 0);
  let nth = Math.max(1, Math.floor(everyNth));
  const drop: DropPlan['drop'] = [];
  const newest = left.length ? left[left.length - 1]!.tick : -1;
  const over = (): 'count' | 'bytes' | null => (count > policy.maxKept ? 'count' : bytes > policy.maxBytes ? 'bytes' : null);
  const maxTick = Math.max(newest, firstTick);
  for (let guard = 0; guard < 10_000; guard++) {
    const why = over();
    if (!why) break;
    const pinned = (k: KeptTick) => k.tick === firstTick || k.tick === newest;
    let i = left.findIndex((k) => !pinned(k) && !k.triggered && (k.tick - firstTick) % nth !== 0);
    if (i < 0) {
      if (nth <= maxTick - firstTick) {
        nth *= 2;
        continue;
      }
      i = left.findIndex((k) => !pinned(k));
      if (i < 0) break; // only the first and the newest are left: they stay
    }
    const [k] = left.splice(i, 1);
    count--;
    bytes -= k!.bytes;
    drop.push({ tick: k!.tick, reason: why });
  }
  return { drop, everyNth: nth };
}
