/**
 * Acceptance 2: a profile re-encoded from the importer's own model (encodeProfile → profile.proto)
 * and read back gives the same top table, for every fixture of every format, every sample type
 * and every granularity; flame graphs and summaries survive too.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { computeFlame, computeTop, encodeProfile, importProfile, profileSummary } from '../../../shared/profile';
import { syntheticCpuProfile } from '../../bench/synthetic-profile';
import { LEAKYAPP, fixtureProfiles, gunzip, load } from './helpers';

const grans = ['functions', 'files', 'lines'] as const;

describe('round trip through encodeProfile', () => {
  for (const f of fixtureProfiles()) {
    it(f, () => {
      const a = load(join(LEAKYAPP, f));
      const bytes = encodeProfile(a.profile);
      const b = importProfile(bytes, `${f}.reencoded.pb`, { gunzip });
      expect(b.format).toBe('pprof');
      expect(profileSummary(b.profile)).toEqual(profileSummary(a.profile));
      for (let si = 0; si < a.profile.sampleTypes.length; si++) {
        for (const g of grans) {
          expect(computeTop(b.profile, { sampleIndex: si, granularity: g }), `${si} ${g}`).toEqual(computeTop(a.profile, { sampleIndex: si, granularity: g }));
        }
        expect(computeFlame(b.profile, { sampleIndex: si, minFraction: 0 })).toEqual(computeFlame(a.profile, { sampleIndex: si, minFraction: 0 }));
      }
      // The re-encoded bytes are a fixed point.
      expect(encodeProfile(b.profile)).toEqual(bytes);
    });
  }

  it('a synthetic CPU profile', () => {
    const p = syntheticCpuProfile({ samples: 3000, locations: 4000, functions: 2500, fanout: 6, minDepth: 5, maxDepth: 30, seed: 3 });
    const b = importProfile(encodeProfile(p), 's.pb', { gunzip });
    for (const g of grans) expect(computeTop(b.profile, { granularity: g })).toEqual(computeTop(p, { granularity: g }));
  });
});
