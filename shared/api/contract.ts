/**
 * The one API of Heapscope, declared once and used by all three transports:
 * Electron IPC (preload + main handlers), HTTP (`heapscope serve`) and the CLI (direct calls).
 *
 * Adding a method: add it to ApiMethods and API_METHODS, add its payload schema in
 * electron/services/schemas.ts (the type checker insists), and implement it in
 * electron/services/api-service.ts. Every transport picks it up from here.
 */
import type {
  AppInfo,
  FlameQuery,
  FlameResult,
  LoadedItem,
  OpenResult,
  Progress,
  ProfileQuery,
  RecentFile,
  TopResult,
} from './types';
import type {
  AllocSiteRow,
  DomRow,
  HeapSummary,
  MergedPathsResult,
  ObjectDetails,
  Page,
  PathsResult,
  RootRow,
  SizeClassRow,
  TypeRow,
  TypesInfo,
} from '../heap/types';
import type { HeapScope } from '../heap/analysis';
import type {
  DiffFlameQuery,
  DiffFlameResult,
  DiffTopResult,
  GoroutineComparison,
  HeapDiffSummary,
  HeapSeriesTrends,
  ProfileSeriesTrends,
  SeriesTrends,
  SideBySideResult,
} from '../compare/types';
import type { Finding } from '../findings/types';
import type { SourceViewQuery, SourceViewResult } from '../source/types';
import type { ReportInclude } from '../report/assemble';
import type { CaptureMeta, CaptureRequest, ListProfilesResult, SavedFile, TargetOptions, WatchEvent, WatchRequest, WatchSnapshot } from '../capture/types';

/** An object of a heap dump over the wire: a graph node id, or an address "0x…". */
export type HeapObjectRef = number | string;

/** Two loaded items to compare: base (before) and target (after). */
export interface ComparePair {
  base: string;
  target: string;
}

/** Trends across three or more snapshots of one kind, in capture order. */
export type SeriesResult =
  | ({ kind: 'profiles' } & ProfileSeriesTrends)
  | ({ kind: 'heapdumps' } & HeapSeriesTrends)
  | ({ kind: 'goroutines' } & SeriesTrends);

export interface FindingsResult {
  findings: Finding[];
  /** What the engine could not judge and why (e.g. "one snapshot: no growth to measure"). */
  notes: string[];
}

export interface ExportReportRequest {
  handles?: string[];
  title?: string;
  /** What to include; lists hold item names. */
  include?: ReportInclude;
  sampleTypes?: 'default' | 'all';
  destination: 'file' | 'download';
}

export interface ExportReportResult {
  /** Where it was written (destination 'file'), or null when the user cancelled the save dialog. */
  path: string | null;
  fileName: string;
  sizeBytes: number;
  /** The document itself (destination 'download'). */
  html?: string;
}

interface Paged {
  start?: number;
  count?: number;
}

export interface ApiMethods {
  appInfo: { req: Record<string, never>; res: AppInfo };
  listItems: { req: Record<string, never>; res: LoadedItem[] };
  /**
   * Open files by path on the host (Electron, serve). For heap dumps, `exe` names the program's
   * binary (for global names); without it Heapscope looks for it beside the dump.
   */
  openFiles: { req: { paths: string[]; exe?: string }; res: OpenResult };
  /** Open bytes the renderer already has (drag-and-drop in a browser). */
  openBytes: { req: { name: string; bytes: Uint8Array }; res: OpenResult };
  /**
   * Streamed upload (serve: a browser file sent in slices, never read whole). Begin says the name
   * and size (refused at once when over the limit or the free disk space); each slice is written
   * to a temporary file as it arrives; finish loads that file exactly as a file opened from disk
   * (it is removed when the item is closed, and on exit); cancel removes it.
   */
  uploadBegin: { req: { name: string; size: number }; res: import('./upload').UploadTicket };
  uploadChunk: { req: { uploadId: string; offset: number; bytes: Uint8Array }; res: import('./upload').UploadChunkResult };
  uploadFinish: { req: { uploadId: string }; res: OpenResult };
  uploadCancel: { req: { uploadId: string }; res: { cancelled: boolean } };
  /** Directory entries on the host completing a typed path ("Open a file on this machine"). */
  browsePath: { req: { path: string }; res: import('./upload').PathCompletion };
  /** Recently opened files (by path), newest first. */
  recentFiles: { req: Record<string, never>; res: RecentFile[] };
  /** The host's native file dialog (Electron only; see AppInfo.canPickFiles): the chosen paths. */
  pickFiles: { req: { purpose: 'open' | 'executable' }; res: { paths: string[] } };
  /** Load the bundled demo investigation (real profiles of a leaking Go program). */
  openDemo: { req: Record<string, never>; res: OpenResult };
  closeItem: { req: { handle: string }; res: { closed: boolean } };
  /** Name a loaded heap dump's globals with the program's binary (a path on the host): reloads it. */
  attachExecutable: { req: { handle: string; exe: string }; res: LoadedItem };
  top: { req: ProfileQuery; res: TopResult };
  flameGraph: { req: FlameQuery; res: FlameResult };
  /** A gctrace log's GC cycles (`GODEBUG=gctrace=1`), for its chart. */
  gcTrace: { req: { handle: string }; res: import('../compare/types').GcTrace };
  /** Heap dumps: summary, roots by retained size, dominator tree, paths to roots, groupings. */
  heapSummary: { req: { handle: string }; res: HeapSummary };
  heapRoots: { req: { handle: string } & Paged; res: Page<RootRow> };
  /** Children of a dominator-tree node (0 = the super-root, whose children are the GC roots). */
  heapDominators: { req: { handle: string; node?: number } & Paged; res: Page<DomRow> };
  heapPaths: { req: { handle: string; object: HeapObjectRef; k?: number; ignore?: [number, number][] }; res: PathsResult };
  heapMergedPaths: { req: { handle: string; scope: HeapScope; maxRows?: number }; res: MergedPathsResult };
  heapAllocSites: { req: { handle: string; scope?: HeapScope } & Paged; res: Page<AllocSiteRow> };
  heapSizeClasses: { req: { handle: string; scope?: HeapScope } & Paged; res: Page<SizeClassRow> };
  heapObjects: { req: { handle: string; scope: HeapScope } & Paged; res: Page<DomRow> };
  heapObject: { req: { handle: string; object: HeapObjectRef; outStart?: number; outCount?: number }; res: ObjectDetails };
  /** Objects by Go type (the binary's DWARF): the Types tab. `info.available` false: `info.reason` says why. */
  heapTypes: { req: { handle: string; scope?: HeapScope; maxRows?: number }; res: { info: TypesInfo; rows: TypeRow[]; total: number } };
  /** Two profiles of one kind: pprof's -diff_base (default) or -base, per-function deltas. */
  compareTop: { req: ComparePair & Omit<DiffFlameQuery, 'inverted' | 'pivot' | 'minFraction'>; res: DiffTopResult };
  /** The differential flame tree (value and delta per node, new/gone marked). */
  compareFlame: { req: ComparePair & DiffFlameQuery; res: DiffFlameResult };
  /** The two call trees aligned frame by frame, for side-by-side views zoomed together. */
  compareSideBySide: { req: ComparePair & DiffFlameQuery; res: SideBySideResult };
  /** Goroutines of two goroutine profiles/dumps (or heap dumps): by stack and by wait reason. */
  compareGoroutines: { req: ComparePair; res: GoroutineComparison };
  /** Two heap dumps of one process: objects new, freed, still alive; growth by root, site, dominator. */
  compareHeaps: { req: ComparePair; res: HeapDiffSummary };
  /** A series of snapshots (three or more): a trend per call site, root or goroutine stack. */
  series: { req: { handles: string[]; sampleIndex?: number | string; granularity?: import('./types').Granularity }; res: SeriesResult };
  /** Memory accounting (runtime.MemStats broken down to Sys) of the given items (default: everything loaded) that carry MemStats; heap profiles give the profile total beside. */
  memory: { req: { handles?: string[] }; res: { accounts: import('../memory/collect').AccountWithProfile[] } };
  /** Ranked leak findings over the given items (default: everything loaded). */
  findings: { req: { handles?: string[] }; res: FindingsResult };
  /**
   * A self-contained HTML report of the given items (default: everything loaded). destination
   * 'file': saved where the user chooses (Electron's save dialog; else the data folder's reports/);
   * 'download': the HTML comes back for the page to download.
   */
  exportReport: { req: ExportReportRequest; res: ExportReportResult };
  /** Live net/http/pprof: the profiles a service offers (its /debug/pprof/ index page). */
  remoteProfiles: { req: { url: string; options?: TargetOptions }; res: ListProfilesResult };
  /**
   * Credentials for a live service's origin: for this session only, or saved (Electron: encrypted
   * with the OS keychain; serve: an owner-only file in the data folder). Never returned.
   */
  setCredentials: { req: { url: string; auth: import('../capture/types').AuthConfig; save: boolean }; res: { origin: string } };
  forgetCredentials: { req: { url: string }; res: { origin: string } };
  /** Origins that have credentials (session or saved); never the credentials themselves. */
  credentialOrigins: { req: Record<string, never>; res: { origins: string[] } };
  /** Capture one profile from a live service; it is saved atomically to the captures folder and opened. */
  captureProfile: { req: Omit<CaptureRequest, 'saveDir'>; res: { meta: CaptureMeta; saved: SavedFile; opened: OpenResult } };
  /** Capture chosen profiles every N seconds into a session folder; events arrive as `watch` server events. */
  watchStart: { req: Omit<WatchRequest, 'outDir'>; res: WatchSnapshot };
  watchStop: { req: { watchId: string }; res: WatchSnapshot };
  watchList: { req: Record<string, never>; res: WatchSnapshot[] };
  /** A function's source with flat/cum per line (or a heap dump site's file): found under GOROOT, the module cache or the user's roots only. */
  sourceView: { req: SourceViewQuery; res: SourceViewResult };
  /** Remember a source folder for the item's program (its build id, else main module). */
  sourceAddRoot: { req: { handle: string; root: string }; res: { roots: string[]; program: string | null } };
  /** Cancel a call in flight by its call id. */
  cancel: { req: { callId: string }; res: { cancelled: boolean } };
}

export type ApiMethod = keyof ApiMethods;
export type ApiRequest<M extends ApiMethod> = ApiMethods[M]['req'];
export type ApiResponse<M extends ApiMethod> = ApiMethods[M]['res'];

/** Runtime list of the methods, in a fixed order (preload and HTTP routes are generated from it). */
export const API_METHODS = [
  'appInfo',
  'listItems',
  'openFiles',
  'openBytes',
  'uploadBegin',
  'uploadChunk',
  'uploadFinish',
  'uploadCancel',
  'browsePath',
  'openDemo',
  'recentFiles',
  'pickFiles',
  'closeItem',
  'attachExecutable',
  'top',
  'flameGraph',
  'gcTrace',
  'heapSummary',
  'heapRoots',
  'heapDominators',
  'heapPaths',
  'heapMergedPaths',
  'heapAllocSites',
  'heapSizeClasses',
  'heapObjects',
  'heapObject',
  'heapTypes',
  'compareTop',
  'compareFlame',
  'compareSideBySide',
  'compareGoroutines',
  'compareHeaps',
  'series',
  'findings',
  'memory',
  'exportReport',
  'remoteProfiles',
  'captureProfile',
  'setCredentials',
  'forgetCredentials',
  'credentialOrigins',
  'watchStart',
  'watchStop',
  'watchList',
  'sourceView',
  'sourceAddRoot',
  'cancel',
] as const satisfies readonly ApiMethod[];

// Compile-time check that API_METHODS lists every method exactly.
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

export function isApiMethod(s: string): s is ApiMethod {
  return (API_METHODS as readonly string[]).includes(s);
}

/** IPC channel name for a method. */
export function ipcChannel(m: ApiMethod): string {
  return `heapscope:${m}`;
}
export const IPC_PROGRESS_CHANNEL = 'heapscope:progress';
export const IPC_EVENT_CHANNEL = 'heapscope:event';

/** Menu commands the Electron menu sends to the renderer (the renderer owns the views). */
export const MENU_COMMANDS = ['open-url', 'compare', 'export-report', 'show-findings', 'show-workspace', 'focus-search'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Pushed from the host to every renderer: files it opened by itself, live-watch events, menu commands. */
export type ServerEvent = { type: 'opened'; result: OpenResult } | { type: 'watch'; event: WatchEvent } | { type: 'menu'; command: MenuCommand };

/** Per-call options a client accepts. */
/** The part of AbortSignal shared/ relies on (shared/ has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

export interface CallOptions {
  signal?: AbortSignalLike;
  onProgress?: (p: Progress) => void;
}

/** What the renderer (and tests) program against, whatever the transport. */
export type ApiClient = {
  [M in ApiMethod]: (req: ApiRequest<M>, opts?: CallOptions) => Promise<ApiResponse<M>>;
};

/** Context a handler gets from its transport. */
export interface CallContext {
  callId: string;
  signal: AbortSignalLike;
  progress(p: Omit<Progress, 'callId'>): void;
}

/** What the host implements once; transports dispatch to it after validating payloads. */
export type ApiHandlers = {
  [M in ApiMethod]: (req: ApiRequest<M>, ctx: CallContext) => Promise<ApiResponse<M>>;
};

/**
 * The bridge the Electron preload exposes as window.heapscope: one named function per method
 * (taking a call id for progress/cancel), plus event subscriptions. Never ipcRenderer itself.
 */
export type PreloadBridge = {
  [M in ApiMethod]: (req: ApiRequest<M>, callId: string) => Promise<WireResult<ApiResponse<M>>>;
} & {
  onProgress(listener: (p: Progress) => void): () => void;
  /** Host events: files opened by the host (OS open-with, second instance, menu), watch events. */
  onEvent(listener: (e: ServerEvent) => void): () => void;
  /** Path of a dropped File (Electron's webUtils), or "" when it has none. */
  pathForFile(file: object): string;
};

/** Results cross IPC/HTTP as tagged unions so errors keep their typed fields. */
export type WireResult<T> = { ok: true; result: T } | { ok: false; error: import('../errors').ErrorInfo };

/**
 * One flame graph query as text, the same whatever order its fields were written in: the key the
 * served page's boot flame graph is matched and kept by (renderer app/bootData.ts, electron
 * services/boot-page.ts).
 */
export function flameQueryKey(q: FlameQuery): string {
  const o = q as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}
