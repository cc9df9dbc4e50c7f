/** LoadedItem fixtures for the renderer's pure helpers (no files, no host). */
import type { LoadedItem } from '../../../shared/api/types';

let seq = 0;

export function profileItem(name: string, profileKind: LoadedItem['profileKind'], extra: Partial<LoadedItem> = {}): LoadedItem {
  seq++;
  return {
    handle: `h${seq}`,
    name,
    source: `/tmp/${name}`,
    kind: 'profile',
    format: 'pprof-proto-gzip',
    profileKind,
    sampleTypes: [
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    defaultSampleIndex: 1,
    totals: [100, 50],
    comments: [],
    warnings: [],
    sizeBytes: 1000,
    loadedAt: seq,
    ...extra,
  };
}

export function heapDumpItem(name: string, extra: Partial<LoadedItem> = {}): LoadedItem {
  return profileItem(name, 'unknown', { kind: 'heapdump', format: 'heapdump', sampleTypes: [], defaultSampleIndex: -1, totals: [], ...extra });
}

export function gcTraceItem(name: string, extra: Partial<LoadedItem> = {}): LoadedItem {
  return profileItem(name, 'unknown', { kind: 'gctrace', format: 'gctrace', sampleTypes: [], defaultSampleIndex: -1, totals: [], ...extra });
}
