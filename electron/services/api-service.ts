/**
 * The one implementation of the Heapscope API (ApiHandlers). Transports (Electron IPC, the HTTP
 * server behind `serve`) validate payloads and dispatch here; the CLI may call it directly.
 *
 * Items keep their origin (a path or the bytes) so that after a worker crash they are reloaded
 * on the next query: a crash costs a reload, never the investigation.
 */
import { basename, join } from 'node:path';
import { mkdirSync, statSync } from 'node:fs';
import type { ApiHandlers, ApiRequest, ApiResponse, CallContext, ServerEvent } from '../../shared/api/contract';
import type { HeapQueryMethod, MultiQueryMethod } from '../../shared/worker/protocol';
import type { LoadedItem, OpenResult } from '../../shared/api/types';
import { HeapscopeError, toErrorInfo } from '../../shared/errors';
import type { AnalysisHost } from './analysis-host';
import { demoFiles } from './demo';
import { CaptureService, SessionAuthStore } from './capture/index';
import { normaliseTarget } from './capture/url';
import { FileAuthPersistence, type SecretCodec } from './auth-file';
import { defaultDataDir } from './data-dir';
import { RecentFiles } from './recent';
import { SourceApi } from './source-api';
import { SourceService } from './source';
import { UploadStore } from './upload/store';
import { completePath } from './upload/browse';

/** temp: an upload's temporary file, removed when the item is closed. */
type Origin = ({ kind: 'path'; path: string; exe?: string; temp?: boolean } | { kind: 'bytes'; bytes: Uint8Array }) & { part?: 'goroutines' };

interface Slot {
  item: LoadedItem;
  origin: Origin;
  workerHandle: string;
  generation: number;
}

/** A call context whose signal is a real AbortSignal (the service's own controller). */
type TrackedContext = CallContext & { signal: AbortSignal };

export interface ServiceOptions {
  version: string;
  transport: 'ipc' | 'http';
  /** Host events for every renderer: files opened outside a renderer call, live-watch events. */
  onEvent?: (e: ServerEvent) => void;
  /** Where live captures and watch sessions are saved (default: the user's Heapscope data folder). */
  capturesDir?: string;
  /** The live-capture service (tests inject one with short limits). */
  capture?: CaptureService;
  /** Heapscope's data folder (recent files); default: the user's data folder. */
  dataDir?: string;
  /** A native file dialog (Electron's main process provides one). */
  pickFiles?: (purpose: 'open' | 'executable') => Promise<string[]>;
  /** How saved credentials are encrypted at rest (Electron: safeStorage); default: owner-only plain file. */
  secretCodec?: SecretCodec;
  /** A native save dialog: the chosen path, or null when cancelled. */
  pickSavePath?: (defaultName: string) => Promise<string | null>;
  /** Source folders for every program (serve --source-root); the user's choices are remembered in dataDir. */
  sourceRoots?: string[];
  /** The source service (tests inject toolchains and the module cache). */
  sources?: SourceService;
  /** Streamed uploads (serve): temporary files, limits (default: the OS temp folder, 64 GiB). */
  uploads?: UploadStore;
}

export class ApiService {
  private readonly slots = new Map<string, Slot>();
  private readonly inflight = new Map<string, AbortController>();
  private nextHandle = 1;

  private readonly capture: CaptureService;

  constructor(
    private readonly host: AnalysisHost,
    private readonly opts: ServiceOptions,
  ) {
    this.capture =
      opts.capture ?? new CaptureService({ authStore: new SessionAuthStore(FileAuthPersistence.inDir(opts.dataDir ?? defaultDataDir(), opts.secretCodec)) });
    this.recent = RecentFiles.inDir(opts.dataDir ?? defaultDataDir());
    this.sources = new SourceApi(opts.sources ?? new SourceService({ dataDir: opts.dataDir ?? defaultDataDir(), roots: opts.sourceRoots ?? [] }));
    this.uploads = opts.uploads ?? new UploadStore();
  }

  /** Uploads in progress and the temporary files behind uploaded items. */
  readonly uploads: UploadStore;

  private readonly recent: RecentFiles;

  private capturesDir(): string {
    return this.opts.capturesDir ?? join(this.opts.dataDir ?? defaultDataDir(), 'captures');
  }

  /** Stop live watches (the app is closing). */
  async dispose(): Promise<void> {
    await this.capture.dispose();
    await this.uploads.dispose();
  }

  /** Track a call so `cancel` can stop it; returns the signal to use. */
  track(ctx: CallContext): { signal: AbortSignal; done(): void } {
    const ac = new AbortController();
    if (ctx.signal.aborted) ac.abort();
    else ctx.signal.addEventListener('abort', () => ac.abort(), { once: true });
    this.inflight.set(ctx.callId, ac);
    return { signal: ac.signal, done: () => this.inflight.delete(ctx.callId) };
  }

  private async loadInto(origin: Origin, name: string, source: string, ctx: CallContext | null): Promise<{ item: LoadedItem; generation: number }> {
    const progress = ctx ? (label: string, done: number, total: number) => ctx.progress({ label: `${name}: ${label}`, done, total }) : undefined;
    const signal = ctx?.signal;
    const callOpts = { ...(signal ? { signal } : {}), ...(progress ? { onProgress: progress } : {}) };
    const part = origin.part ? { part: origin.part } : {};
    const item =
      origin.kind === 'path'
        ? await this.host.call('loadFile', { name, source, path: origin.path, ...(origin.exe ? { exe: origin.exe } : {}), ...part }, callOpts)
        : await this.host.call('loadBytes', { name, source, bytes: origin.bytes, ...part }, callOpts);
    return { item, generation: this.host.generation };
  }

  private async add(origin: Origin, name: string, source: string, ctx: CallContext | null): Promise<LoadedItem> {
    const { item: w, generation } = await this.loadInto(origin, name, source, ctx);
    const handle = `h${this.nextHandle++}`;
    const item: LoadedItem = { ...w, handle };
    this.slots.set(handle, { item, origin, workerHandle: w.handle, generation });
    return item;
  }

  /**
   * Opens what one file holds: one item, or two for a service's gctrace log that ends in a crash's
   * goroutine dump (its GCs, and "NAME (goroutines)").
   */
  private async addAll(origin: Origin, name: string, source: string, ctx: CallContext | null): Promise<LoadedItem[]> {
    const item = await this.add(origin, name, source, ctx);
    if (item.kind !== 'gctrace' || !item.gctrace?.goroutineDump) return [item];
    try {
      return [item, await this.add({ ...origin, part: 'goroutines' }, `${name} (goroutines)`, source, ctx)];
    } catch (e) {
      // The GCs stay open; the goroutines' error is said on them.
      const error = toErrorInfo(e);
      if (error.code === 'CANCELLED') throw e;
      item.warnings.push(`its goroutine dump (line ${item.gctrace.goroutineDump.line}) could not be read: ${error.message}`);
      return [item];
    }
  }

  /** The worker handle for an item, reloading it if its worker was replaced since. */
  private async workerHandle(handle: string, ctx: CallContext | null): Promise<string> {
    const s = this.slots.get(handle);
    if (!s) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no loaded item ${handle}` });
    if (s.generation !== this.host.generation) {
      const { item, generation } = await this.loadInto(s.origin, s.item.name, s.item.source, ctx);
      s.workerHandle = item.handle;
      s.generation = generation;
    }
    return s.workerHandle;
  }

  async openPaths(paths: string[], ctx: CallContext | null, sourceOf: (p: string) => string = (p) => p, exe?: string): Promise<OpenResult> {
    const out: OpenResult = { items: [], failures: [] };
    for (const p of paths) {
      try {
        const st = statSync(p, { throwIfNoEntry: false });
        if (!st) throw new HeapscopeError({ code: 'NOT_FOUND', message: 'no such file', file: p });
        if (!st.isFile()) throw new HeapscopeError({ code: 'IO', message: 'not a regular file', file: p });
        const [item, ...more] = await this.addAll({ kind: 'path', path: p, ...(exe ? { exe } : {}) }, basename(p), sourceOf(p), ctx);
        out.items.push(item!, ...more);
        if (!item!.source.startsWith('demo:')) this.recent.add([{ path: p, name: item!.name, kind: item!.kind, profileKind: item!.profileKind }]);
      } catch (e) {
        const error = toErrorInfo(e);
        if (error.code === 'CANCELLED') throw e;
        out.failures.push({ source: p, error: { ...error, file: error.file ?? basename(p) } });
      }
    }
    return out;
  }

  async openBytesNamed(name: string, bytes: Uint8Array, ctx: CallContext | null): Promise<OpenResult> {
    try {
      return { items: await this.addAll({ kind: 'bytes', bytes }, name, name, ctx), failures: [] };
    } catch (e) {
      const error = toErrorInfo(e);
      if (error.code === 'CANCELLED') throw e;
      return { items: [], failures: [{ source: name, error: { ...error, file: error.file ?? name } }] };
    }
  }

  /** Load a finished upload's temporary file like a file from disk; the file goes when the item does. */
  async openUploaded(uploadId: string, ctx: CallContext): Promise<OpenResult> {
    const up = await this.uploads.finish(uploadId);
    try {
      return { items: await this.addAll({ kind: 'path', path: up.path, temp: true }, up.name, up.name, ctx), failures: [] };
    } catch (e) {
      await this.uploads.removeFile(up.path);
      const error = toErrorInfo(e);
      if (error.code === 'CANCELLED') throw e;
      return { items: [], failures: [{ source: up.name, error: { ...error, file: up.name } }] };
    }
  }

  /** Open files from outside a renderer call (CLI arguments, OS open-with) and tell listeners. */
  async openFromOutside(paths: string[]): Promise<OpenResult> {
    const r = await this.openPaths(paths, null);
    this.opts.onEvent?.({ type: 'opened', result: r });
    return r;
  }

  readonly handlers: ApiHandlers = {
    appInfo: async () => ({ version: this.opts.version, transport: this.opts.transport, canOpenPaths: true, canPickFiles: Boolean(this.opts.pickFiles) }),
    recentFiles: async () => this.recent.list(),
    pickFiles: async (req) => {
      if (!this.opts.pickFiles) throw new HeapscopeError({ code: 'UNSUPPORTED', message: 'no native file dialog here: use the file picker of the page' });
      return { paths: await this.opts.pickFiles(req.purpose) };
    },
    listItems: async () => [...this.slots.values()].map((s) => s.item),
    openFiles: async (req, ctx) => this.withTracking(ctx, (c) => this.openPaths(req.paths, c, undefined, req.exe)),
    openBytes: async (req, ctx) => this.withTracking(ctx, (c) => this.openBytesNamed(req.name, req.bytes, c)),
    uploadBegin: async (req) => this.uploads.begin(req.name, req.size),
    uploadChunk: async (req) => this.uploads.chunk(req.uploadId, req.offset, req.bytes),
    uploadFinish: async (req, ctx) => this.withTracking(ctx, (c) => this.openUploaded(req.uploadId, c)),
    uploadCancel: async (req) => ({ cancelled: await this.uploads.cancel(req.uploadId) }),
    browsePath: async (req) => completePath(req.path),
    openDemo: async (_req, ctx) => {
      const existing = [...this.slots.values()].filter((s) => s.item.source.startsWith('demo:'));
      if (existing.length) return { items: existing.map((s) => s.item), failures: [] };
      return this.withTracking(ctx, (c) => this.openPaths(demoFiles(), c, (p) => `demo:${basename(p)}`));
    },
    closeItem: async (req) => {
      const s = this.slots.get(req.handle);
      if (!s) return { closed: false };
      this.slots.delete(req.handle);
      if (s.generation === this.host.generation) await this.host.call('release', { handle: s.workerHandle }).catch(() => undefined);
      // An upload's file goes with the last item read from it (a log's GCs and its goroutines).
      const path = s.origin.kind === 'path' && s.origin.temp ? s.origin.path : null;
      if (path !== null && ![...this.slots.values()].some((o) => o.origin.kind === 'path' && o.origin.path === path)) await this.uploads.removeFile(path);
      return { closed: true };
    },
    attachExecutable: async (req, ctx) =>
      this.withTracking(ctx, async (c) => {
        const s = this.slots.get(req.handle);
        if (!s) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no loaded item ${req.handle}` });
        if (s.item.kind !== 'heapdump' || s.origin.kind !== 'path') {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${s.item.name}: only a heap dump opened from a file can take a binary` });
        }
        const origin: Origin = { ...s.origin, exe: req.exe };
        const { item: w, generation } = await this.loadInto(origin, s.item.name, s.item.source, c);
        if (s.generation === this.host.generation) await this.host.call('release', { handle: s.workerHandle }).catch(() => undefined);
        const item: LoadedItem = { ...w, handle: req.handle };
        this.slots.set(req.handle, { item, origin, workerHandle: w.handle, generation });
        return item;
      }),
    top: async (req, ctx) =>
      this.withTracking(ctx, async (c) => this.host.call('top', { ...req, handle: await this.workerHandle(req.handle, c) }, { signal: c.signal })),
    flameGraph: async (req, ctx) =>
      this.withTracking(ctx, async (c) => this.host.call('flameGraph', { ...req, handle: await this.workerHandle(req.handle, c) }, { signal: c.signal })),
    gcTrace: async (req, ctx) => this.withTracking(ctx, async (c) => this.host.call('gcTrace', { handle: await this.workerHandle(req.handle, c) }, { signal: c.signal })),
    compareTop: (req, ctx) => this.multiQuery('compareTop', req, ctx),
    compareFlame: (req, ctx) => this.multiQuery('compareFlame', req, ctx),
    compareSideBySide: (req, ctx) => this.multiQuery('compareSideBySide', req, ctx),
    compareGoroutines: (req, ctx) => this.multiQuery('compareGoroutines', req, ctx),
    compareHeaps: (req, ctx) => this.multiQuery('compareHeaps', req, ctx),
    series: (req, ctx) => this.multiQuery('series', req, ctx),
    findings: (req, ctx) => this.multiQuery('findings', req, ctx),
    memory: (req, ctx) => this.multiQuery('memory', req, ctx),
    heapSummary: (req, ctx) => this.heapQuery('heapSummary', req, ctx),
    heapRoots: (req, ctx) => this.heapQuery('heapRoots', req, ctx),
    heapDominators: (req, ctx) => this.heapQuery('heapDominators', req, ctx),
    heapPaths: (req, ctx) => this.heapQuery('heapPaths', req, ctx),
    heapMergedPaths: (req, ctx) => this.heapQuery('heapMergedPaths', req, ctx),
    heapAllocSites: (req, ctx) => this.heapQuery('heapAllocSites', req, ctx),
    heapSizeClasses: (req, ctx) => this.heapQuery('heapSizeClasses', req, ctx),
    heapObjects: (req, ctx) => this.heapQuery('heapObjects', req, ctx),
    heapObject: (req, ctx) => this.heapQuery('heapObject', req, ctx),
    heapTypes: (req, ctx) => this.heapQuery('heapTypes', req, ctx),
    exportReport: (req, ctx) =>
      this.withTracking(ctx, async (c) => {
        const handles: string[] = [];
        for (const h of req.handles ?? [...this.slots.keys()]) handles.push(await this.workerHandle(h, c));
        if (!handles.length) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'nothing to report: open a profile or a heap dump first' });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
        const fileName = `heapscope-report-${stamp}.html`;
        let outPath: string | undefined;
        if (req.destination === 'file') {
          if (this.opts.pickSavePath) {
            const chosen = await this.opts.pickSavePath(fileName);
            if (!chosen) return { path: null, fileName, sizeBytes: 0 };
            outPath = chosen;
          } else {
            const dir = join(this.opts.dataDir ?? defaultDataDir(), 'reports');
            mkdirSync(dir, { recursive: true });
            outPath = join(dir, fileName);
          }
        }
        const r = await this.host.call(
          'exportReport',
          {
            handles,
            version: this.opts.version,
            ...(req.title !== undefined ? { title: req.title } : {}),
            ...(req.include !== undefined ? { include: req.include } : {}),
            ...(req.sampleTypes !== undefined ? { sampleTypes: req.sampleTypes } : {}),
            ...(outPath ? { outPath } : {}),
            sourceContexts: await this.reportSourceContexts(req.handles ?? [...this.slots.keys()], c),
          },
          { signal: c.signal, onProgress: (label, done, total) => c.progress({ label, done, total }) },
        );
        return { path: r.path, fileName: r.path ? basename(r.path) : fileName, sizeBytes: r.sizeBytes, ...(r.html !== undefined ? { html: r.html } : {}) };
      }),
    remoteProfiles: (req, ctx) =>
      this.withTracking(ctx, (c) => this.capture.listProfiles(req.url, { ...(req.options ?? {}), signal: c.signal })),
    captureProfile: (req, ctx) =>
      this.withTracking(ctx, async (c) => {
        const r = await this.capture.capture(
          { ...req, saveDir: this.capturesDir() },
          {
            signal: c.signal,
            onProgress: (p) =>
              c.progress({
                label: p.durationMs ? `profiling ${req.profile} for ${Math.round(p.durationMs / 1000)} s` : `${p.phase} ${req.profile}`,
                done: p.durationMs ? Math.min(p.elapsedMs, p.durationMs) : p.receivedBytes,
                total: p.durationMs ?? p.totalBytes ?? 0,
              }),
          },
        );
        if (!r.saved) throw new HeapscopeError({ code: 'INTERNAL', message: 'the capture was not saved' });
        const opened = await this.openPaths([r.saved.path], c, () => r.meta.url);
        return { meta: r.meta, saved: r.saved, opened };
      }),
    setCredentials: async (req) => {
      this.capture.setAuth(req.url, req.auth, { save: req.save });
      return { origin: normaliseTarget(req.url).origin };
    },
    forgetCredentials: async (req) => {
      this.capture.forgetAuth(req.url);
      return { origin: normaliseTarget(req.url).origin };
    },
    credentialOrigins: async () => ({ origins: this.capture.auth.origins() }),
    watchStart: async (req) => {
      const id = this.capture.startWatch({ ...req, outDir: join(this.capturesDir(), 'watches') }, (event) => this.opts.onEvent?.({ type: 'watch', event }));
      const snap = this.capture.getWatch(id);
      if (!snap) throw new HeapscopeError({ code: 'INTERNAL', message: 'the watch did not start' });
      return snap;
    },
    watchStop: async (req) => {
      if (!this.capture.getWatch(req.watchId)) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no watch ${req.watchId}` });
      return this.capture.stopWatch(req.watchId);
    },
    watchList: async () => this.capture.listWatches(),
    sourceView: (req, ctx) =>
      this.withTracking(ctx, async (c) => {
        const w = await this.sourceListFor(req, c);
        return this.sources.view(req, this.originOf(req.handle), w);
      }),
    sourceAddRoot: (req, ctx) =>
      this.withTracking(ctx, async (c) => {
        const w = await this.sourceListFor({ handle: req.handle, function: '' }, c);
        try {
          return this.sources.addRoot(this.originOf(req.handle), w, req.root);
        } catch (e) {
          throw new HeapscopeError({ code: 'BAD_REQUEST', message: e instanceof Error ? e.message : String(e) });
        }
      }),
    cancel: async (req) => {
      const ac = this.inflight.get(req.callId);
      if (!ac) return { cancelled: false };
      ac.abort();
      return { cancelled: true };
    },
  };

  private readonly sources: SourceApi;

  private originOf(handle: string): { path: string | null; exe?: string } {
    const s = this.slots.get(handle);
    if (!s) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no loaded item ${handle}` });
    return s.origin.kind === 'path' ? { path: s.origin.path, ...(s.origin.exe ? { exe: s.origin.exe } : {}) } : { path: null };
  }

  /** Per worker handle of the report's items: where the annotated source may be read (the worker reads it). */
  private async reportSourceContexts(handles: string[], c: TrackedContext): Promise<Record<string, import('../../shared/source/index').SourceContext>> {
    const out: Record<string, import('../../shared/source/index').SourceContext> = {};
    for (const h of handles) {
      if (this.slots.get(h)?.item.kind !== 'profile') continue;
      const w = await this.sourceListFor({ handle: h, function: '' }, c);
      out[await this.workerHandle(h, c)] = this.sources.context(this.originOf(h), w);
    }
    return out;
  }

  private async sourceListFor(req: import('../../shared/source/types').SourceViewQuery, c: TrackedContext) {
    const args: import('../../shared/worker/protocol').WorkerArgs<'sourceList'> = { handle: await this.workerHandle(req.handle, c), function: req.function };
    if (req.sampleIndex !== undefined) args.sampleIndex = req.sampleIndex;
    if (req.filters !== undefined) args.filters = req.filters;
    if (req.base !== undefined) args.base = await this.workerHandle(req.base, c);
    if (req.file !== undefined) args.function = '';
    return this.host.call('sourceList', args, { signal: c.signal });
  }

  private heapQuery<M extends HeapQueryMethod>(method: M, req: ApiRequest<M>, ctx: CallContext): Promise<ApiResponse<M>> {
    return this.withTracking(ctx, async (c) => {
      const handle = await this.workerHandle(req.handle, c);
      // Widened for the call: each heap method's args and result are the API's own types.
      const call = this.host.call.bind(this.host) as (m: M, a: ApiRequest<M>, o: { signal: CallContext['signal'] }) => Promise<ApiResponse<M>>;
      return call(method, { ...req, handle }, { signal: c.signal });
    });
  }

  /** Queries naming several items: every handle (base/target/handles) is mapped to the worker's. */
  private multiQuery<M extends MultiQueryMethod>(method: M, req: ApiRequest<M>, ctx: CallContext): Promise<ApiResponse<M>> {
    return this.withTracking(ctx, async (c) => {
      const r = { ...req } as ApiRequest<M> & { base?: string; target?: string; handles?: string[] };
      if (r.base !== undefined) r.base = await this.workerHandle(r.base, c);
      if (r.target !== undefined) r.target = await this.workerHandle(r.target, c);
      if (r.handles !== undefined) {
        const mapped: string[] = [];
        for (const h of r.handles) mapped.push(await this.workerHandle(h, c));
        r.handles = mapped;
      } else if (method === 'findings') {
        // Everything loaded (reloaded into the current worker where needed).
        const mapped: string[] = [];
        for (const h of this.slots.keys()) mapped.push(await this.workerHandle(h, c));
        r.handles = mapped;
      }
      const call = this.host.call.bind(this.host) as (m: M, a: ApiRequest<M>, o: { signal: CallContext['signal'] }) => Promise<ApiResponse<M>>;
      return call(method, r, { signal: c.signal });
    });
  }

  private async withTracking<T>(ctx: CallContext, fn: (c: TrackedContext) => Promise<T>): Promise<T> {
    const t = this.track(ctx);
    try {
      return await fn({ ...ctx, signal: t.signal });
    } finally {
      t.done();
    }
  }
}
