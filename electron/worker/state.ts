/**
 * What one analysis worker holds: loaded items behind handles, and the calls into shared/ that
 * answer queries on them. Plain code (no worker_threads) so it is unit-testable directly.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ApiMethods } from '../../shared/api/contract';
import type { FlameQuery, FlameResult, LoadedItem, ProfileQuery, TopResult } from '../../shared/api/types';
import { HeapscopeError } from '../../shared/errors';
import type { TaskContext } from '../../shared/task';
import { importProfile, profileSummary, type ImportedProfile } from '../../shared/profile';
import { findCrashDump } from '../../shared/profile/legacy/goroutines';
import { isHeapDump, type HeapAnalysis } from '../../shared/heap/index';
import { readElfBuildIds, type ExeBuildIds } from '../../shared/heap/buildid';
import type { HeapQueryMethod, MultiQueryMethod } from '../../shared/worker/protocol';
import {
  compareGoroutines,
  diffFlame,
  diffHeapDumps,
  diffTop,
  goroutineSeriesTrends,
  goroutineSnapshot,
  goroutineSnapshotFromHeap,
  heapSeriesTrends,
  profileSeriesTrends,
  sideBySide,
  GCTRACE_MB,
  looksLikeGcTrace,
  parseGcTrace,
  type GcTrace,
  type GoroutineSnapshot,
} from '../../shared/compare/index';
import { computeFindings, type FindingsInput } from '../../shared/findings/index';
import { collectAccounts, type MemoryInput } from '../../shared/memory/index';
import { assembleReport, type ReportInput } from '../../shared/report/index';
import type { WorkerArgs, WorkerResult } from '../../shared/worker/protocol';
import { buildReportHtml, writeFileAtomic } from '../services/report-writer';
import { exeBeside, loadGzippedHeapDump, loadHeapDumpBytes, loadHeapDumpFile, type LoadedHeap } from '../services/heapdump-loader';
import { openChunkedFile } from '../cli/io';
import { sourceListOf } from './source-list';
import { QueryCache } from './query-cache';
import { reportSourceOf } from './report-source';
import { gunzipHead, isGzip } from '../services/heapdump-gzip';

interface ProfileEntry {
  kind: 'profile';
  item: LoadedItem;
  imported: ImportedProfile;
}

interface HeapEntry {
  kind: 'heapdump';
  item: LoadedItem;
  analysis: HeapAnalysis;
  /** Reads raw bytes of the dump (object contents for the inspector). */
  read: (offset: number, length: number) => Uint8Array;
}

interface GcTraceEntry {
  kind: 'gctrace';
  item: LoadedItem;
  trace: GcTrace;
}

type Entry = ProfileEntry | HeapEntry | GcTraceEntry;

/** What an item is, in a refusal ("… is a heap dump, not a profile"). */
function whatIs(e: Entry): string {
  return e.kind === 'heapdump' ? 'a heap dump' : e.kind === 'gctrace' ? 'a gctrace log' : 'a profile';
}

export interface WorkerDeps {
  gunzip(b: Uint8Array): Uint8Array;
}

function readFileRange(path: string) {
  return (offset: number, length: number): Uint8Array => {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(Math.max(0, length));
      const got = readSync(fd, b, 0, b.length, offset);
      return new Uint8Array(b.buffer, b.byteOffset, got);
    } finally {
      closeSync(fd);
    }
  };
}

function withFile<T>(path: string, fn: (f: ReturnType<typeof openChunkedFile>) => T): T {
  const f = openChunkedFile(path);
  try {
    return fn(f);
  } finally {
    f.close();
  }
}

/** Build ids of a dump's executable: they tell which program the dump comes from. Null when unreadable. */
function exeBuildIds(path: string | null): ExeBuildIds | null {
  if (!path) return null;
  try {
    const f = openChunkedFile(path);
    try {
      return readElfBuildIds(f, path);
    } finally {
      f.close();
    }
  } catch {
    return null;
  }
}

export class WorkerState {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;
  /** Top/flame answers per profile (the defaults computed at load). */
  private readonly answers = new QueryCache();

  constructor(private readonly deps: WorkerDeps) {}

  private newHandle(): string {
    return `w${this.nextId++}`;
  }

  /** Load a file from disk: heap dumps stream in chunks; profiles are read whole. */
  loadPath(name: string, source: string, path: string, exe: string | undefined, readWhole: () => Uint8Array, task: TaskContext, part?: 'goroutines'): LoadedItem {
    const head = readFileRange(path)(0, 16);
    if (isHeapDump(head)) {
      const loaded = loadHeapDumpFile(openChunkedFile, path, exe ?? exeBeside(path), task);
      return this.addHeap(name, source, loaded, readFileRange(path), sizeOf(path));
    }
    if (isGzip(head) && isHeapDump(withFile(path, (f) => gunzipHead(f, 16)))) {
      // A gzipped dump streams through gunzip once; its uncompressed bytes stay in memory for the
      // reads of object contents (findings read thousands: a pass from the start for each took 43 s
      // on a 22 MB dump).
      const loaded = loadGzippedHeapDump(openChunkedFile, path, exe ?? exeBeside(path), task);
      return this.addHeap(name, source, loaded, loaded.inflated, sizeOf(path));
    }
    if (!part && isGzip(head) && looksLikeGcTrace(withFile(path, (f) => gunzipHead(f, 256 * 1024)))) {
      const raw = readWhole();
      return this.addGcTrace(name, source, this.deps.gunzip(raw), raw.length);
    }
    return this.load(name, source, readWhole(), task, part);
  }

  /** `part` 'goroutines': read a gctrace log's crash dump (its goroutines) instead of its GCs. */
  load(name: string, source: string, bytes: Uint8Array, task: TaskContext, part?: 'goroutines'): LoadedItem {
    if (isHeapDump(bytes)) {
      const loaded = loadHeapDumpBytes(bytes, name, null, task);
      return this.addHeap(name, source, loaded, (o, l) => bytes.subarray(o, o + l), bytes.length);
    }
    if (!part) {
      // A gctrace log, maybe gzipped (bytes dropped in a browser: a file's are sniffed in loadPath).
      let text: Uint8Array | null = bytes;
      if (isGzip(bytes)) {
        try {
          text = this.deps.gunzip(bytes);
        } catch {
          text = null; // the profile reader says what is wrong with it
        }
      }
      if (text && looksLikeGcTrace(text.subarray(0, 256 * 1024))) return this.addGcTrace(name, source, text, bytes.length);
    }
    task.progress('decoding', 0, bytes.length);
    const imported = importProfile(bytes, name, this.deps, task);
    const s = profileSummary(imported.profile);
    const item = this.newItem(name, source, {
      kind: 'profile',
      format: imported.format,
      profileKind: imported.profileKind,
      sampleTypes: s.sampleTypes,
      defaultSampleIndex: s.defaultSampleIndex,
      totals: s.totals,
      comments: s.comments,
      warnings: imported.warnings,
      sizeBytes: bytes.length,
    });
    const handle = item.handle;
    if (s.timeNanos !== undefined) item.timeNanos = s.timeNanos;
    if (s.durationNanos !== undefined) item.durationNanos = s.durationNanos;
    // The page's first questions, answered now: its first flame graph then costs only the transfer.
    // A cancelled load stays cancelled; any other failure is left for the query to report.
    try {
      this.answers.prefetch(imported.profile, task);
    } catch (e) {
      if (e instanceof HeapscopeError && e.code === 'CANCELLED') throw e;
    }
    this.entries.set(handle, { kind: 'profile', item, imported });
    return item;
  }

  private addHeap(name: string, source: string, loaded: LoadedHeap, read: HeapEntry['read'], sizeBytes: number): LoadedItem {
    const s = loaded.analysis.summary();
    const item = this.newItem(name, source, {
      kind: 'heapdump',
      format: 'heapdump',
      sampleTypes: [
        { type: 'reachable_objects', unit: 'count' },
        { type: 'reachable_space', unit: 'bytes' },
      ],
      defaultSampleIndex: 1,
      totals: [s.reachableObjects, s.reachableBytes],
      warnings: loaded.warnings,
      sizeBytes,
      heap: {
        goVersion: s.goVersion,
        goarch: s.goarch,
        objects: s.objects,
        reachableObjects: s.reachableObjects,
        reachableBytes: s.reachableBytes,
        garbageObjects: s.garbageObjects,
        garbageBytes: s.garbageBytes,
        goroutines: s.goroutines,
        complete: s.complete,
        exe: loaded.exe,
      },
    });
    this.entries.set(item.handle, { kind: 'heapdump', item, analysis: loaded.analysis, read });
    return item;
  }

  /** A new handle's item: what every kind has (no comments, profile kind unknown, loaded now) and `fields`. */
  private newItem(name: string, source: string, fields: Omit<LoadedItem, 'handle' | 'name' | 'source' | 'loadedAt' | 'profileKind' | 'comments'> & Partial<Pick<LoadedItem, 'profileKind' | 'comments'>>): LoadedItem {
    return { handle: this.newHandle(), name, source, profileKind: 'unknown', comments: [], loadedAt: Date.now(), ...fields };
  }

  /** A `GODEBUG=gctrace=1` log (a service's stderr, with its own lines among the GCs'). */
  private addGcTrace(name: string, source: string, bytes: Uint8Array, sizeBytes: number): LoadedItem {
    const text = new TextDecoder('utf-8').decode(bytes);
    const trace = parseGcTrace(text);
    const c = trace.cycles;
    const live = c.length ? c[c.length - 1]!.liveMB * GCTRACE_MB : 0;
    const item = this.newItem(name, source, {
      kind: 'gctrace',
      format: 'gctrace',
      sampleTypes: [
        { type: 'live_heap', unit: 'bytes' },
        { type: 'gc_cycles', unit: 'count' },
      ],
      defaultSampleIndex: 0,
      totals: [live, c.length],
      warnings: trace.warnings,
      sizeBytes,
      gctrace: {
        cycles: c.length,
        firstGc: c.length ? c[0]!.gc : null,
        lastGc: c.length ? c[c.length - 1]!.gc : null,
        seconds: c.length ? c[c.length - 1]!.atSec : 0,
        firstLiveBytes: c.length ? c[0]!.liveMB * GCTRACE_MB : 0,
        lastLiveBytes: live,
        leakChecks: c.filter((x) => x.leakCheck).length,
        skipped: trace.skipped,
      },
    });
    // A service's stderr that ends in a crash (a panic, SIGQUIT) holds its goroutines too.
    const crash = findCrashDump(text);
    if (crash) item.gctrace!.goroutineDump = crash;
    this.entries.set(item.handle, { kind: 'gctrace', item, trace });
    return item;
  }

  /** A gctrace log's cycles (the GC trace view). */
  gcTrace(handle: string): GcTrace {
    const e = this.entry(handle);
    if (e.kind !== 'gctrace') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${e.item.name} is ${whatIs(e)}, not a gctrace log` });
    return e.trace;
  }

  release(handle: string): boolean {
    return this.entries.delete(handle);
  }

  private entry(handle: string): Entry {
    const e = this.entries.get(handle);
    if (!e) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no loaded item ${handle}` });
    return e;
  }

  private profile(handle: string): ProfileEntry {
    const e = this.entry(handle);
    if (e.kind !== 'profile') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${e.item.name} is ${whatIs(e)}, not a profile` });
    return e;
  }

  private heap(handle: string): HeapEntry {
    const e = this.entry(handle);
    if (e.kind !== 'heapdump') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${e.item.name} is ${whatIs(e)}, not a heap dump` });
    return e;
  }

  top(q: ProfileQuery, task: TaskContext): TopResult {
    const { handle, ...rest } = q;
    return this.answers.top(this.profile(handle).imported.profile, rest, task);
  }

  sourceList(q: WorkerArgs<'sourceList'>, task: TaskContext): WorkerResult<'sourceList'> {
    const e = this.entry(q.handle);
    if (e.kind === 'heapdump') return { list: null, mappingFile: null, buildId: null, goVersion: e.analysis.summary().goVersion || null };
    if (e.kind === 'gctrace') return { list: null, mappingFile: null, buildId: null, goVersion: null };
    const base = q.base !== undefined ? this.profile(q.base).imported.profile : null;
    return { ...sourceListOf(e.imported.profile, base, q, task), goVersion: null };
  }

  flame(q: FlameQuery, task: TaskContext): FlameResult {
    const { handle, ...rest } = q;
    return this.answers.flame(this.profile(handle).imported.profile, rest, task);
  }

  private goroutines(e: Entry): GoroutineSnapshot {
    if (e.kind === 'heapdump') return goroutineSnapshotFromHeap(e.item.name, e.analysis);
    if (e.kind === 'gctrace' || e.item.profileKind !== 'goroutine') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${e.item.name} is not a goroutine profile or dump` });
    return goroutineSnapshot(e.item.name, e.imported);
  }

  /** Comparisons, series and findings over several items. */
  multiQuery<M extends MultiQueryMethod>(method: M, req: ApiMethods[M]['req'], task: TaskContext): ApiMethods[M]['res'] {
    type Res = ApiMethods[M]['res'];
    switch (method) {
      case 'compareTop':
      case 'compareFlame':
      case 'compareSideBySide': {
        const { base, target, ...q } = req as ApiMethods['compareFlame']['req'];
        const b = this.profile(base).imported.profile;
        const t = this.profile(target).imported.profile;
        if (method === 'compareTop') return diffTop(b, t, q, task) as Res;
        if (method === 'compareFlame') return diffFlame(b, t, q, task) as Res;
        return sideBySide(b, t, q, task) as Res;
      }
      case 'compareGoroutines': {
        const { base, target } = req as ApiMethods['compareGoroutines']['req'];
        return compareGoroutines(this.goroutines(this.entry(base)), this.goroutines(this.entry(target))) as Res;
      }
      case 'compareHeaps': {
        const { base, target } = req as ApiMethods['compareHeaps']['req'];
        const b = this.heap(base);
        const t = this.heap(target);
        return diffHeapDumps(b.item.name, b.analysis, t.item.name, t.analysis, task).summary() as Res;
      }
      case 'series': {
        const q = req as ApiMethods['series']['req'];
        const entries = q.handles.map((h) => this.entry(h));
        if (entries.length < 2) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'a series needs at least two snapshots' });
        if (entries.every((e) => e.kind === 'heapdump')) {
          const snaps = entries.map((e) => ({ name: e.item.name, analysis: (e as HeapEntry).analysis }));
          return { kind: 'heapdumps', ...heapSeriesTrends(snaps) } as Res;
        }
        if (entries.every((e) => e.kind === 'profile' && e.item.profileKind === 'goroutine')) {
          const snaps = entries.map((e) => this.goroutines(e));
          return { kind: 'goroutines', ...goroutineSeriesTrends(snaps, entries.map((e) => timeSecOf(e.item))) } as Res;
        }
        const profiles = entries.map((e) => {
          if (e.kind !== 'profile') throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'a series is of one kind: all profiles or all heap dumps' });
          return { name: e.item.name, profile: e.imported.profile, timeSec: timeSecOf(e.item) };
        });
        const kinds = new Set(entries.map((e) => e.item.profileKind));
        if (kinds.size > 1) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `a series is of one profile kind, got ${[...kinds].join(', ')}` });
        const sq: { sampleIndex?: number | string; granularity?: 'functions' | 'files' | 'lines' } = {};
        if (q.sampleIndex !== undefined) sq.sampleIndex = q.sampleIndex;
        if (q.granularity !== undefined) sq.granularity = q.granularity;
        return { kind: 'profiles', ...profileSeriesTrends(profiles, sq, task) } as Res;
      }
      case 'findings': {
        const q = req as ApiMethods['findings']['req'];
        const entries = q.handles ? q.handles.map((h) => this.entry(h)) : [...this.entries.values()];
        const inputs: FindingsInput[] = entries.map((e) =>
          e.kind === 'profile'
            ? { name: e.item.name, kind: 'profile', imported: e.imported }
            : e.kind === 'gctrace'
              ? { name: e.item.name, kind: 'gctrace', series: e.trace }
              : { name: e.item.name, kind: 'heapdump', analysis: e.analysis, read: e.read, exeIds: exeBuildIds(e.item.heap?.exe ?? null) },
        );
        return computeFindings(inputs, { task }) as Res;
      }
      case 'memory': {
        const q = req as ApiMethods['memory']['req'];
        const entries = q.handles ? q.handles.map((h) => this.entry(h)) : [...this.entries.values()];
        return { accounts: collectAccounts(memoryInputs(entries)) } as Res;
      }
      default:
        throw new HeapscopeError({ code: 'BAD_REQUEST', message: `unknown query ${String(method)}` });
    }
  }

  /** The HTML report of the given items: assembled here (where the data is), written atomically. */
  exportReport(a: WorkerArgs<'exportReport'>, task: TaskContext): WorkerResult<'exportReport'> {
    const entries = a.handles.map((h) => this.entry(h));
    const inputs: ReportInput[] = entries.map((e, i) => {
      const meta = { source: e.item.source, sizeBytes: e.item.sizeBytes, warnings: e.item.warnings };
      if (e.kind === 'gctrace') return { name: e.item.name, kind: 'gctrace', series: e.trace, ...meta };
      return e.kind === 'profile'
        ? { name: e.item.name, kind: 'profile', imported: e.imported, ...meta, ...reportSourceOf(a.sourceContexts, a.handles[i]!) }
        : { name: e.item.name, kind: 'heapdump', analysis: e.analysis, read: e.read, exe: e.item.heap?.exe ?? null, exeIds: exeBuildIds(e.item.heap?.exe ?? null), ...meta };
    });
    const model = assembleReport(inputs, {
      heapscopeVersion: a.version,
      ...(a.title !== undefined ? { title: a.title } : {}),
      ...(a.include !== undefined ? { include: a.include } : {}),
      ...(a.sampleTypes !== undefined ? { sampleTypes: a.sampleTypes } : {}),
      task,
    });
    const html = buildReportHtml(model);
    if (!a.outPath) return { path: null, sizeBytes: Buffer.byteLength(html, 'utf8'), html };
    const sources = entries.map((e) => e.item.source).filter((s) => !s.includes('://') && !s.startsWith('demo:'));
    const w = writeFileAtomic(a.outPath, html, sources);
    return { path: w.path, sizeBytes: w.sizeBytes };
  }

  /** Heap-dump queries: thin pass-through to HeapAnalysis (paged, plain data). */
  heapQuery<M extends HeapQueryMethod>(method: M, req: ApiMethods[M]['req']): ApiMethods[M]['res'] {
    const h = this.heap(req.handle);
    const a = h.analysis;
    const r = req as ApiMethods[HeapQueryMethod]['req'] & Record<string, unknown>;
    const start = (r.start as number | undefined) ?? 0;
    const count = Math.min((r.count as number | undefined) ?? 100, 10_000);
    const reachable = { kind: 'reachable' } as const;
    type Res = ApiMethods[M]['res'];
    switch (method) {
      case 'heapSummary':
        return a.summary() as Res;
      case 'heapRoots':
        return a.rootsRanked(start, count) as Res;
      case 'heapDominators':
        return a.dominatorChildren((r.node as number | undefined) ?? 0, start, count) as Res;
      case 'heapPaths': {
        const q = req as ApiMethods['heapPaths']['req'];
        return a.pathsToRoots(q.object, Math.min(q.k ?? 5, 100), q.ignore ?? []) as Res;
      }
      case 'heapMergedPaths': {
        const q = req as ApiMethods['heapMergedPaths']['req'];
        return a.mergedPaths(q.scope, Math.min(q.maxRows ?? 2000, 20_000)) as Res;
      }
      case 'heapAllocSites':
        return a.groupByAllocSite((req as ApiMethods['heapAllocSites']['req']).scope ?? reachable, start, count) as Res;
      case 'heapSizeClasses':
        return a.groupBySizeClass((req as ApiMethods['heapSizeClasses']['req']).scope ?? reachable, start, count) as Res;
      case 'heapObjects':
        return a.objectsIn((req as ApiMethods['heapObjects']['req']).scope, start, count) as Res;
      case 'heapObject': {
        const q = req as ApiMethods['heapObject']['req'];
        return a.objectDetails(q.object, q.outStart ?? 0, Math.min(q.outCount ?? 100, 10_000), h.read) as Res;
      }
      case 'heapTypes': {
        const q = req as ApiMethods['heapTypes']['req'];
        const info = a.typesInfo();
        if (!info.available) return { info, rows: [], total: 0 } as Res;
        const rows = a.typeRows(q.scope ?? reachable);
        return { info, rows: rows.slice(0, Math.min(q.maxRows ?? 5000, 100_000)), total: rows.length } as Res;
      }
      default:
        throw new HeapscopeError({ code: 'BAD_REQUEST', message: `unknown heap query ${String(method)}` });
    }
  }
}

/** The items that carry MemStats (heap dumps, debug=1 heap profiles) and heap profiles' totals, for the memory view. */
function memoryInputs(entries: Entry[]): MemoryInput[] {
  const out: MemoryInput[] = [];
  for (const e of entries) {
    if (e.kind === 'heapdump') {
      const ms = e.analysis.summary().memStats;
      out.push({ file: e.item.name, kind: 'heapdump', memStats: ms ? { fields: ms, numGC: null } : null, goroutines: e.item.heap?.goroutines ?? 0 });
      continue;
    }
    if (e.kind === 'gctrace') {
      out.push({ file: e.item.name, kind: 'gctrace', trace: e.trace });
      continue;
    }
    if (e.item.profileKind !== 'heap') continue;
    const i = e.item.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    if (i < 0) continue;
    const inuse = e.item.totals[i]!;
    const md = e.imported.profile.metadata;
    if (e.item.format === 'heap-debug1' && md.length) {
      const text = `\n# runtime.MemStats\n${md.map((m) => `# ${m.key} = ${m.value}`).join('\n')}\n`;
      out.push({ file: e.item.name, kind: 'heap-debug1', text, inuseSpace: inuse, captureMs: null });
    } else out.push({ file: e.item.name, kind: 'heap-profile', inuseSpace: inuse, captureMs: e.item.timeNanos ? Number(BigInt(e.item.timeNanos) / 1_000_000n) : null });
  }
  return out;
}

/** Capture time in seconds from a profile's time_nanos, when it has one. */
function timeSecOf(item: LoadedItem): number | null {
  return item.timeNanos && item.timeNanos !== '0' ? Number(BigInt(item.timeNanos) / 1_000_000n) / 1000 : null;
}

function sizeOf(path: string): number {
  return statSync(path).size;
}
