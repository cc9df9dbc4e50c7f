/**
 * Plain-data types of the source views (pprof's -list and -peek, the app's Source panel and the
 * report's annotated source). Safe to post between threads and to send over every transport.
 */
import type { ProfileFilters, ValueType } from '../api/types';

/** How a recorded file name was found on this machine. */
export type SourceVia = 'absolute' | 'goroot' | 'module-cache' | 'vendor' | 'main-module' | 'user-root';

export interface SourceResolution {
  /** The file name as the profile records it. */
  recorded: string;
  /** The file found (an absolute path on the host), or null. */
  path: string | null;
  via: SourceVia | null;
  /** Every candidate tried, in order (the found one last). */
  tried: string[];
  /** Why nothing was found or why a found file was not read (outside the allowed roots, too big, ...). */
  problem?: string;
}

/** One line of a listed function: pprof's -list row. `text` is null when the source was not read. */
export interface ListLine {
  line: number;
  flat: number;
  cum: number;
  text: string | null;
  /** Functions inlined at this line (the profile's inline frames), by name. */
  inlined?: string[];
}

/** One ROUTINE of pprof's -list: a function in one file. */
export interface ListFunction {
  name: string;
  file: string;
  /** Σ flat and Σ cum over the function's lines (pprof's ROUTINE header). */
  flat: number;
  cum: number;
  /** pprof's window: [start, end] before it is cut at the end of the file. */
  start: number;
  end: number;
  lines: ListLine[];
  /** Where the source came from; absent before the host resolved it. */
  source?: SourceResolution;
  /** pprof's " Error: …" when the file could not be read. */
  error?: string;
  /** vscode://file/…:LINE of the file read (the app's "Open in editor"). */
  editorUrl?: string;
}

export interface ListResult {
  sampleType: ValueType;
  sampleIndex: number;
  total: number;
  functions: ListFunction[];
  /** Functions that matched but record no file: pprof's "No source information for …". */
  noSource: string[];
}

/** An edge of pprof's -peek: a caller or a callee with the weight of the calls. */
export interface PeekEdge {
  name: string;
  weight: number;
  inline: boolean;
}

export interface PeekFunction {
  name: string;
  flat: number;
  cum: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

export interface PeekResult {
  sampleType: ValueType;
  sampleIndex: number;
  total: number;
  /** Σ flat of every node (pprof's "Showing nodes accounting for"). */
  flatShown: number;
  functions: PeekFunction[];
}

/** What the Source panel asks for: one function of a loaded profile (or of a comparison). */
export interface SourceViewQuery {
  handle: string;
  /** The function's name exactly as the top table and the flame graph show it. */
  function: string;
  sampleIndex?: number | string;
  filters?: ProfileFilters;
  /** A base profile: the lines show target − base (pprof's -diff_base). */
  base?: string;
  /** A file of a heap dump's allocation site (no numbers): show this file around `line`. */
  file?: string;
  line?: number;
}

export interface SourceViewResult {
  function: string;
  sampleType: ValueType;
  total: number;
  /** True when values are deltas (target − base). */
  delta: boolean;
  /** One entry per file the function has lines in (usually one). */
  files: ListFunction[];
  /** The line with the largest |flat| (else |cum|) of the first file, for scrolling. */
  hottest: { file: number; line: number } | null;
  /** The roots the host reads under, for the "Choose a source folder" prompt. */
  roots: string[];
  /** Whom the user-added roots are remembered for (a build id or main module), when known. */
  program: string | null;
}
