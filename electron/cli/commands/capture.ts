/**
 * `heapscope capture URL`: capture profiles from a live Go service's net/http/pprof.
 *
 *   heapscope capture :6060                                 heap profile into ./heap-<time>.pb.gz
 *   heapscope capture http://h:6060 --profile profile --seconds 10
 *   heapscope capture h:6060 --profile goroutine --debug 2
 *   heapscope capture h:6060 --profile goroutineleak           goroutines the runtime proved leaked (Go 1.27+)
 *   heapscope capture h:6060 --profile heap,goroutine --gc --every 10s --count 6 --out leaks/
 *   heapscope capture h:6060 --list
 *
 * Files are named by profile and time (heap-20261122T153012Z.pb.gz) and written atomically; a
 * watch (--every) writes into its own session folder with a session.json manifest. A progress bar
 * shows on a terminal (CPU countdown, download, ticks); otherwise plain lines. Errors are one line
 * (describeError) and exit code 1.
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describeError, HeapscopeError, toErrorInfo } from '../../../shared/errors';
import { CaptureService } from '../../services/capture';
import { formatBytes, formatCount, formatSeconds } from '../../services/capture/format';
import { captureParams, captureUrl } from '../../services/capture/capture';
import { normaliseTarget } from '../../services/capture/url';
import { DELTA_PROFILES, PROFILE_NAMES, type AuthConfig, type CaptureProgress, type DebugLevel, type NetworkLimits, type SeriesPoint, type WatchEvent, type WatchProfileSpec } from '../../services/capture/types';
import type { CliIO } from '../io';
import { parseTrigger } from '../../../shared/memory';

interface CaptureOpts {
  profile: string;
  seconds?: string;
  gc?: boolean;
  debug?: string;
  every?: string;
  count?: string;
  out: string;
  list?: boolean;
  keep?: string;
  maxDisk?: string;
  connectTimeout?: string;
  timeout?: string;
  maxSize?: string;
  user?: string;
  bearer?: string;
  trigger?: string[];
  keepEvery?: string;
  expvar?: boolean;
}

function bad(message: string): HeapscopeError {
  return new HeapscopeError({ code: 'BAD_REQUEST', message });
}

/** "10s", "1.5m", "250ms", "2h", or a bare number of seconds → milliseconds. */
export function parseDuration(flag: string, v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(v);
  if (!m) throw bad(`${flag} takes a duration like 10s, 2m or 500ms, not ${JSON.stringify(v)}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (!(ms > 0)) throw bad(`${flag} must be more than zero`);
  return ms;
}

/** "1GiB", "500MB", "64k", "1000" (bytes); K/M/G are powers of 1024. */
export function parseSize(flag: string, v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*$/i.exec(v);
  if (!m) throw bad(`${flag} takes a size like 500MB or 1GiB, not ${JSON.stringify(v)}`);
  const p = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4 }[(m[2] ?? '').toLowerCase().charAt(0) as '' | 'b' | 'k' | 'm' | 'g' | 't'];
  const n = Math.round(Number(m[1]) * 1024 ** p);
  if (!(n > 0)) throw bad(`${flag} must be more than zero`);
  return n;
}

function parseWhole(flag: string, v: string, min: number): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw bad(`${flag} takes a whole number of at least ${min}, not ${JSON.stringify(v)}`);
  return Number(v);
}

function parseAuth(o: CaptureOpts): AuthConfig | undefined {
  if (o.user !== undefined && o.bearer !== undefined) throw bad('use either --user or --bearer, not both');
  if (o.user !== undefined) {
    const i = o.user.indexOf(':');
    if (i <= 0) throw bad('--user takes USER:PASSWORD');
    return { kind: 'basic', username: o.user.slice(0, i), password: o.user.slice(i + 1) };
  }
  const token = o.bearer ?? process.env.HEAPSCOPE_BEARER_TOKEN;
  if (token !== undefined && token !== '') return { kind: 'bearer', token };
  return undefined;
}

/** A terminal progress bar that writes through io.stderr (so tests can see it), or nothing. */
interface ProgressView {
  show(label: string, value: number, total: number, detail: string): void;
  stop(): void;
}

function progressView(io: CliIO): ProgressView {
  if (!io.isTTY) return { show() {}, stop() {} };
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        io.stderr(String(chunk));
        cb();
      },
    }),
    { isTTY: true, columns: process.stderr.columns || 100 },
  );
  let bar: SingleBar | null = null;
  return {
    show(label, value, total, detail) {
      const payload = { label, detail };
      if (!bar) {
        bar = new SingleBar({ stream, format: '{label} [{bar}] {percentage}% | {detail}', hideCursor: false, gracefulExit: false, clearOnComplete: true, barsize: 30, fps: 10 });
        bar.start(Math.max(total, 1), value, payload);
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(value, payload);
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

function showCaptureProgress(view: ProgressView, label: string, p: CaptureProgress): void {
  if (p.phase === 'profiling' && p.durationMs) {
    const left = Math.max(0, p.durationMs - p.elapsedMs);
    view.show(label, Math.min(p.elapsedMs, p.durationMs), p.durationMs, `${Math.ceil(left / 1000)} s left`);
  } else if (p.phase === 'downloading') {
    const total = p.totalBytes ?? Math.max(p.receivedBytes, 1);
    view.show(label, p.receivedBytes, total, `${formatBytes(p.receivedBytes)}${p.totalBytes !== undefined ? ` of ${formatBytes(p.totalBytes)}` : ''}`);
  } else {
    view.show(label, 0, 1, p.phase === 'connecting' ? 'connecting' : 'waiting for the answer');
  }
}

function seriesLine(p: SeriesPoint): string {
  const parts: string[] = [];
  if (p.liveHeap != null) parts.push(`live heap ${formatBytes(p.liveHeap)}`);
  if (p.heapAlloc !== null) parts.push(`HeapAlloc ${formatBytes(p.heapAlloc)}`);
  if (p.heapInuse !== null) parts.push(`HeapInuse ${formatBytes(p.heapInuse)}`);
  if (p.heapObjects !== null) parts.push(`HeapObjects ${formatCount(p.heapObjects)}`);
  if (p.numGC !== null) parts.push(`NumGC ${formatCount(p.numGC)}`);
  if (p.goroutines !== null) parts.push(`goroutines ${formatCount(p.goroutines)}`);
  if (p.sys != null) parts.push(`Sys ${formatBytes(p.sys)}`);
  return parts.join(', ');
}

export function registerCapture(program: Command, io: CliIO): void {
  program
    .command('capture')
    .description('capture profiles from a live Go service (net/http/pprof): once, or every DURATION into a session folder')
    .argument('<url>', 'the service: host:port, http://host:port, or .../debug/pprof/')
    .option('--profile <names>', `${PROFILE_NAMES.join('|')} (the CPU profile is "profile"); comma-separated for several`, 'heap')
    .option('--seconds <n>', `CPU profile duration (default 30), or a delta profile over N seconds for ${DELTA_PROFILES.join(', ')}`)
    .option('--gc', 'heap: run a GC first (?gc=1)')
    .option('--debug <n>', '0 (protobuf, default), 1 (text) or 2 (goroutine, goroutineleak: full stack dump)')
    .option('--every <duration>', 'capture every DURATION (e.g. 10s, 1m, 500ms) into a session folder, with the growth series')
    .option('--count <n>', 'with --every: stop after N captures (default, or 0: until Ctrl+C)')
    .option('--no-gc', 'with --every: do not ask for a GC before each heap capture (a watch asks for gc=1 by default, so in-use numbers are current)')
    .option('--trigger <expr>', "with --every: capture a full bundle (heap, goroutine debug=2, allocs, goroutineleak where served) when EXPR turns true: 'heap>512MiB', 'goroutines>+50%' (metrics heap, live, goroutines, sys); repeatable", (v: string, prev: string[] = []) => [...prev, v])
    .option('--keep-every <n>', 'with --every: when over --keep/--max-disk, keep the first, the last, every Nth and triggered ticks (default 10; N doubles when needed)')
    .option('--no-expvar', 'with --every: do not read MemStats from /debug/vars (read heap?debug=1 instead)')
    .option('--out <dir>', 'folder for the files (a watch makes its session folder inside)', '.')
    .option('--list', 'list the profiles the service offers, with their counts, and exit')
    .option('--keep <n>', 'with --every: keep at most N ticks of captures on disk, deleting the oldest')
    .option('--max-disk <size>', 'with --every: keep at most SIZE of captures on disk (e.g. 500MB), deleting the oldest')
    .option('--connect-timeout <duration>', 'time allowed to connect (default 10s)')
    .option('--timeout <duration>', 'time allowed for each request, on top of --seconds (default 60s)')
    .option('--max-size <size>', 'largest profile accepted (default 1GiB)')
    .option('--user <user:password>', 'basic auth')
    .option('--bearer <token>', 'bearer token (or set HEAPSCOPE_BEARER_TOKEN)')
    .action(async (url: string, o: CaptureOpts) => {
      try {
        process.exitCode = (await runCapture(url, o, io)) ? 0 : 1;
      } catch (e) {
        io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
        process.exitCode = 1;
      }
    });
}

/** Returns true when it succeeded (false: something failed and was reported). Throws on bad input. */
async function runCapture(url: string, o: CaptureOpts, io: CliIO): Promise<boolean> {
  const limits: NetworkLimits = {};
  if (o.connectTimeout !== undefined) limits.connectTimeoutMs = parseDuration('--connect-timeout', o.connectTimeout);
  if (o.timeout !== undefined) limits.totalTimeoutMs = parseDuration('--timeout', o.timeout);
  if (o.maxSize !== undefined) limits.maxBytes = parseSize('--max-size', o.maxSize);
  const auth = parseAuth(o);
  const options = { ...limits, ...(auth ? { auth } : {}) };
  const svc = new CaptureService();
  const target = normaliseTarget(url);

  if (o.list) {
    const r = await svc.listProfiles(url, options);
    io.stdout(`Profiles at ${r.indexUrl}:\n`);
    const w = Math.max(...r.profiles.map((p) => p.name.length), 7);
    const cw = Math.max(...r.profiles.map((p) => String(p.count ?? '').length), 5);
    for (const p of r.profiles) {
      const desc = p.capturable ? p.description : `(not a profile Heapscope captures) ${p.description}`.trim();
      io.stdout(`  ${p.name.padEnd(w)}  ${String(p.count ?? '').padStart(cw)}  ${desc}\n`);
    }
    if (r.hasFullGoroutineDump) io.stdout(`  full goroutine stack dump: heapscope capture ${r.indexUrl} --profile goroutine --debug 2\n`);
    if (r.profiles.some((p) => p.name === 'goroutineleak' && p.capturable)) {
      // Its count is the last leak check's (0 until one runs); a capture runs a new check.
      io.stdout(`  goroutines the runtime proves leaked (runs a leak-checking GC): heapscope capture ${r.indexUrl} --profile goroutineleak\n`);
    }
    return true;
  }

  const names = o.profile
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw bad('--profile names no profile');
  for (const n of names) if (!(PROFILE_NAMES as readonly string[]).includes(n)) throw bad(`--profile must be one of ${PROFILE_NAMES.join(', ')}; not ${JSON.stringify(n)}`);
  let debug: DebugLevel | undefined;
  if (o.debug !== undefined) {
    if (!['0', '1', '2'].includes(o.debug.trim())) throw bad(`--debug must be 0, 1 or 2, not ${JSON.stringify(o.debug)}`);
    debug = Number(o.debug.trim()) as DebugLevel;
  }
  const seconds = o.seconds !== undefined ? parseWhole('--seconds', o.seconds, 1) : undefined;
  const specs: WatchProfileSpec[] = names.map((profile) => {
    const s: WatchProfileSpec = { profile };
    if (seconds !== undefined) s.seconds = seconds;
    if (o.gc === true) s.gc = true;
    if (debug !== undefined) s.debug = debug;
    captureParams(s); // reject a bad combination before any request
    return s;
  });
  if (o.every === undefined) {
    for (const flag of ['count', 'keep', 'maxDisk', 'keepEvery'] as const) {
      if (o[flag] !== undefined) throw bad(`--${flag === 'maxDisk' ? 'max-disk' : flag === 'keepEvery' ? 'keep-every' : flag} needs --every`);
    }
    if (o.trigger?.length) throw bad('--trigger needs --every');
    if (o.gc === false) throw bad('--no-gc needs --every (a single capture asks for a GC only with --gc)');
    return captureOnce(svc, url, specs, options, o.out, io, target.indexUrl);
  }
  return watch(svc, url, specs, options, o, io);
}

async function captureOnce(svc: CaptureService, url: string, specs: WatchProfileSpec[], options: NetworkLimits & { auth?: AuthConfig }, out: string, io: CliIO, indexUrl: string): Promise<boolean> {
  let ok = true;
  for (const spec of specs) {
    const view = progressView(io);
    const label = spec.profile === 'profile' ? 'cpu' : spec.profile;
    const params = captureParams(spec);
    if (params.seconds !== undefined && !io.isTTY) io.stderr(`${label}: profiling for ${params.seconds} s (${captureUrl(indexUrl, spec.profile, params)})\n`);
    try {
      const r = await svc.capture({ url, ...spec, saveDir: out, options }, { onProgress: (p) => showCaptureProgress(view, label, p) });
      view.stop();
      io.stdout(`saved ${join(out, r.saved!.name)} (${formatCount(r.meta.sizeBytes)} bytes) from ${r.meta.url}\n`);
    } catch (e) {
      view.stop();
      io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
      ok = false;
    }
  }
  return ok;
}

async function watch(svc: CaptureService, url: string, specs: WatchProfileSpec[], options: NetworkLimits & { auth?: AuthConfig }, o: CaptureOpts, io: CliIO): Promise<boolean> {
  const everyMs = parseDuration('--every', o.every!);
  if (everyMs < 100) throw bad('--every must be at least 100ms');
  const countArg = o.count !== undefined ? parseWhole('--count', o.count, 0) : undefined;
  const count = countArg === 0 ? undefined : countArg;
  const triggers = (o.trigger ?? []).map((t) => parseTrigger(t).text);
  const everyNth = o.keepEvery !== undefined ? parseWhole('--keep-every', o.keepEvery, 1) : 10;
  const maxKept = o.keep !== undefined ? parseWhole('--keep', o.keep, 1) : undefined;
  const maxBytes = o.maxDisk !== undefined ? parseSize('--max-disk', o.maxDisk) : undefined;
  const view = progressView(io);
  let captures = 0;
  let failures = 0;
  const findings = new Map<string, string>();
  const listener = (e: WatchEvent) => {
    switch (e.type) {
      case 'started':
        io.stdout(`watching ${normaliseTarget(url).indexUrl} every ${formatSeconds(everyMs)}${count !== undefined ? `, ${count} times` : ' (Ctrl+C stops)'}, into ${e.sessionDir}\n`);
        break;
      case 'progress':
        showCaptureProgress(view, `tick ${e.tick}${count !== undefined ? `/${count}` : ''} ${e.profile === 'profile' ? 'cpu' : e.profile}`, e.progress);
        break;
      case 'capture':
        captures++;
        view.stop();
        io.stdout(`tick ${e.tick}: saved ${e.capture.saved.name} (${formatCount(e.capture.saved.sizeBytes)} bytes)\n`);
        break;
      case 'error':
        failures++;
        view.stop();
        io.stderr(`tick ${e.tick}: heapscope: ${describeError(e.error)}\n`);
        break;
      case 'dropped':
        view.stop();
        io.stderr(`tick ${e.tick}: ${e.message}\n`);
        break;
      case 'trigger':
        view.stop();
        io.stdout(`tick ${e.fired.tick}: TRIGGER ${e.fired.message}: saved ${e.fired.files.join(', ') || 'nothing'}\n`);
        for (const m of e.fired.missing) io.stderr(`tick ${e.fired.tick}: bundle without ${m}\n`);
        break;
      case 'restart':
        view.stop();
        io.stdout(`${e.message}\n`);
        break;
      case 'notice':
        view.stop();
        io.stdout(`note: ${e.message}\n`);
        break;
      case 'tick':
        view.stop();
        if (e.point) io.stdout(`tick ${e.tick}: ${seriesLine(e.point)}${e.captures.some((c) => c.identical) ? ' (identical to the previous capture)' : ''}\n`);
        else if (e.failures > 0) io.stdout(`tick ${e.tick}: failed (${e.failures} ${e.failures === 1 ? 'error' : 'errors'}; earlier captures are intact)\n`);
        for (const f of e.findings) findings.set(f.metric, f.message);
        break;
      case 'stopped':
        view.stop();
        break;
    }
  };
  const id = svc.startWatch(
    {
      url,
      profiles: specs,
      everyMs,
      outDir: o.out,
      options,
      gc: o.gc !== false,
      expvar: o.expvar !== false,
      everyNth,
      ...(triggers.length ? { triggers } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(maxKept !== undefined ? { maxKept } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
    },
    listener,
  );
  const stop = () => {
    view.stop();
    io.stderr('stopping: waiting for the captures in flight to end (nothing half-written is kept)…\n');
    void svc.stopWatch(id);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let snap;
  try {
    snap = await svc.watchFinished(id);
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    view.stop();
  }
  for (const m of findings.values()) io.stdout(`finding: ${m}\n`);
  const failedNote = snap.failedTicks ? `, ${snap.failedTicks} failed` : failures ? `, ${failures} errors` : '';
  const trig = snap.triggersFired?.length ? `, ${snap.triggersFired.length} ${snap.triggersFired.length === 1 ? 'trigger' : 'triggers'} fired` : '';
  const rest = snap.restarts?.length ? `, ${snap.restarts.length} ${snap.restarts.length === 1 ? 'restart' : 'restarts'} of the service` : '';
  io.stdout(`done: ${snap.ticks} ticks${failedNote}${trig}${rest}, ${captures} captures (${snap.captures.length} kept, ${formatBytes(snap.bytesOnDisk)}) in ${snap.sessionDir}\n`);
  // A watch fails as a whole only when nothing at all worked.
  return snap.ticks > 0 && snap.failedTicks < snap.ticks;
}
