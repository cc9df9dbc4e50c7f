/**
 * The origin session credentials are remembered under (renderer/src/live/target.ts) and the
 * in-memory credential store (renderer/src/live/session-auth.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasInlineCredentials, originOf } from '../../../renderer/src/live/target';
import { forgetAuth, rememberAuth, rememberedAuth } from '../../../renderer/src/live/session-auth';

describe('originOf', () => {
  it('accepts host:port, :port and full URLs', () => {
    expect(originOf('localhost:6060')).toBe('http://localhost:6060');
    expect(originOf('10.0.0.5:6060/debug/pprof/')).toBe('http://10.0.0.5:6060');
    expect(originOf(':6060')).toBe('http://127.0.0.1:6060');
    expect(originOf(':6060/debug/pprof/heap')).toBe('http://127.0.0.1:6060');
    expect(originOf('http://svc:8080/debug/pprof/')).toBe('http://svc:8080');
    expect(originOf('https://svc.example.com/prefix/debug/pprof/')).toBe('https://svc.example.com');
    expect(originOf('[::1]:6060')).toBe('http://[::1]:6060');
  });

  it('normalises case, whitespace and default ports (one origin per service)', () => {
    expect(originOf('  HTTP://Svc.Example.COM:80/x ')).toBe('http://svc.example.com');
    expect(originOf('https://svc:443')).toBe('https://svc');
    expect(originOf('svc:80')).toBe('http://svc');
  });

  it('drops inline credentials from the origin', () => {
    expect(originOf('http://user:pw@svc:6060/')).toBe('http://svc:6060');
    expect(originOf('user:pw@svc:6060')).toBe('http://svc:6060');
  });

  it('returns null for blanks and unparsable input, never throws', () => {
    expect(originOf('')).toBeNull();
    expect(originOf('   ')).toBeNull();
    expect(originOf('http://')).toBeNull();
    expect(originOf('svc:99999')).toBeNull();
    expect(originOf('javascript:alert(1)')).toBeNull();
  });

  // BUG (found by this test): a non-http scheme is not recognised as a scheme: "ftp://host" gets
  // "http://" put in front and parses as host "ftp" with an empty port, so the origin is
  // "http://ftp" (likewise "ws://a:1" and "ws://b:2" are both "http://ws", "file:///x" is
  // "http://file", "mailto:a@b" is "http://b"). The `protocol !== 'http:'` check after it can never
  // fire. The host (electron/services/capture/url.ts normaliseTarget) rejects these schemes, so the
  // renderer's origin (the key of remembered credentials) disagrees with the host's. Flip to `it`
  // once fixed.
  it('returns null for other schemes', () => {
    expect(originOf('ftp://svc/debug/pprof/')).toBeNull();
    expect(originOf('ws://svc:6060')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
  });

  // The same bug, stated as what the UI relies on: credentials are remembered by origin and must
  // never follow the address to another host ("ws://alpha" and "ws://beta" are both "http://ws").
  it('never gives two different hosts the same origin, whatever the scheme', () => {
    const a = originOf('ws://alpha:6060');
    const b = originOf('ws://beta:6060');
    expect(a === null || a !== b).toBe(true);
    expect(originOf('http://alpha:6060')).not.toBe(originOf('http://beta:6060'));
  });
});

describe('hasInlineCredentials', () => {
  it('sees user:pass@ with or without a scheme', () => {
    expect(hasInlineCredentials('http://u:p@svc:6060')).toBe(true);
    expect(hasInlineCredentials('u:p@svc:6060')).toBe(true);
    expect(hasInlineCredentials('u@svc:6060')).toBe(true);
  });

  it('is false without credentials or for garbage', () => {
    expect(hasInlineCredentials('http://svc:6060/debug/pprof/')).toBe(false);
    expect(hasInlineCredentials(':6060')).toBe(false);
    expect(hasInlineCredentials('')).toBe(false);
    expect(hasInlineCredentials('http://[')).toBe(false);
  });
});

describe('session credentials', () => {
  const A = 'http://svc-a:6060';
  const B = 'http://svc-b:6060';
  afterEach(() => {
    forgetAuth(A);
    forgetAuth(B);
  });

  it('remembers by origin only', () => {
    rememberAuth(A, { kind: 'bearer', token: 't' });
    expect(rememberedAuth(A)).toEqual({ kind: 'bearer', token: 't' });
    expect(rememberedAuth(B)).toBeNull();
    expect(rememberedAuth(originOf('svc-a:6060/debug/pprof/'))).toEqual({ kind: 'bearer', token: 't' });
    expect(rememberedAuth(originOf('https://svc-a:6060/'))).toBeNull();
  });

  it('replaces, forgets, and treats "none" as forget', () => {
    rememberAuth(A, { kind: 'bearer', token: 't' });
    rememberAuth(A, { kind: 'basic', username: 'u', password: 'p' });
    expect(rememberedAuth(A)).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    rememberAuth(A, { kind: 'none' });
    expect(rememberedAuth(A)).toBeNull();
    rememberAuth(B, { kind: 'bearer', token: 'x' });
    forgetAuth(B);
    expect(rememberedAuth(B)).toBeNull();
  });

  it('ignores a null origin (nothing typed)', () => {
    rememberAuth(null, { kind: 'bearer', token: 't' });
    expect(rememberedAuth(null)).toBeNull();
    expect(() => forgetAuth(null)).not.toThrow();
  });
});
