/**
 * Maps that never shrank (a heap dump, with the program's binary). A Go map keeps its buckets (from
 * Go 1.24 its groups and tables) after its entries are deleted, and `clear` keeps them too: a cache
 * that once held a million sessions and now holds a thousand still costs what a million took. A map
 * only ever grows at a load of about 80%, so one under MAP_SPARSE_MAX_FILL of its slots lost most
 * of its entries.
 *
 * Read from the dump: the header's first word is the map's count on every Go (runtime.hmap.count to
 * Go 1.23, internal/runtime/maps.Map.used from 1.24); its storage is the map-internal objects typing
 * names from it (`map.bucket` arrays and overflow buckets to 1.23; the table directory, tables and
 * `map.group` arrays from 1.24), 8 slots per bucket or group. The map is named by the field and
 * root that hold it.
 */
import { arrayLen, type HeapAnalysis } from '../../heap';
import { fmtBytes, fmtPct } from '../format';
import { MAP_SPARSE_HIGH_SHARE, MAP_SPARSE_MAX_FILL, MAP_SPARSE_MIN_WASTED_BYTES } from '../thresholds';
import type { Finding } from '../types';
import type { DumpReader } from './heap';
import { nearestRootName } from './names';
import { valueWord } from './words';

/** A map's header, as typing names it on every Go. */
const HEADER = /^map\.hdr\[/;
/** A map's own storage below its header (element names: arrays of these are named `[N]…`). */
const INTERNAL = /^(?:\*?map\.(?:bucket|group|table)\[|runtime\.mapextra$)/;
/** Storage that holds entries: 8 slots each. */
const SLOTS = /^map\.(?:bucket|group)\[/;
const SLOTS_PER_BUCKET = 8;

export function sparseMaps(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const T = a.types;
  if (!T || !read) return [];
  const g = a.graph;
  const F = g.firstObject;
  const fs = g.fwd.start;
  const ft = g.fwd.targets;
  const reachable = a.summary().reachableBytes;
  const out: Finding[] = [];
  for (let v = F; v < g.nodeCount; v++) {
    const en = T.entryOf(v - F);
    if (!en || en.array || !HEADER.test(en.name) || !a.isReachable(v)) continue;
    // Its storage: the map-internal objects below the header.
    let storage = 0;
    let slots = 0;
    const seen = new Set<number>([v]);
    const stack = [v];
    while (stack.length > 0) {
      const u = stack.pop()!;
      const size = g.size[u - F]!;
      storage += size;
      const ue = T.entryOf(u - F);
      if (ue && SLOTS.test(ue.name)) slots += SLOTS_PER_BUCKET * (ue.array ? arrayLen(ue, size) : 1);
      for (let e = fs[u]!; e < fs[u + 1]!; e++) {
        const w = ft[e]!;
        if (w < F || seen.has(w)) continue;
        const we = T.entryOf(w - F);
        if (!we || !INTERNAL.test(we.name)) continue;
        seen.add(w);
        stack.push(w);
      }
    }
    if (slots === 0) continue;
    const count = valueWord(a, read, v, en.base);
    if (count === null) continue;
    const fill = count / slots;
    const wasted = Math.round(storage * Math.max(0, 1 - fill));
    if (fill > MAP_SPARSE_MAX_FILL || wasted < MAP_SPARSE_MIN_WASTED_BYTES) continue;
    const where = nearestRootName(a, v);
    const type = en.name.replace(/^map\.hdr/, 'map');
    const share = reachable > 0 ? wasted / reachable : 0;
    out.push({
      severity: share >= MAP_SPARSE_HIGH_SHARE ? 'high' : 'medium',
      kind: 'sparse-map',
      title: `${where.startsWith('global ') ? `global map ${where.slice('global '.length)}` : `map ${where}`} (${type}) holds ${count.toLocaleString('en-US')} entries in room for ${slots.toLocaleString('en-US')} (${fmtBytes(storage)}, ${fmtPct(fill)} full): Go maps keep their storage after deletes; copy the live entries into a new map`,
      subject: where,
      evidence: { entries: count, slots, fillShare: Math.round(fill * 10000) / 10000, storageBytes: storage, wastedBytes: wasted, wastedShareOfReachable: Math.round(share * 1000) / 1000, mapType: type, header: `0x${a.objectAddress(v).toString(16)}` },
      link: { view: 'heap', dump, object: `0x${a.objectAddress(v).toString(16)}` },
      size: wasted,
      sources: [dump],
    });
  }
  return out;
}
