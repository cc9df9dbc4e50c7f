/** Heap dump view helpers (renderer/src/heap/format.ts, renderer/src/heap/selection.ts). */
import { describe, expect, it } from 'vitest';
import { asciiOf, basename, exactBytes, formatNsString, hexToBytes, offsetLabel, parseObjectRef, ROOT_KIND_HELP, ROOT_KIND_LABEL } from '../../../renderer/src/heap/format';
import { fromDomRow, fromRootRow, objectSelection } from '../../../renderer/src/heap/selection';
import type { DomRow, RootRow } from '../../../shared/heap/types';

describe('heap/format', () => {
  it('offsetLabel: signed hex', () => {
    expect(offsetLabel(0)).toBe('+0x0');
    expect(offsetLabel(32)).toBe('+0x20');
    expect(offsetLabel(255)).toBe('+0xff');
    expect(offsetLabel(-16)).toBe('-0x10');
  });

  it('exactBytes: exact first, human form when it differs', () => {
    expect(exactBytes(0)).toBe('0 B');
    expect(exactBytes(1023)).toBe('1023 B');
    expect(exactBytes(1024)).toBe('1024 B (1.00 KiB)');
    expect(exactBytes(131072)).toBe('131072 B (128 KiB)');
  });

  it('basename: POSIX and Windows separators', () => {
    expect(basename('/tmp/x/heap-1.pb.gz')).toBe('heap-1.pb.gz');
    expect(basename('C:\\dumps\\a.heap')).toBe('a.heap');
    expect(basename('plain')).toBe('plain');
    expect(basename('/dir/')).toBe('');
  });

  it('hexToBytes: pairs of hex digits, stopping at the first bad pair', () => {
    expect([...hexToBytes('00ff10Ab')]).toEqual([0x00, 0xff, 0x10, 0xab]);
    expect([...hexToBytes('')]).toEqual([]);
    expect([...hexToBytes('abc')]).toEqual([0xab]);
    expect([...hexToBytes('12zz34')]).toEqual([0x12]);
    expect([...hexToBytes('zz')]).toEqual([]);
  });

  // BUG (minor, found by this test): parseInt reads a pair's leading hex digit and ignores the rest,
  // so "1z" is 0x01, " f" is 0x0f and "-1" is 0xff, instead of stopping there. The host only
  // sends clean hex, so nothing shows it today. Flip to `it` once fixed.
  it.fails('hexToBytes: a pair with one bad digit is a bad pair', () => {
    expect([...hexToBytes('121z')]).toEqual([0x12]);
    expect([...hexToBytes('-1')]).toEqual([]);
  });

  it('asciiOf: printable ASCII or a dot', () => {
    expect(asciiOf(0x41)).toBe('A');
    expect(asciiOf(0x20)).toBe(' ');
    expect(asciiOf(0x7e)).toBe('~');
    expect(asciiOf(0x7f)).toBe('.');
    expect(asciiOf(0x0a)).toBe('.');
    expect(asciiOf(0xe9)).toBe('.');
  });

  it('formatNsString: from a decimal string of nanoseconds', () => {
    expect(formatNsString(undefined)).toBeNull();
    expect(formatNsString('')).toBeNull();
    expect(formatNsString('nope')).toBeNull();
    expect(formatNsString('500')).toBe('500 ns');
    expect(formatNsString('1500')).toBe('1.5 µs');
    expect(formatNsString('2500000')).toBe('2.5 ms');
    expect(formatNsString('90000000000')).toBe('90.0 s');
    expect(formatNsString('120000000000')).toBe('2.0 min');
    expect(formatNsString('7200000000000')).toBe('2.0 h');
  });

  it('parseObjectRef: address, bare hex, or #node', () => {
    expect(parseObjectRef('0xC000012345')).toBe('0xc000012345');
    expect(parseObjectRef('  c000012345 ')).toBe('0xc000012345');
    expect(parseObjectRef('#123')).toBe(123);
    expect(parseObjectRef('#')).toBeNull();
    expect(parseObjectRef('0x')).toBeNull();
    expect(parseObjectRef('abc')).toBeNull(); // too short to be a bare address
    expect(parseObjectRef('12345678901234567')).toBeNull(); // too long
    expect(parseObjectRef('main.cache')).toBeNull();
  });

  it('labels and explains every root kind', () => {
    expect(ROOT_KIND_LABEL['pending-finalizer']).toBe('pending finalizer');
    expect(Object.keys(ROOT_KIND_HELP).sort()).toEqual(Object.keys(ROOT_KIND_LABEL).sort());
  });
});

describe('heap/selection', () => {
  const dom = (p: Partial<DomRow>): DomRow => ({ node: 5, kind: 'object', label: '0xc000010000', address: '0xc000010000', size: 64, retainedBytes: 4096, retainedObjects: 3, children: 2, allocSite: null, ...p });

  it('an object row selects the object', () => {
    expect(fromDomRow(dom({}))).toEqual({ node: 5, kind: 'object', label: '0xc000010000', retainedBytes: 4096, retainedObjects: 3 });
  });

  it('a root (or super-root) row selects a root, with its kind when known', () => {
    expect(fromDomRow(dom({ kind: 'root', label: 'global main.cache', address: null, rootKind: 'global' }))).toEqual({ node: 5, kind: 'root', label: 'global main.cache', rootKind: 'global', retainedBytes: 4096, retainedObjects: 3 });
    expect(fromDomRow(dom({ kind: 'super-root', label: 'all roots' })).kind).toBe('root');
  });

  it('a GC roots row selects the root by name', () => {
    const r = { node: 9, name: 'goroutine 7', kind: 'goroutine', retainedBytes: 10, retainedObjects: 1, directObjects: 1 } as unknown as RootRow;
    expect(fromRootRow(r)).toEqual({ node: 9, kind: 'root', label: 'goroutine 7', rootKind: 'goroutine', retainedBytes: 10, retainedObjects: 1 });
  });

  it('objectSelection', () => {
    expect(objectSelection(3, '0xc0000a0000')).toEqual({ node: 3, kind: 'object', label: '0xc0000a0000' });
  });
});
