/** canonicalFunctionName / isCompilerWrapper: one name per Go function across formats and versions. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { canonicalFunctionName, isCompilerWrapper, pprofDisplayName } from '../../../shared/profile/names';
import { matrixRuns } from '../../helpers/matrix';
import { diffTop } from '../../../shared/compare';
import { load } from './helpers';

describe('canonicalFunctionName', () => {
  it('collapses type arguments, nested or not, and leaves other names alone', () => {
    expect(canonicalFunctionName('main.makeSlice[go.shape.int]')).toBe('main.makeSlice[...]');
    expect(canonicalFunctionName('main.(*Cache[go.shape.string,go.shape.*uint8]).Put')).toBe('main.(*Cache[...]).Put');
    expect(canonicalFunctionName('main.(*Cache[...]).Put')).toBe('main.(*Cache[...]).Put');
    expect(canonicalFunctionName('pkg.F[map[string]int,go.shape.[]uint8]')).toBe('pkg.F[...]');
    expect(canonicalFunctionName('main.rangeAllocs-range1')).toBe('main.rangeAllocs-range1');
    expect(canonicalFunctionName('main.startAll.gowrap1')).toBe('main.startAll.gowrap1');
    expect(canonicalFunctionName('[...]')).toBe('[...]');
    expect(canonicalFunctionName('pkg.F[unbalanced')).toBe('pkg.F[unbalanced');
  });

  it('knows the wrappers Go hides from tracebacks', () => {
    for (const n of ['main.(*api).listOrders-fm', 'main.startAll.gowrap12', 'main.f.deferwrap1']) expect(isCompilerWrapper(n), n).toBe(true);
    for (const n of ['main.rangeAllocs-range1', 'main.startAll.func1', 'main.gowrap']) expect(isCompilerWrapper(n), n).toBe(false);
  });

  // On real output: every generic function the proto heap profile names is named the same way,
  // canonically, by the debug=1 text of the same GC cycle.
  const runs = matrixRuns().filter((r) => r.version !== '1.19' && existsSync(join(r.dir, 'heap-3.debug1.txt')));
  it.skipIf(runs.length === 0)('proto and text heap profiles of one moment share their generic names (matrix 1.26/1.27)', () => {
    let generic = 0;
    for (const r of runs) {
      const names = (file: string): Set<string> => {
        const p = load(join(r.dir, file)).profile;
        const s = new Set<string>();
        for (let i = 0; i < p.functionCount; i++) s.add(canonicalFunctionName(p.strings[p.funcName[i]!]!));
        return s;
      };
      const proto = names('heap-3.pb.gz');
      const text = names('heap-3.debug1.txt');
      for (const n of proto) {
        if (!n.includes('[...]') || !/^main\./.test(n)) continue;
        generic++;
        expect(text.has(n), `${r.version}/${r.program}: ${n}`).toBe(true);
      }
    }
    expect(generic).toBeGreaterThan(0);
  });

  it.skipIf(runs.length === 0)('a diff of the text and proto heap profiles of one moment matches generic functions by their one name', () => {
    let checked = 0;
    for (const r of runs) {
      const proto = load(join(r.dir, 'heap-3.pb.gz')).profile;
      const text = load(join(r.dir, 'heap-3.debug1.txt')).profile;
      const d = diffTop(text, proto, { sampleIndex: 'inuse_space' });
      // Both sides name each generic function once, canonically: no row is a shape-named
      // function "new" against its "[...]" twin "gone" (the same moment: nothing changed).
      for (const row of d.rows) {
        expect(row.name, `${r.version}/${r.program}`).not.toMatch(/go\.shape\./);
        if (row.name.includes('[...]')) expect(row.status, `${r.version}/${r.program}: ${row.name}`).toBe('both');
      }
      // And the proto side really used shape names (what made the alignment necessary).
      for (let i = 0; i < proto.functionCount; i++) if (/go\.shape\./.test(proto.strings[proto.funcName[i]!]!)) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('pprofDisplayName (what pprof shows for a name it loaded)', () => {
  it('drops parameter lists inside generic shapes, as pprof\'s symbolizer does (seen on a Go 1.26 service)', () => {
    const full = 'sync.OnceValue[go.shape.func(*encoding/json.encodeState, reflect.Value, encoding/json.encOpts)]';
    expect(pprofDisplayName(full, full)).toBe('sync.OnceValue[go.shape.func]');
    expect(pprofDisplayName('', full)).toBe('sync.OnceValue[go.shape.func]');
  });
  it('leaves Go methods on generic types, plain names, Java <init> and separate display names alone', () => {
    const m = 'main.(*Cache[go.shape.string,go.shape.*uint8]).Put';
    expect(pprofDisplayName(m, m)).toBe(m);
    expect(pprofDisplayName('main.main', 'main.main')).toBe('main.main');
    expect(pprofDisplayName('pkg.F[go.shape.int]', 'pkg.F[go.shape.int]')).toBe('pkg.F[go.shape.int]');
    expect(pprofDisplayName('java.Foo.<init>', 'java.Foo.<init>')).toBe('java.Foo.<init>');
    expect(pprofDisplayName('shown', 'sys(int)[x]')).toBe('shown');
    expect(pprofDisplayName('ns::f<int>(int)', 'ns::f<int>(int)')).toBe('ns::f');
    expect(pprofDisplayName('a[b)c', 'a[b)c')).toBe('a[b)c');
    // All markup: pprof would print nothing; the recorded name stays (as text).
    expect(pprofDisplayName('<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});
