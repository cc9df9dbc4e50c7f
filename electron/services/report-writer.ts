/**
 * Writes HTML reports: the viewer bundle (dist/report/report.js + report.css, built by
 * build/vite.report.config.mts) + a ReportModel → one self-contained file (shared/report/html.ts),
 * written atomically: a temporary file beside the target, fsync, rename. It never replaces one of the
 * report's inputs. Plain Node (no Electron): the CLI, the serve host and the app's worker call it.
 *
 *   const model = assembleReport(inputs, { heapscopeVersion: VERSION });
 *   const { path, sizeBytes } = writeReport(model, 'report.html', { inputs: paths });
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HeapscopeError } from '../../shared/errors';
import type { ReportModel } from '../../shared/report/model';
import { renderReportHtml, type ReportAssets } from '../../shared/report/html';

/** base64(SHA-256(UTF-8 bytes)): the CSP hash of an inline script or style. */
export function sha256Base64(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

/**
 * Where the viewer bundle is: beside the running bundle (dist/report next to dist/cli.js,
 * dist/worker.js, dist/main.js), else dist/report of the source tree (tests running the sources).
 */
export function reportAssetsDir(): string {
  const candidates = [join(__dirname, 'report'), resolve(__dirname, '..', '..', 'dist', 'report'), resolve(__dirname, '..', 'dist', 'report')];
  return candidates.find((d) => existsSync(join(d, 'report.js'))) ?? candidates[0]!;
}

export function loadReportAssets(dir: string = reportAssetsDir()): ReportAssets {
  try {
    return { js: readFileSync(join(dir, 'report.js'), 'utf8'), css: readFileSync(join(dir, 'report.css'), 'utf8') };
  } catch {
    throw new HeapscopeError({
      code: 'NOT_FOUND',
      message: `the report viewer is not built (${join(dir, 'report.js')} is missing): run \`npm run build\``,
      file: join(dir, 'report.js'),
    });
  }
}

/** The report file's text. */
export function buildReportHtml(model: ReportModel, assets: ReportAssets = loadReportAssets()): string {
  return renderReportHtml(model, assets, sha256Base64);
}

export interface WriteReportOptions {
  /** The viewer bundle (default: read from reportAssetsDir()). */
  assets?: ReportAssets;
  /** Paths of the report's input files: the output may never be one of them. */
  inputs?: readonly string[];
}

export interface WrittenReport {
  path: string;
  sizeBytes: number;
}

function sameFile(a: string, b: string): boolean {
  const ra = resolve(a);
  const rb = resolve(b);
  if (ra === rb) return true;
  try {
    if (realpathSync(ra) === realpathSync(rb)) return true;
    const sa = statSync(ra);
    const sb = statSync(rb);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Writes `text` to `outPath` atomically (temp file + fsync + rename); refuses to replace an input. */
export function writeFileAtomic(outPath: string, text: string, protectedPaths: readonly string[] = []): WrittenReport {
  const path = resolve(outPath);
  for (const p of protectedPaths) {
    if (sameFile(path, p)) {
      throw new HeapscopeError({ code: 'BAD_REQUEST', message: `refusing to overwrite an input of the report with it: ${p}`, file: outPath });
    }
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new HeapscopeError({ code: 'IO', message: 'cannot write the report: it is a directory', file: outPath });
  }
  const bytes = Buffer.from(text, 'utf8');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // not created
    }
    if (e instanceof HeapscopeError) throw e;
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on the device' : e instanceof Error ? e.message : String(e);
    throw new HeapscopeError({ code: 'IO', message: `cannot write the report: ${why}`, file: outPath });
  }
  return { path, sizeBytes: bytes.length };
}

/** Renders the model with the viewer bundle and writes the file atomically. */
export function writeReport(model: ReportModel, outPath: string, opts: WriteReportOptions = {}): WrittenReport {
  const html = buildReportHtml(model, opts.assets ?? loadReportAssets());
  return writeFileAtomic(outPath, html, opts.inputs ?? []);
}
