/**
 * The CLI's window on the outside world, injected so commands stay testable in-process.
 */
import { openSync, readSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HeapscopeError } from '../../shared/errors';
import { safeWrite } from './pipes';

export interface ChunkedFile {
  size: number;
  /** Read up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
  /**
   * Read up to `target.length` bytes at `offset` into `target`; returns how many (fewer at the end
   * of the file). For a streaming reader that reuses one buffer: memory written for the first time
   * costs a page fault per page, memory written again does not.
   */
  readInto?(offset: number, target: Uint8Array): number;
  close(): void;
}

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): Promise<Uint8Array>;
  gunzip(b: Uint8Array): Uint8Array;
  /** Random-access reads for big inputs (heap dumps, executables) without loading them whole. */
  openFile(path: string): ChunkedFile;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
}

export function ioError(path: string, e: unknown): HeapscopeError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
  return new HeapscopeError({ code: code === 'ENOENT' ? 'NOT_FOUND' : 'IO', message: `cannot read: ${why}`, file: path });
}

export function openChunkedFile(path: string): ChunkedFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw ioError(path, e);
  }
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw ioError(path, { code: 'EISDIR' });
  }
  const size = st.size;
  const readInto = (offset: number, target: Uint8Array): number => {
    const n = Math.max(0, Math.min(target.length, size - offset));
    let got = 0;
    while (got < n) {
      const r = readSync(fd, target, got, n - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    return got;
  };
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
      const got = readInto(offset, buf);
      return new Uint8Array(buf.buffer, buf.byteOffset, got);
    },
    readInto,
    close() {
      closeSync(fd);
    },
  };
}

export function gunzip(b: Uint8Array): Uint8Array {
  const out = gunzipSync(b);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export const nodeIO: CliIO = {
  stdout: (s) => safeWrite(process.stdout, s),
  stderr: (s) => safeWrite(process.stderr, s),
  async readFile(path) {
    try {
      const b = readFileSync(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      throw ioError(path, e);
    }
  },
  gunzip,
  openFile: openChunkedFile,
  isTTY: Boolean(process.stdout.isTTY),
};
