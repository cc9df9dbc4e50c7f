/**
 * Gzipped files read as a stream, synchronously (the analysis worker's loaders are synchronous):
 * compressed chunks in, uncompressed chunks out, never the whole file in memory and never a
 * temporary copy of it. Used for `.dump.gz` heap dumps: the parser sees the uncompressed stream
 * exactly as it would see the dump on disk. Native zlib through minizlib (which drives Node's
 * zlib binding synchronously).
 */
import { Gunzip } from 'minizlib';
import { HeapscopeError } from '../../shared/errors';
import type { ChunkedFile } from '../cli/io';

const IN_CHUNK = 1 << 20;
const OUT_CHUNK = 4 << 20;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface GunzipProgress {
  /** Compressed bytes consumed so far. */
  compressedDone: number;
  compressedTotal: number;
}

/**
 * Feed a gzip file's uncompressed bytes to `onData` in order. `onData` returns false to stop early
 * (the rest is not read). A stream cut short is reported through `onTruncated` when given (the
 * caller keeps what it got), else as a TRUNCATED error; corrupt data is a BAD_FORMAT error.
 */
export function gunzipChunks(
  f: ChunkedFile,
  file: string,
  onData: (chunk: Uint8Array, p: GunzipProgress) => boolean | void,
  onTruncated?: (uncompressedBytes: number) => void,
): void {
  // chunkSize goes to Node's zlib (minizlib passes its options through; its types omit it).
  const g = new Gunzip({ chunkSize: OUT_CHUNK } as ConstructorParameters<typeof Gunzip>[0]);
  let stop = false;
  let err: (Error & { code?: string }) | null = null;
  let off = 0;
  let out = 0;
  g.on('data', (c: Buffer) => {
    if (stop) return;
    out += c.length;
    if (onData(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), { compressedDone: off, compressedTotal: f.size }) === false) stop = true;
  });
  g.on('error', (e: unknown) => {
    err ??= e instanceof Error ? e : new Error(String(e));
  });
  const fail = (e: Error & { code?: string }, at: number): never => {
    throw new HeapscopeError({ code: 'BAD_FORMAT', format: 'gzip', file, offset: at, message: `not a valid gzip stream: ${e.message}` });
  };
  try {
    while (!stop && off < f.size) {
      const chunk = f.read(off, Math.min(IN_CHUNK, f.size - off));
      if (chunk.length === 0) break;
      off += chunk.length;
      g.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (err) fail(err, off);
    }
    if (stop) return;
    g.end();
  } finally {
    if (stop) g.close();
  }
  if (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
      if (onTruncated) return onTruncated(out);
      throw new HeapscopeError({ code: 'TRUNCATED', format: 'gzip', file, offset: f.size, message: `the gzip stream ends early (after ${out} uncompressed bytes)` });
    }
    fail(e, f.size);
  }
}

/** The first `n` uncompressed bytes of a gzip file (fewer when it is shorter or corrupt). */
export function gunzipHead(f: ChunkedFile, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let got = 0;
  try {
    gunzipChunks(
      f,
      '',
      (c) => {
        const take = Math.min(c.length, n - got);
        out.set(c.subarray(0, take), got);
        got += take;
        return got < n;
      },
      () => undefined,
    );
  } catch {
    // not gzip after all: what we have is the answer
  }
  return out.subarray(0, got);
}

/** Bytes [offset, offset+length) of the uncompressed stream: a pass from the start (no index). */
export function gunzipRange(f: ChunkedFile, file: string, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, length));
  let pos = 0;
  let got = 0;
  gunzipChunks(
    f,
    file,
    (c) => {
      const end = pos + c.length;
      if (end > offset && got < length) {
        const from = Math.max(0, offset - pos);
        const take = Math.min(c.length - from, length - got);
        out.set(c.subarray(from, from + take), got);
        got += take;
      }
      pos = end;
      return got < length;
    },
    () => undefined,
  );
  return out.subarray(0, got);
}
