/**
 * Capture one profile from a net/http/pprof index: check the request, build the query Go's
 * handlers understand (seconds, gc=1, debug=N), fetch it, and check the body is what was asked
 * for (gzip for protobuf, the right header line for the text forms) before anyone stores it.
 */
import { gunzipSync, constants as zc } from 'node:zlib';
import { HeapscopeError } from '../../../shared/errors';
import { httpGet, type FetchProgress } from './fetch';
import { sanitizeRemoteText } from './format';
import { captureFileName } from './store';
import { displayUrl } from './url';
import { DELTA_PROFILES, DEFAULT_LIMITS, STACK_DUMP_PROFILES, type CaptureFormat, type CaptureParams, type CaptureProgress, type CaptureResult, type DebugLevel, type NetworkLimits, type ProfileName } from './types';

const NOT_PROFILES = new Set(['cmdline', 'trace', 'symbol']);
const NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/;
/** Longest seconds=N accepted (a day). */
const MAX_SECONDS = 86_400;
export const DEFAULT_CPU_SECONDS = 30;

export interface CaptureSpec {
  profile: string;
  seconds?: number;
  gc?: boolean;
  debug?: DebugLevel;
}

function bad(message: string): HeapscopeError {
  return new HeapscopeError({ code: 'BAD_REQUEST', message });
}

/** Check a capture request against what Go's handlers accept; returns the parameters to send. */
export function captureParams(spec: CaptureSpec): CaptureParams {
  const { profile } = spec;
  if (typeof profile !== 'string' || !NAME_RE.test(profile)) throw bad(`not a profile name: ${JSON.stringify(String(profile).slice(0, 60))}`);
  if (NOT_PROFILES.has(profile)) throw bad(`${profile} is not a profile Heapscope can capture`);
  const params: CaptureParams = {};
  const debug = spec.debug ?? 0;
  if (debug !== 0 && debug !== 1 && debug !== 2) throw bad(`debug must be 0, 1 or 2, not ${JSON.stringify(spec.debug)}`);
  if (debug === 2 && !STACK_DUMP_PROFILES.includes(profile as ProfileName)) {
    throw bad('debug=2 is the goroutine stack dump: use it with the goroutine or goroutineleak profile only');
  }
  if (profile === 'profile' && debug !== 0) throw bad('the CPU profile has no debug form (it is always protobuf)');
  if (spec.seconds !== undefined) {
    const s = spec.seconds;
    if (!Number.isInteger(s) || s < 1 || s > MAX_SECONDS) throw bad(`seconds must be a whole number from 1 to ${MAX_SECONDS}, not ${JSON.stringify(s)}`);
    if (profile !== 'profile' && !DELTA_PROFILES.includes(profile as ProfileName)) {
      throw bad(`seconds applies to the CPU profile and to delta profiles of ${DELTA_PROFILES.join(', ')}; not to ${profile}`);
    }
    if (profile !== 'profile' && debug !== 0) throw bad('seconds (a delta profile) and debug cannot be combined: Go serves delta profiles only as protobuf');
    params.seconds = s;
  } else if (profile === 'profile') {
    params.seconds = DEFAULT_CPU_SECONDS;
  }
  if (spec.gc) {
    if (profile !== 'heap') throw bad('gc (run a GC first) applies to the heap profile only');
    if (spec.seconds !== undefined) throw bad('gc does not apply to a delta heap profile (seconds)');
    params.gc = true;
  }
  if (debug !== 0) params.debug = debug;
  return params;
}

/** URL of a profile under an index URL, with its query in a fixed order. */
export function captureUrl(indexUrl: string, profile: string, params: CaptureParams): string {
  const u = new URL(profile, indexUrl);
  if (params.seconds !== undefined) u.searchParams.set('seconds', String(params.seconds));
  if (params.gc) u.searchParams.set('gc', '1');
  if (params.debug) u.searchParams.set('debug', String(params.debug));
  return u.href;
}

export function expectedFormat(params: CaptureParams): CaptureFormat {
  return params.debug ? 'text' : 'pprof-gzip';
}

const decoder = new TextDecoder('utf-8');

function headText(body: Uint8Array, n = 256): string {
  let s = decoder.decode(body.subarray(0, n));
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s;
}

function looksLikeText(body: Uint8Array): boolean {
  const n = Math.min(body.length, 512);
  for (let i = 0; i < n; i++) {
    const c = body[i]!;
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) return false;
  }
  return true;
}

function isHtml(body: Uint8Array, contentType: string): boolean {
  if (/^\s*(text\/html|application\/xhtml)/i.test(contentType)) return true;
  return /^\s*<(!doctype\s+html|html|head|body|title|!--)/i.test(headText(body, 512));
}

/** A goroutine dump's first header: `goroutine 8 [running]:`, also with Go 1.22's `gp=… m=…` fields. */
const STACK_DUMP_RE = /^goroutine \d+ (?:[^[\n]{0,200})\[/;

function textHeaderRe(profile: string, debug: DebugLevel): RegExp {
  if (debug === 2 && STACK_DUMP_PROFILES.includes(profile as ProfileName)) return STACK_DUMP_RE;
  if (profile === 'goroutine') return /^goroutine profile: total \d+/;
  if (profile === 'heap' || profile === 'allocs') return /^heap profile: /;
  if (profile === 'mutex') return /^--- mutex:/;
  if (profile === 'block') return /^--- contention:/;
  // goroutineleak, threadcreate and custom profiles: printCountProfile's "<name> profile: total N".
  return new RegExp(`^${profile.replace(/[.]/g, '\\.')} profile: total \\d+`);
}

function firstLine(body: Uint8Array): string {
  return JSON.stringify(sanitizeRemoteText(headText(body, 200).split('\n')[0] ?? '', 60));
}

/** Check a body is what was asked for. Throws NETWORK errors naming the URL. */
export function checkBody(url: string, profile: string, params: CaptureParams, body: Uint8Array, contentType: string): CaptureFormat {
  const fault = (what: string) => new HeapscopeError({ code: 'NETWORK', message: `${displayUrl(url)}: ${what}` });
  if (body.length === 0) throw fault('got an empty answer, not a profile');
  if (isHtml(body, contentType)) throw fault('got an HTML page, not a profile');
  const format = expectedFormat(params);
  const gz = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  if (format === 'pprof-gzip') {
    if (!gz) {
      if (looksLikeText(body)) throw fault(`expected a gzipped profile, got text starting ${firstLine(body)}`);
      throw fault(`expected a gzipped profile, got ${body.length} bytes of something else`);
    }
    try {
      // Inflate the start only: enough to reject a body that merely begins with the magic bytes.
      gunzipSync(body.subarray(0, 64 * 1024), { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
    } catch (e) {
      // Output over the cap means it inflates fine; anything else is a corrupt stream.
      if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') {
        const msg = e instanceof Error ? e.message : String(e);
        throw fault(`the body starts like gzip but does not inflate (${sanitizeRemoteText(msg, 80)})`);
      }
    }
    return format;
  }
  if (gz) throw fault(`expected the text form (debug=${params.debug}), got a gzipped body`);
  if (!looksLikeText(body)) throw fault(`expected the text form (debug=${params.debug}), got binary data`);
  const re = textHeaderRe(profile, params.debug ?? 0);
  if (!re.test(headText(body))) throw fault(`expected a ${profile} profile (debug=${params.debug}), got text starting ${firstLine(body)}`);
  return format;
}

/**
 * A service without the goroutine leak profile (Go before 1.26, or 1.26 built without the
 * experiment) answers 404 "Unknown profile": say what it takes to have one.
 */
function explainMissingProfile(e: unknown, profile: string): unknown {
  if (profile !== 'goroutineleak' || !(e instanceof HeapscopeError) || e.code !== 'NETWORK' || !/HTTP 404\b/.test(e.message)) return e;
  return new HeapscopeError({
    code: 'NETWORK',
    message: `${e.message} (this service has no goroutineleak profile: it needs Go 1.27 or later, or Go 1.26 built with GOEXPERIMENT=goroutineleakprofile)`,
  });
}

export interface FetchDeps {
  limits: NetworkLimits;
  headers: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
  now?: () => Date;
}

/** Capture one profile under indexUrl. Throws HeapscopeError (BAD_REQUEST, NETWORK, CANCELLED). */
export async function captureFrom(indexUrl: string, spec: CaptureSpec, deps: FetchDeps): Promise<CaptureResult> {
  const params = captureParams(spec);
  const url = captureUrl(indexUrl, spec.profile, params);
  const limits = { ...DEFAULT_LIMITS, ...stripUndefined(deps.limits) };
  const waitMs = (params.seconds ?? 0) * 1000;
  const now = deps.now ?? (() => new Date());
  const started = now();
  const onProgress = deps.onProgress;
  let res: Awaited<ReturnType<typeof httpGet>>;
  try {
    res = await httpGet(url, {
      connectTimeoutMs: limits.connectTimeoutMs,
      totalTimeoutMs: limits.totalTimeoutMs + waitMs,
      maxBytes: limits.maxBytes,
      maxRedirects: limits.maxRedirects,
      headers: deps.headers,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(onProgress
        ? {
            onProgress: (p: FetchProgress) => {
              const out: CaptureProgress = { phase: p.phase === 'waiting' && waitMs > 0 ? 'profiling' : p.phase, elapsedMs: p.elapsedMs, receivedBytes: p.receivedBytes };
              if (waitMs > 0) out.durationMs = waitMs;
              if (p.totalBytes !== undefined) out.totalBytes = p.totalBytes;
              onProgress(out);
            },
          }
        : {}),
    });
  } catch (e) {
    throw explainMissingProfile(e, spec.profile);
  }
  const format = checkBody(url, spec.profile, params, res.body, res.contentType);
  const finished = now();
  return {
    meta: {
      url: res.url,
      profile: spec.profile,
      params,
      format,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      timeMs: finished.getTime(),
      sizeBytes: res.body.length,
      fileName: captureFileName(spec.profile, params, format, started),
    },
    bytes: res.body,
  };
}

export function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
