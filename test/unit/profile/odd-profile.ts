/**
 * A small hand-made profile with every awkward case pprof's naming and aggregation has: inline
 * frames, unsymbolized addresses in a shared library and with no mapping, nameless functions
 * keyed by start line, paths needing cleaning/trimming, recursion, negative values and
 * drop_frames. Compared with a live `go tool pprof` in analysis.test.ts.
 */
import * as pf from 'pprof-format';

export function oddProfile(): Uint8Array {
  const strings = new pf.StringTable();
  const st = (s: string): number => strings.dedup(s);
  const p = new pf.Profile({
    sampleType: [new pf.ValueType({ type: st('samples'), unit: st('count') }), new pf.ValueType({ type: st('cpu'), unit: st('nanoseconds') })],
    mapping: [
      new pf.Mapping({ id: 1, memoryStart: 0x400000, memoryLimit: 0x800000, filename: st('/usr/bin/app'), hasFunctions: true }),
      new pf.Mapping({ id: 2, memoryStart: 0x7f0000000000, memoryLimit: 0x7f0000100000, filename: st('/lib/x86_64-linux-gnu/libc.so.6') }),
    ],
    function: [
      new pf.Function({ id: 1, name: st('main.main'), systemName: st('main.main'), filename: st('/proc/self/cwd/./src/main.go'), startLine: 10 }),
      new pf.Function({ id: 2, name: st('main.helper'), filename: st('/src/../src/main.go'), startLine: 20 }),
      new pf.Function({ id: 3, name: st(''), filename: st('/src/anon.go'), startLine: 5 }),
      new pf.Function({ id: 4, name: st(''), filename: st('/src/anon.go'), startLine: 50 }),
      new pf.Function({ id: 5, name: st('runtime.mallocgc'), filename: st('/go/src/runtime/malloc.go'), startLine: 900 }),
    ],
    location: [
      new pf.Location({ id: 1, mappingId: 1, address: 0x401000, line: [new pf.Line({ functionId: 2, line: 22 }), new pf.Line({ functionId: 1, line: 12 })] }),
      new pf.Location({ id: 2, mappingId: 2, address: 0x7f0000001234 }),
      new pf.Location({ id: 3, mappingId: 2, address: 0x7f0000005678 }),
      new pf.Location({ id: 4, mappingId: 1, address: 0x402000, line: [new pf.Line({ functionId: 3, line: 7 })] }),
      new pf.Location({ id: 5, mappingId: 1, address: 0x403000, line: [new pf.Line({ functionId: 4, line: 51 })] }),
      new pf.Location({ id: 6, address: 0x404000 }),
      new pf.Location({ id: 7, mappingId: 1, address: 0x405000, line: [new pf.Line({ functionId: 5, line: 950 })] }),
      new pf.Location({ id: 8, mappingId: 1, address: 0x406000, line: [new pf.Line({ functionId: 1, line: 15 })] }),
    ],
    sample: [
      new pf.Sample({ locationId: [2, 1], value: [3, 30] }),
      new pf.Sample({ locationId: [3, 2, 1], value: [2, 20] }),
      new pf.Sample({ locationId: [4, 1], value: [5, 50] }),
      new pf.Sample({ locationId: [5, 4, 1], value: [7, 70] }),
      new pf.Sample({ locationId: [6, 8], value: [1, 10] }),
      new pf.Sample({ locationId: [7, 5, 8], value: [4, 40] }),
      new pf.Sample({ locationId: [7, 8, 1, 8], value: [-2, -20] }),
      new pf.Sample({ locationId: [1, 1, 1], value: [6, 60] }),
    ],
    stringTable: strings,
    dropFrames: st('runtime\\.malloc.*'),
  });
  return p.encode();
}
