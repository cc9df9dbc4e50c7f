/**
 * From a set of inputs to their accounts, with the matching heap profile's total beside each:
 *
 *  - a heap profile in its debug=1 form is both: its trailer gives the MemStats, its records the
 *    profile total (inuse_space) of the same moment;
 *  - protobuf heap profiles carry no MemStats: they are paired with the MemStats sources given.
 *    One profile matches every source; with several, the profile whose capture time is closest to
 *    the source's LastGC (heap dump, trailer, expvar), else the i-th profile the i-th source.
 */
import type { GcTrace } from '../compare/types';
import { accountOf, accountOfGcTrace } from './breakdown';
import { heapFreshness, lastGcMs } from './freshness';
import { fromHeapDump, parseExpvarMemStats, parseMemStatsTrailer } from './sources';
import type { MemoryAccount } from './types';
import { HeapscopeError } from '../errors';

export type MemoryInput =
  | { file: string; kind: 'heapdump'; memStats: { fields: Record<string, string>; numGC: number | null } | null; goroutines: number }
  | { file: string; kind: 'heap-debug1'; text: Uint8Array | string; inuseSpace: number; captureMs?: number | null }
  | { file: string; kind: 'expvar'; text: Uint8Array | string; goroutines?: number | null }
  | { file: string; kind: 'gctrace'; trace: GcTrace }
  | { file: string; kind: 'heap-profile'; inuseSpace: number; captureMs: number | null };

export interface ProfileMatch {
  file: string;
  inuseSpace: number;
}

export interface AccountWithProfile {
  account: MemoryAccount;
  /** The heap profile shown beside the breakdown (debug=1: itself). */
  profile: ProfileMatch | null;
}

/** Accounts of every input that carries MemStats, in input order. Throws the first bad input's error. */
export function collectAccounts(inputs: readonly MemoryInput[]): AccountWithProfile[] {
  const profiles = inputs.filter((x): x is Extract<MemoryInput, { kind: 'heap-profile' }> => x.kind === 'heap-profile');
  const out: AccountWithProfile[] = [];
  let sourceIndex = 0;
  const pick = (lastGc: number | null, i: number): ProfileMatch | null => {
    if (profiles.length === 0) return null;
    if (profiles.length === 1) return { file: profiles[0]!.file, inuseSpace: profiles[0]!.inuseSpace };
    const timed = profiles.filter((p) => p.captureMs !== null);
    if (lastGc !== null && timed.length === profiles.length) {
      let best = timed[0]!;
      for (const p of timed) if (Math.abs(p.captureMs! - lastGc) < Math.abs(best.captureMs! - lastGc)) best = p;
      return { file: best.file, inuseSpace: best.inuseSpace };
    }
    const p = profiles[Math.min(i, profiles.length - 1)]!;
    return { file: p.file, inuseSpace: p.inuseSpace };
  };
  for (const x of inputs) {
    switch (x.kind) {
      case 'heap-profile':
        continue;
      case 'gctrace':
        out.push({ account: accountOfGcTrace(x.file, x.trace), profile: null });
        break;
      case 'heapdump': {
        if (!x.memStats) throw new HeapscopeError({ code: 'TRUNCATED', message: 'the heap dump has no MemStats record (it ends before it: cut short)', file: x.file, format: 'heapdump' });
        const stats = fromHeapDump(x.memStats);
        const profile = pick(lastGcMs(stats), sourceIndex);
        out.push({ account: accountOf({ file: x.file, source: 'heapdump', stats, goroutines: x.goroutines, profileInuse: profile?.inuseSpace ?? null }), profile });
        break;
      }
      case 'heap-debug1': {
        const t = parseMemStatsTrailer(x.text, x.file);
        const account = accountOf({ file: x.file, source: 'heap-debug1', stats: t.stats, maxRss: t.maxRss, profileInuse: x.inuseSpace });
        account.freshness = heapFreshness(t.stats, x.captureMs ?? null);
        out.push({ account, profile: { file: x.file, inuseSpace: x.inuseSpace } });
        break;
      }
      case 'expvar': {
        const stats = parseExpvarMemStats(x.text, x.file);
        const profile = pick(lastGcMs(stats), sourceIndex);
        out.push({ account: accountOf({ file: x.file, source: 'expvar', stats, goroutines: x.goroutines ?? null, profileInuse: profile?.inuseSpace ?? null }), profile });
        break;
      }
    }
    sourceIndex++;
  }
  return out;
}
