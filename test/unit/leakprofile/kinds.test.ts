/**
 * Every place that enumerates profile kinds knows goroutineleak (issue 11): the sniffer and the
 * importers, capture requests (debug=2 and seconds like goroutine), body checks, the live
 * connection's order, titles and default watch set.
 */
import { describe, expect, it } from 'vitest';
import { captureParams, captureUrl, checkBody } from '../../../electron/services/capture/capture';
import { DELTA_PROFILES, PROFILE_NAMES, STACK_DUMP_PROFILES } from '../../../shared/capture/types';
import { importProfile, looksLikeProfile } from '../../../shared/profile';
import { sniffLegacyText } from '../../../shared/profile/legacy/text';
import { DEFAULT_WATCH_PROFILES, profileTitle, sortListings } from '../../../renderer/src/live/connection';
import { evidenceRows, KIND_LABEL } from '../../../renderer/src/findings/evidence';
import { heapscopeErrorOf } from '../../helpers/errors';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const noGunzip = { gunzip: (): Uint8Array => { throw new Error('not gzip'); } };


describe('goroutineleak in every kind list', () => {
  it('sniffs and imports "goroutineleak profile: total N" as its own format and kind', () => {
    const text = enc('goroutineleak profile: total 3\n3 @ 0x47f2ea 0x41512e 0x4e42b9 0x485261\n#\t0x4e42b8\tmain.leak.func1+0x18\t/src/main.go:18\n\n');
    expect(sniffLegacyText(text)).toBe('goroutineleak-debug1');
    expect(looksLikeProfile(text)).toBe(true);
    const p = importProfile(text, 'x.txt', noGunzip);
    expect([p.format, p.profileKind]).toEqual(['goroutineleak-debug1', 'goroutineleak']);
    expect(p.profile.strings[p.profile.sampleTypes[0]!.type]).toBe('goroutineleak');
    // A malformed record is a typed error naming the file, format and line.
    const e = heapscopeErrorOf(() => importProfile(enc('goroutineleak profile: total 1\nnot a record\n'), 'bad.txt', noGunzip));
    expect([e.code, e.file, e.format, e.line]).toEqual(['BAD_FORMAT', 'bad.txt', 'goroutineleak-debug1', 2]);
    expect(e.message).toMatch(/malformed goroutineleak profile record/);
  });

  it('the refusal of other text names the format', () => {
    const e = heapscopeErrorOf(() => importProfile(enc('hello\n'), 'x.txt', noGunzip));
    expect(e.message).toContain('"goroutineleak profile:"');
  });

  it('capture: a known profile, debug=2 and seconds like goroutine, never both', () => {
    expect(PROFILE_NAMES).toContain('goroutineleak');
    expect(DELTA_PROFILES).toContain('goroutineleak');
    expect(STACK_DUMP_PROFILES).toEqual(['goroutine', 'goroutineleak']);
    const base = 'http://127.0.0.1:6060/debug/pprof/';
    expect(captureUrl(base, 'goroutineleak', captureParams({ profile: 'goroutineleak', debug: 2 }))).toBe(`${base}goroutineleak?debug=2`);
    expect(captureUrl(base, 'goroutineleak', captureParams({ profile: 'goroutineleak', seconds: 5 }))).toBe(`${base}goroutineleak?seconds=5`);
    expect(heapscopeErrorOf(() => captureParams({ profile: 'goroutineleak', seconds: 5, debug: 1 })).code).toBe('BAD_REQUEST');
    expect(heapscopeErrorOf(() => captureParams({ profile: 'mutex', debug: 2 })).message).toMatch(/goroutine or goroutineleak/);
  });

  it('capture body checks: the right header for each form', () => {
    const url = 'http://127.0.0.1:1/debug/pprof/goroutineleak';
    expect(checkBody(url, 'goroutineleak', { debug: 1 }, enc('goroutineleak profile: total 0\n'), 'text/plain')).toBe('text');
    expect(checkBody(url, 'goroutineleak', { debug: 2 }, enc('goroutine 8 [running]:\nmain.main()\n\t/x.go:1 +0x1\n'), 'text/plain')).toBe('text');
    expect(checkBody(url, 'goroutineleak', { debug: 2 }, enc('goroutine 8 gp=0xc000002380 m=0 mp=0x5ea440 [running]:\n'), '')).toBe('text');
    // A goroutine profile where the leak profile was asked for is refused.
    const e = heapscopeErrorOf(() => checkBody(url, 'goroutineleak', { debug: 1 }, enc('goroutine profile: total 3\n'), 'text/plain'));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/expected a goroutineleak profile \(debug=1\)/);
  });

  it('live connection: listed after goroutine, titled, not in the default watch (older services lack it)', () => {
    const names = ['threadcreate', 'goroutineleak', 'heap', 'custom', 'goroutine'];
    const rows = sortListings(names.map((name) => ({ name, count: 0, href: '', description: '', capturable: true })));
    expect(rows.map((r) => r.name)).toEqual(['heap', 'goroutine', 'goroutineleak', 'threadcreate', 'custom']);
    expect(profileTitle('goroutineleak')).toBe('goroutineleak (leaked goroutines)');
    expect(DEFAULT_WATCH_PROFILES).not.toContain('goroutineleak');
    expect(DEFAULT_WATCH_PROFILES).toContain('goroutine');
  });

  it('the findings panel names the kind and prints goroutine ids as ids', () => {
    expect(KIND_LABEL['leaked-goroutines']).toMatch(/Leaked goroutines/);
    const rows = evidenceRows({
      severity: 'high',
      kind: 'leaked-goroutines',
      title: '2 goroutines leaked in main.f [select]: the Go runtime proved they can never run again',
      subject: 'main.f',
      evidence: { count: 2, goroutineIds: [10001, 12345], creatorGoroutines: [1], labels: ['job=a b'], stackCounts: [2] },
      link: { view: 'goroutines', file: 'x' },
      size: 16384,
      sources: ['x'],
    });
    const by = new Map(rows.map((r) => [r.key, r]));
    expect(by.get('goroutineIds')!.value).toBe('10001, 12345');
    expect(by.get('goroutineIds')!.label).toBe('Goroutine ids');
    expect(by.get('creatorGoroutines')!.value).toBe('1');
    expect(by.get('labels')!.value).toEqual(['job=a b']);
  });
});
