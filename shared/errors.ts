/**
 * Typed, serializable errors. Every failure that reaches a user is a HeapscopeError with a code
 * and enough location to act on: which file, which format it looked like, and where it broke.
 */
export type ErrorCode =
  | 'BAD_FORMAT' // the bytes are not the format they looked like, or no format matched
  | 'TRUNCATED' // the input ends early
  | 'UNSUPPORTED' // a recognised format we do not read (yet)
  | 'BAD_REQUEST' // a malformed API call
  | 'NOT_FOUND' // unknown handle or file
  | 'CANCELLED'
  | 'WORKER_CRASHED'
  | 'IO'
  | 'NETWORK'
  | 'INTERNAL';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  file?: string;
  format?: string;
  /** Byte offset where parsing broke. */
  offset?: number;
  /** 1-based line where parsing broke (text formats). */
  line?: number;
}

export class HeapscopeError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  file?: string;
  format?: string;
  offset?: number;
  line?: number;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'HeapscopeError';
    this.code = info.code;
    if (info.file !== undefined) this.file = info.file;
    if (info.format !== undefined) this.format = info.format;
    if (info.offset !== undefined) this.offset = info.offset;
    if (info.line !== undefined) this.line = info.line;
  }

  toInfo(): ErrorInfo {
    const out: ErrorInfo = { code: this.code, message: this.message };
    if (this.file !== undefined) out.file = this.file;
    if (this.format !== undefined) out.format = this.format;
    if (this.offset !== undefined) out.offset = this.offset;
    if (this.line !== undefined) out.line = this.line;
    return out;
  }
}

/** Turn anything thrown into an ErrorInfo; unknown throwables become INTERNAL. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof HeapscopeError) return e.toInfo();
  if (isErrorInfo(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message };
}

export function isErrorInfo(v: unknown): v is ErrorInfo {
  return typeof v === 'object' && v !== null && typeof (v as ErrorInfo).code === 'string' && typeof (v as ErrorInfo).message === 'string';
}

/** One line a person can read: "heap.pb.gz: not a pprof profile (protobuf) at byte 1234: ...". */
export function describeError(e: ErrorInfo): string {
  const where: string[] = [];
  if (e.format) where.push(`as ${e.format}`);
  if (e.offset !== undefined) where.push(`at byte ${e.offset}`);
  if (e.line !== undefined) where.push(`at line ${e.line}`);
  const prefix = e.file ? `${e.file}: ` : '';
  return `${prefix}${e.message}${where.length ? ` (${where.join(', ')})` : ''}`;
}
