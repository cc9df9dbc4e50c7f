/** The Open URL form → TargetOptions, listing order (renderer/src/live/connection.ts). */
import { describe, expect, it } from 'vitest';
import type { ProfileListing } from '../../../shared/capture/types';
import { authOf, DEFAULT_WATCH_PROFILES, EMPTY_FORM, formWithAuth, limitsProblem, profileTitle, sortListings, targetOptions, type ConnectionForm } from '../../../renderer/src/live/connection';

const form = (p: Partial<ConnectionForm>): ConnectionForm => ({ ...EMPTY_FORM, ...p });

describe('authOf', () => {
  it('sends no credentials by default or when the fields are blank', () => {
    expect(authOf(EMPTY_FORM)).toEqual({ kind: 'none' });
    expect(authOf(form({ authKind: 'basic' }))).toEqual({ kind: 'none' });
    expect(authOf(form({ authKind: 'bearer', token: '   ' }))).toEqual({ kind: 'none' });
  });

  it('sends basic auth with a user or a password (either may be empty)', () => {
    expect(authOf(form({ authKind: 'basic', username: 'u', password: '' }))).toEqual({ kind: 'basic', username: 'u', password: '' });
    expect(authOf(form({ authKind: 'basic', username: '', password: ' p ' }))).toEqual({ kind: 'basic', username: '', password: ' p ' });
  });

  it('trims a bearer token', () => {
    expect(authOf(form({ authKind: 'bearer', token: '  abc.def \n' }))).toEqual({ kind: 'bearer', token: 'abc.def' });
  });

  it('ignores fields of the kind not chosen', () => {
    expect(authOf(form({ authKind: 'none', username: 'u', token: 't' }))).toEqual({ kind: 'none' });
    expect(authOf(form({ authKind: 'bearer', username: 'u', password: 'p' }))).toEqual({ kind: 'none' });
  });

  it('round-trips through formWithAuth', () => {
    for (const a of [{ kind: 'basic', username: 'u', password: 'p' }, { kind: 'bearer', token: 't' }, { kind: 'none' }] as const) {
      expect(authOf(formWithAuth(EMPTY_FORM, a))).toEqual(a);
    }
    expect(formWithAuth(form({ url: 'h:1', maxMiB: '5' }), { kind: 'none' })).toMatchObject({ url: 'h:1', maxMiB: '5', authKind: 'none' });
  });
});

describe('limitsProblem', () => {
  it('accepts blanks (host defaults) and positive numbers', () => {
    expect(limitsProblem(EMPTY_FORM)).toBeNull();
    expect(limitsProblem(form({ connectTimeoutS: ' 2.5 ', totalTimeoutS: '90', maxMiB: '1e3' }))).toBeNull();
    expect(limitsProblem(form({ connectTimeoutS: '   ' }))).toBeNull();
  });

  it('names the field and quotes the bad value', () => {
    expect(limitsProblem(form({ connectTimeoutS: '0' }))).toBe('the connect timeout must be a positive number (or blank for the default), not "0"');
    expect(limitsProblem(form({ totalTimeoutS: '-1' }))).toMatch(/^the total timeout .* not "-1"$/);
    expect(limitsProblem(form({ maxMiB: 'lots' }))).toMatch(/^the size limit .* not "lots"$/);
    expect(limitsProblem(form({ maxMiB: 'Infinity' }))).toMatch(/^the size limit/);
  });

  it('reports the first bad field and bounds the quoted text', () => {
    const p = limitsProblem(form({ connectTimeoutS: 'x'.repeat(100), maxMiB: '-5' }));
    expect(p).toContain('the connect timeout');
    expect(p).toContain(`"${'x'.repeat(20)}"`);
    expect(p).not.toContain('x'.repeat(21));
  });
});

describe('targetOptions', () => {
  it('is empty for an empty form', () => {
    expect(targetOptions(EMPTY_FORM)).toEqual({});
  });

  it('converts seconds to ms and MiB to bytes, rounding', () => {
    expect(targetOptions(form({ connectTimeoutS: '2.5', totalTimeoutS: '90', maxMiB: '1.5' }))).toEqual({ connectTimeoutMs: 2500, totalTimeoutMs: 90_000, maxBytes: 1572864 });
    expect(targetOptions(form({ connectTimeoutS: '0.0004' })).connectTimeoutMs).toBe(0);
  });

  it('adds the credentials typed, or the ones passed in (remembered for the origin)', () => {
    expect(targetOptions(form({ authKind: 'bearer', token: 't' }))).toEqual({ auth: { kind: 'bearer', token: 't' } });
    expect(targetOptions(form({ authKind: 'bearer', token: 't' }), { kind: 'basic', username: 'a', password: 'b' })).toEqual({ auth: { kind: 'basic', username: 'a', password: 'b' } });
    expect(targetOptions(form({ authKind: 'bearer', token: 't' }), { kind: 'none' })).toEqual({});
  });
});

describe('listings', () => {
  const l = (name: string): ProfileListing => ({ name, count: 1, href: `http://h/debug/pprof/${name}`, description: '', capturable: true });

  it('sorts the leak hunt first, custom profiles after by name, without touching the input', () => {
    const input = ['zzz', 'block', 'profile', 'cmdline', 'heap', 'threadcreate', 'allocs', 'goroutine', 'mutex', 'aaa'].map(l);
    const before = input.map((x) => x.name);
    expect(sortListings(input).map((x) => x.name)).toEqual(['heap', 'goroutine', 'allocs', 'profile', 'mutex', 'block', 'threadcreate', 'aaa', 'cmdline', 'zzz']);
    expect(input.map((x) => x.name)).toEqual(before);
  });

  it('names the CPU profile', () => {
    expect(profileTitle('profile')).toBe('CPU (profile)');
    expect(profileTitle('heap')).toBe('heap');
    expect(DEFAULT_WATCH_PROFILES[0]).toBe('heap');
  });
});
