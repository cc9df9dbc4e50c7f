/**
 * The hand-written profile.proto decoder against pprof-format (npm) as an oracle, on every
 * committed fixture, a synthetic big profile and hand-built edge cases (negative values,
 * 64-bit ids/addresses/times, unpacked repeated fields, unknown fields, every Profile field);
 * plus its errors on malformed input (code, format, byte offset).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as pf from 'pprof-format';
import { computeTop, encodeProfile, importProfile, looksLikeProfile, profileSummary } from '../../../shared/profile';
import { decodeProfileProto, decodeProfileProtoReference } from '../../../shared/profile/proto/decode';
import { u64String, type Profile } from '../../../shared/profile/model';
import { syntheticCpuProfile } from '../../bench/synthetic-profile';
import { LEAKYAPP, fixtureProfiles, gunzip, readBytes } from './helpers';
import { heapscopeErrorOf } from '../../helpers/errors';

type N = number | bigint;
const u64 = (v: N | undefined): string => BigInt.asUintN(64, BigInt(v ?? 0)).toString();
const i64 = (v: N | undefined): number => Number(BigInt.asIntN(64, BigInt(v ?? 0)));
const i64s = (v: N | undefined): string => BigInt.asIntN(64, BigInt(v ?? 0)).toString();

/** A neutral, fully resolved view of a decoded profile. */
function neutralFromPf(p: pf.Profile): unknown {
  const S = p.stringTable.strings;
  const s = (x: N | undefined): string => S[i64(x)]!;
  return {
    sampleTypes: p.sampleType.map((t) => [s(t.type), s(t.unit)]),
    samples: p.sample.map((x) => ({
      locs: x.locationId.map(u64),
      values: x.value.map(i64),
      labels: x.label
        .filter((l) => i64(l.str) !== 0 || i64(l.num) !== 0 || i64(l.numUnit) !== 0)
        .map((l) => (i64(l.str) !== 0 ? [s(l.key), s(l.str)] : [s(l.key), i64(l.num), s(l.numUnit)])),
    })),
    mappings: p.mapping.map((m) => [u64(m.id), u64(m.memoryStart), u64(m.memoryLimit), u64(m.fileOffset), s(m.filename), s(m.buildId), !!m.hasFunctions, !!m.hasFilenames, !!m.hasLineNumbers, !!m.hasInlineFrames]),
    locations: p.location.map((l) => [u64(l.id), u64(l.mappingId), u64(l.address), !!l.isFolded, l.line.map((ln) => [u64(ln.functionId), i64(ln.line), i64(ln.column)])]),
    functions: p.function.map((f) => [u64(f.id), s(f.name), s(f.systemName), s(f.filename), i64(f.startLine)]),
    strings: S,
    dropFrames: s(p.dropFrames),
    keepFrames: s(p.keepFrames),
    timeNanos: i64s(p.timeNanos),
    durationNanos: i64s(p.durationNanos),
    periodType: p.periodType ? [s(p.periodType.type), s(p.periodType.unit)] : null,
    period: i64(p.period),
    comments: p.comment.map(s),
    defaultSampleType: s(p.defaultSampleType),
    docUrl: s(p.docUrl),
  };
}

function neutralFromOurs(p: Profile): unknown {
  const S = p.strings;
  const nT = p.sampleTypes.length;
  const samples = [];
  for (let i = 0; i < p.sampleCount; i++) {
    const locs = [];
    for (let j = p.sampleLocStart[i]!; j < p.sampleLocStart[i + 1]!; j++) locs.push(u64String(p.locId, p.sampleLocs[j]!));
    const labels = [];
    for (let j = p.sampleLabelStart[i]!; j < p.sampleLabelStart[i + 1]!; j++) {
      labels.push(p.labelStr[j] !== 0 ? [S[p.labelKey[j]!], S[p.labelStr[j]!]] : [S[p.labelKey[j]!], p.labelNum[j], S[p.labelNumUnit[j]!]]);
    }
    samples.push({ locs, values: Array.from(p.values.subarray(i * nT, i * nT + nT)), labels });
  }
  const mappings = [];
  for (let i = 0; i < p.mappingCount; i++) {
    const f = p.mapFlags[i]!;
    mappings.push([u64String(p.mapId, i), u64String(p.mapStart, i), u64String(p.mapLimit, i), u64String(p.mapOffset, i), S[p.mapFile[i]!], S[p.mapBuildId[i]!], !!(f & 1), !!(f & 2), !!(f & 4), !!(f & 8)]);
  }
  const locations = [];
  for (let i = 0; i < p.locationCount; i++) {
    const lines = [];
    for (let j = p.locLineStart[i]!; j < p.locLineStart[i + 1]!; j++) {
      lines.push([p.lineFunc[j]! >= 0 ? u64String(p.funcId, p.lineFunc[j]!) : '0', p.lineLine[j], p.lineColumn[j]]);
    }
    const mi = p.locMapping[i]!;
    locations.push([u64String(p.locId, i), mi >= 0 ? u64String(p.mapId, mi) : '0', u64String(p.locAddress, i), p.locIsFolded[i] === 1, lines]);
  }
  const functions = [];
  for (let i = 0; i < p.functionCount; i++) functions.push([u64String(p.funcId, i), S[p.funcName[i]!], S[p.funcSystemName[i]!], S[p.funcFilename[i]!], p.funcStartLine[i]]);
  return {
    sampleTypes: p.sampleTypes.map((t) => [S[t.type], S[t.unit]]),
    samples,
    mappings,
    locations,
    functions,
    strings: S,
    dropFrames: S[p.dropFrames],
    keepFrames: S[p.keepFrames],
    timeNanos: p.timeNanos.toString(),
    durationNanos: p.durationNanos.toString(),
    periodType: p.periodType ? [S[p.periodType.type], S[p.periodType.unit]] : null,
    period: p.period,
    comments: p.comments.map((c) => S[c]),
    defaultSampleType: S[p.defaultSampleType],
    docUrl: S[p.docUrl],
  };
}

/** Everything profile.proto can hold, with awkward values, built and encoded by pprof-format. */
function edgeCaseProfile(): Uint8Array {
  const strings = new pf.StringTable();
  const st = (s: string): number => strings.dedup(s);
  const BIG = 18446744073709551615n; // 2^64 - 1
  const p = new pf.Profile({
    sampleType: [new pf.ValueType({ type: st('alloc_space'), unit: st('bytes') }), new pf.ValueType({ type: st('inuse_space'), unit: st('bytes') })],
    mapping: [
      new pf.Mapping({ id: 9007199254740993n, memoryStart: 0x400000, memoryLimit: BIG, fileOffset: 0x1000, filename: st('/bin/app'), buildId: st('abc'), hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true }),
    ],
    function: [
      new pf.Function({ id: 1, name: st('main.leak'), systemName: st('main.leak'), filename: st('/src/main.go'), startLine: 10 }),
      new pf.Function({ id: 18446744073709551000n, name: st('main.inlined'), systemName: st('main.inlined'), filename: st('/src/util.go'), startLine: -3 }),
    ],
    location: [
      new pf.Location({ id: 1, mappingId: 9007199254740993n, address: 0xfffffffffffffff0n, line: [new pf.Line({ functionId: 18446744073709551000n, line: 5, column: 7 }), new pf.Line({ functionId: 1, line: 12 })], isFolded: true }),
      new pf.Location({ id: 12345678901234567n, mappingId: 9007199254740993n, address: 0x401000, line: [new pf.Line({ functionId: 1, line: 20 })] }),
    ],
    sample: [
      new pf.Sample({ locationId: [1, 12345678901234567n], value: [-150, 9007199254740991], label: [new pf.Label({ key: st('bytes'), num: 4096, numUnit: st('bytes') }), new pf.Label({ key: st('pprof::base'), str: st('true') })] }),
      new pf.Sample({ locationId: [12345678901234567n], value: [100, -1], label: [new pf.Label({ key: st('zero'), num: 0 })] }),
    ],
    stringTable: strings,
    dropFrames: st('runtime\\..*'),
    keepFrames: st('runtime\\.panic'),
    timeNanos: 1700000000123456789n,
    durationNanos: 9223372036854775807n,
    periodType: new pf.ValueType({ type: st('space'), unit: st('bytes') }),
    period: 524288,
    comment: [st('first comment'), st('# second')],
    defaultSampleType: st('inuse_space'),
    docUrl: st('https://example.com/doc'),
  });
  return p.encode();
}

/** Minimal protobuf writer for inputs pprof-format cannot produce (unpacked fields, unknown fields). */
class W {
  b: number[] = [];
  varint(v: bigint | number): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.b.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.b.push(Number(x));
    return this;
  }
  tag(f: number, w: number): this {
    return this.varint(f * 8 + w);
  }
  int(f: number, v: bigint | number): this {
    return this.tag(f, 0).varint(v);
  }
  bytes(f: number, b: number[] | Uint8Array): this {
    this.tag(f, 2).varint(b.length);
    for (const x of b) this.b.push(x);
    return this;
  }
  str(f: number, s: string): this {
    return this.bytes(f, new TextEncoder().encode(s));
  }
  msg(f: number, m: W): this {
    return this.bytes(f, m.b);
  }
  u8(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

function unpackedProfile(withUnknown = true): Uint8Array {
  const w = new W();
  w.msg(1, new W().int(1, 1).int(2, 2));
  // Sample with unpacked location ids and values, plus an unknown varint and fixed32/fixed64 fields.
  const sample = new W().int(1, 2).int(1, 1).int(2, -7);
  if (withUnknown) {
    sample.int(99, 5);
    sample.tag(98, 5).b.push(9, 9, 9, 9);
  }
  w.msg(2, sample);
  w.msg(4, new W().int(1, 1).msg(4, new W().int(1, 1).int(2, 3)));
  w.msg(4, new W().int(1, 2).msg(4, new W().int(1, 1).int(2, 4)));
  w.msg(5, new W().int(1, 1).int(2, 3).int(4, 4));
  w.str(6, '').str(6, 'samples').str(6, 'count').str(6, 'main.f').str(6, 'f.go');
  w.int(13, 3).int(13, 4); // unpacked comments
  if (withUnknown) {
    w.tag(100, 1).b.push(1, 2, 3, 4, 5, 6, 7, 8); // unknown fixed64 field
    w.tag(101, 5).b.push(1, 2, 3, 4); // unknown fixed32 field
    w.bytes(102, [1, 2, 3]); // unknown length-delimited field
  }
  return w.u8();
}

const noGz = { gunzip: gunzip };

describe('protobuf decoder vs pprof-format', () => {
  const files = fixtureProfiles().filter((f) => f.endsWith('.pb.gz'));
  for (const f of files) {
    it(`decodes ${f} like pprof-format`, () => {
      const raw = gunzip(readBytes(join(LEAKYAPP, f)));
      expect(neutralFromOurs(decodeProfileProto(raw, f))).toEqual(neutralFromPf(pf.Profile.decode(raw)));
    });
  }

  it('decodes a synthetic big profile like pprof-format', () => {
    const raw = encodeProfile(syntheticCpuProfile({ samples: 2000, locations: 3000, functions: 2000, fanout: 6, minDepth: 5, maxDepth: 30, seed: 7 }));
    expect(neutralFromOurs(decodeProfileProto(raw, 'synthetic'))).toEqual(neutralFromPf(pf.Profile.decode(raw)));
  });

  it('keeps negative values, 64-bit ids, addresses and times exact, and every Profile field', () => {
    const raw = edgeCaseProfile();
    const ours = decodeProfileProto(raw, 'edge');
    expect(neutralFromOurs(ours)).toEqual(neutralFromPf(pf.Profile.decode(raw)));
    expect(u64String(ours.locAddress, 0)).toBe('18446744073709551600');
    expect(u64String(ours.locId, 1)).toBe('12345678901234567');
    expect(u64String(ours.funcId, 1)).toBe('18446744073709551000');
    expect(ours.timeNanos).toBe(1700000000123456789n);
    expect(ours.values[0]).toBe(-150);
    const s = profileSummary(ours);
    expect(s.timeNanos).toBe('1700000000123456789');
    expect(s.durationNanos).toBe('9223372036854775807');
    expect(s.defaultSampleIndex).toBe(1);
    expect(s.comments).toEqual(['first comment', '# second']);
    // pprof drops a numeric label that is 0 without a unit.
    expect(ours.sampleLabelStart[2]! - ours.sampleLabelStart[1]!).toBe(0);
  });

  it('accepts unpacked repeated fields and skips unknown fields of every wire type', () => {
    // pprof-format cannot skip unknown fields: compare with it on the variant without them.
    const plain = unpackedProfile(false);
    expect(neutralFromOurs(decodeProfileProto(plain, 'plain'))).toEqual(neutralFromPf(pf.Profile.decode(plain)));
    const raw = unpackedProfile();
    const ours = decodeProfileProto(raw, 'unpacked');
    expect(neutralFromOurs(ours)).toEqual(neutralFromOurs(decodeProfileProto(plain, 'plain')));
    expect(Array.from(ours.values)).toEqual([-7]);
    expect(ours.sampleLocStart[1]).toBe(2);
    expect(ours.comments.map((c) => ours.strings[c])).toEqual(['main.f', 'f.go']);
  });

  it('re-encodes bit-exactly what it decoded (decode ∘ encode ∘ decode)', () => {
    for (const raw of [edgeCaseProfile(), unpackedProfile()]) {
      const a = decodeProfileProto(raw, 'a');
      const b = decodeProfileProto(encodeProfile(a), 'b');
      expect(neutralFromOurs(b)).toEqual(neutralFromOurs(a));
    }
  });
});


describe('protobuf decoder errors', () => {
  const base = (): W => new W().msg(1, new W().int(1, 1).int(2, 2)).str(6, '').str(6, 'samples').str(6, 'count');

  it('names the file, the format and the byte offset of a length running past the end', () => {
    const raw = base().u8();
    const cut = raw.subarray(0, raw.length - 2);
    const e = heapscopeErrorOf(() => importProfile(cut, 'cut.pb', noGz));
    expect(e.code).toBe('TRUNCATED');
    expect(e.file).toBe('cut.pb');
    expect(e.format).toBe('pprof');
    expect(typeof e.offset).toBe('number');
  });

  it('rejects out-of-range string indices', () => {
    const raw = base().msg(5, new W().int(1, 1).int(2, 77)).u8();
    const e = heapscopeErrorOf(() => decodeProfileProto(raw, 'x'));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toMatch(/string index 77/);
    expect(e.offset).toBeGreaterThan(0);
  });

  it('resolves location ids numbered 1..n (as Go writes them) and ids in any other order alike', () => {
    // Three locations (addresses 0x10, 0x20, 0x30) and two samples, once with ids 1, 2, 3 (index =
    // id − 1, no table read) and once with ids 7, 3, 5 (the id table). Packed ids, as Go writes
    // them, and runs of 4 or more (the decoder's inline path reads ids with 3 bytes still ahead).
    const prof = (ids: number[], samples: number[][]): Uint8Array => {
      let w = base();
      for (const locs of samples) {
        const packed = new W();
        for (const id of locs) packed.varint(id);
        w = w.msg(2, new W().bytes(1, packed.b).int(2, 1));
      }
      ids.forEach((id, i) => (w = w.msg(4, new W().int(1, id).int(3, 0x10 * (i + 1)))));
      return w.u8();
    };
    const addrs = (p: Profile): number[][] =>
      Array.from({ length: p.sampleCount }, (_, i) => Array.from(p.sampleLocs.subarray(p.sampleLocStart[i], p.sampleLocStart[i + 1]), (l) => p.locAddress[2 * l]!));
    const seq = decodeProfileProtoReference(prof([1, 2, 3], [[3, 1, 2, 3, 1, 2], [2, 2, 1, 3]]), 'seq');
    const other = decodeProfileProtoReference(prof([7, 3, 5], [[5, 7, 3, 5, 7, 3], [3, 3, 7, 5]]), 'other');
    expect(addrs(seq)).toEqual([
      [0x30, 0x10, 0x20, 0x30, 0x10, 0x20],
      [0x20, 0x20, 0x10, 0x30],
    ]);
    expect(addrs(other)).toEqual(addrs(seq));
    // one past the last id, and id 0, are unknown either way
    expect(heapscopeErrorOf(() => decodeProfileProtoReference(prof([1, 2, 3], [[4, 1, 1, 1]]), 'x')).message).toMatch(/unknown location id 4/);
    expect(heapscopeErrorOf(() => decodeProfileProtoReference(prof([1, 2, 3], [[0, 1, 1, 1]]), 'x')).message).toMatch(/unknown location id 0/);
    expect(heapscopeErrorOf(() => decodeProfileProtoReference(prof([7, 3, 5], [[4, 3, 3, 3]]), 'x')).message).toMatch(/unknown location id 4/);
  });

  it('rejects samples that refer to unknown locations', () => {
    const raw = base().msg(2, new W().int(1, 5).int(2, 1)).u8();
    expect(heapscopeErrorOf(() => decodeProfileProto(raw, 'x')).message).toMatch(/unknown location id 5/);
  });

  it('rejects value/sample-type count mismatches, zero and duplicate ids, lines without functions', () => {
    expect(heapscopeErrorOf(() => decodeProfileProto(base().msg(2, new W().int(2, 1).int(2, 2)).u8(), 'x')).message).toMatch(/2 values vs. 1 sample types/);
    expect(heapscopeErrorOf(() => decodeProfileProto(base().msg(4, new W().int(3, 1)).u8(), 'x')).message).toMatch(/reserved id=0/);
    expect(heapscopeErrorOf(() => decodeProfileProto(base().msg(5, new W().int(1, 3)).msg(5, new W().int(1, 3)).u8(), 'x')).message).toMatch(/multiple functions with same id: 3/);
    expect(heapscopeErrorOf(() => decodeProfileProto(base().msg(4, new W().int(1, 1).msg(4, new W().int(2, 3))).u8(), 'x')).message).toMatch(/no function/);
  });

  it('rejects wrong wire types and unsupported group wire types', () => {
    expect(heapscopeErrorOf(() => decodeProfileProto(new W().int(2, 5).u8(), 'x')).code).toBe('BAD_FORMAT');
    expect(heapscopeErrorOf(() => decodeProfileProto(Uint8Array.of(0x0b), 'x')).message).toMatch(/wire type 3/);
  });

  it('rejects varints longer than 10 bytes', () => {
    const raw = Uint8Array.of(0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(heapscopeErrorOf(() => decodeProfileProto(raw, 'x')).message).toMatch(/longer than 10 bytes/);
  });

  it('sniffs gzip, text headers and protobuf, and refuses heap dumps and junk', () => {
    expect(looksLikeProfile(Uint8Array.of(0x1f, 0x8b, 8, 0))).toBe(true);
    expect(looksLikeProfile(new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/1024\n'))).toBe(true);
    expect(looksLikeProfile(new TextEncoder().encode('goroutine 1 [running]:\nmain.main()\n'))).toBe(true);
    expect(looksLikeProfile(new TextEncoder().encode('go1.7 heap dump\n\x06'))).toBe(false);
    expect(looksLikeProfile(new TextEncoder().encode('hello world, not a profile'))).toBe(false);
    expect(looksLikeProfile(base().u8())).toBe(true);
    const e = heapscopeErrorOf(() => importProfile(new TextEncoder().encode('go1.7 heap dump\n'), 'h.dump', noGz));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.format).toBe('heapdump');
    const j = heapscopeErrorOf(() => importProfile(new TextEncoder().encode('{"not": "a profile"}'), 'x.json', noGz));
    expect(j.code).toBe('BAD_FORMAT');
    expect(j.file).toBe('x.json');
    expect(j.offset).toBe(0);
    expect(heapscopeErrorOf(() => importProfile(new Uint8Array(0), 'empty', noGz)).message).toMatch(/empty/);
  });

  it('reports corrupt gzip as a gzip error', () => {
    const e = heapscopeErrorOf(() => importProfile(Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3), 'bad.gz', noGz));
    expect(e.format).toBe('gzip');
    expect(['TRUNCATED', 'BAD_FORMAT']).toContain(e.code);
  });
});

describe('synthetic profile analysis sanity', () => {
  it('top of an edge-case profile uses |values| for the total and the diff-base rule', () => {
    const imp = importProfile(edgeCaseProfile(), 'edge', noGz);
    // Sample 0 carries pprof::base=true: the total is Σ|v| of base samples only.
    const t = computeTop(imp.profile, { sampleIndex: 'alloc_space' });
    expect(t.total).toBe(150);
  });
});

describe('goref reference profiles', () => {
  /** Built like cloudwego/goref's profileBuilder: names only, location id = function id = string index. */
  function gorefLike(): Uint8Array {
    const strings = new pf.StringTable();
    const st = (s: string): number => strings.dedup(s);
    st('inuse_objects');
    st('count');
    st('inuse_space');
    st('bytes');
    const names = ['main.sessionCache', 'map[string][]uint8', '$mapval', 'main.pinned', '[]uint8'];
    const ids = names.map((n) => st(n));
    const fns = ids.map((i) => new pf.Function({ id: i, name: i }));
    const locs = ids.map((i) => new pf.Location({ id: i, line: [new pf.Line({ functionId: i })] }));
    const p = new pf.Profile({
      sampleType: [new pf.ValueType({ type: 1, unit: 2 }), new pf.ValueType({ type: 3, unit: 4 })],
      // Reference chains, leaf (the referenced object) first, root variable last.
      sample: [new pf.Sample({ locationId: [ids[2]!, ids[1]!, ids[0]!], value: [150, 614400] }), new pf.Sample({ locationId: [ids[4]!, ids[3]!], value: [6, 786432] })],
      mapping: [new pf.Mapping({ id: 1, memoryStart: 0, memoryLimit: 0xff, filename: st('-') })],
      location: locs,
      function: fns,
      stringTable: strings,
    });
    return p.encode();
  }

  it('open as ordinary pprof profiles of kind "reference"', () => {
    const r = importProfile(gorefLike(), 'grf.out', noGz);
    expect(r.format).toBe('pprof');
    expect(r.profileKind).toBe('reference');
    const top = computeTop(r.profile, {});
    expect(top.sampleType).toEqual({ type: 'inuse_space', unit: 'bytes' });
    expect(new Map(top.rows.map((x) => [x.name, [x.flat, x.cum]]))).toEqual(
      new Map([
        ['[]uint8', [786432, 786432]],
        ['$mapval', [614400, 614400]],
        ['main.pinned', [0, 786432]],
        ['main.sessionCache', [0, 614400]],
        ['map[string][]uint8', [0, 614400]],
      ]),
    );
  });
});
