/** Node glue for the DWARF tests: a file reader, zlib inflation, the Go toolchains of the matrix. */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { readGoDwarf, type BinaryReader, type DwarfLoad } from '../../../shared/dwarf/index';

export const GO126 = '/usr/local/go/bin/go';

export function fileReader(path: string): BinaryReader & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(o: number, l: number) {
      const b = Buffer.alloc(Math.max(0, Math.min(l, size - o)));
      readSync(fd, b, 0, b.length, o);
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    },
    close: () => closeSync(fd),
  };
}

export function inflate(b: Uint8Array, n: number): Uint8Array {
  const out = inflateSync(b, { maxOutputLength: Math.max(1, n + 1) });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export function loadDwarf(path: string): DwarfLoad {
  const r = fileReader(path);
  try {
    return readGoDwarf(r, { inflate, file: path });
  } finally {
    r.close();
  }
}

/** Prints why a Go-dependent check is skipped; under CI=true the absence is a failure. */
export function requireTool(ok: boolean, what: string): boolean {
  if (ok) return true;
  if (process.env.CI === 'true') throw new Error(`${what}: required under CI`);
  console.warn(`skipped: ${what}`);
  return false;
}

export const haveGo126 = existsSync(GO126);
