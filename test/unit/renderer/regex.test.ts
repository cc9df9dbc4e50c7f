/** Search matchers for user-typed text (renderer/src/lib/regex.ts): never throw, literal fallback. */
import { describe, expect, it } from 'vitest';
import { escapeRegExp, makeMatcher } from '../../../renderer/src/lib/regex';

describe('escapeRegExp', () => {
  it('makes every special character literal', () => {
    const tricky = ['main.(*T).Method', 'a+b?c*', '^x$', '[]{}|\\', 'sync/atomic.(*Pointer[net/http.x]).Load', '.*'];
    for (const s of tricky) {
      const re = new RegExp(`^${escapeRegExp(s)}$`);
      expect(re.test(s)).toBe(true);
    }
    expect(new RegExp(escapeRegExp('a.c')).test('abc')).toBe(false);
  });
});

describe('makeMatcher', () => {
  it('returns null for empty text (no search)', () => {
    expect(makeMatcher('', 'substring')).toBeNull();
    expect(makeMatcher('', 'regex')).toBeNull();
    expect(makeMatcher('', 'exact')).toBeNull();
  });

  it('substring: case-insensitive and literal', () => {
    const m = makeMatcher('(*Conn)', 'substring')!;
    expect(m.test('net.(*conn).Read')).toBe(true);
    expect(m.test('net.Conn.Read')).toBe(false);
    expect(m.error).toBeUndefined();
    expect(makeMatcher('.', 'substring')!.test('main')).toBe(false);
  });

  it('regex: case-insensitive', () => {
    const m = makeMatcher('^runtime\\.(malloc|GC)', 'regex')!;
    expect(m.test('runtime.mallocgc')).toBe(true);
    expect(m.test('runtime.gcBgMarkWorker')).toBe(true);
    expect(m.test('main.runtime.malloc')).toBe(false);
    expect(m.error).toBeUndefined();
  });

  it('regex: is not stateful across calls', () => {
    const m = makeMatcher('leak', 'regex')!;
    expect([m.test('main.leak'), m.test('main.leak'), m.test('main.leak')]).toEqual([true, true, true]);
  });

  it('regex: a bad pattern falls back to a literal substring and says why', () => {
    const m = makeMatcher('(*T', 'regex')!;
    expect(m.error).toEqual(expect.any(String));
    expect(m.error!.length).toBeGreaterThan(0);
    expect(m.test('main.(*t).Method')).toBe(true);
    expect(m.test('main.T.Method')).toBe(false);
    expect(() => makeMatcher('[', 'regex')!.test('x')).not.toThrow();
  });

  it('exact: case-sensitive whole name', () => {
    const m = makeMatcher('main.leak', 'exact')!;
    expect(m.test('main.leak')).toBe(true);
    expect(m.test('main.Leak')).toBe(false);
    expect(m.test('main.leaky')).toBe(false);
    expect(makeMatcher('a.*', 'exact')!.test('abc')).toBe(false);
  });
});
