/**
 * Turns what a user typed into the URL of a net/http/pprof index: `host:port`, `:6060`,
 * `http://host:port`, `https://host/prefix/debug/pprof/`, even `.../debug/pprof/heap?debug=1`.
 * Only http and https are accepted. Credentials in the URL (`http://user:pass@host`) are taken
 * out of it and returned as basic auth, so the URL can be shown and logged.
 */
import { HeapscopeError } from '../../../shared/errors';
import type { AuthConfig } from './types';

export interface PprofTarget {
  /** Index URL, always ending in "/", no credentials, no query, no fragment. */
  indexUrl: string;
  /** scheme://host:port */
  origin: string;
  /** Basic auth taken from `user:pass@` in the typed URL. */
  auth?: AuthConfig;
  /** The profile named after the index path, when the user typed one (`.../debug/pprof/heap`). */
  profileHint?: string;
}

const PPROF_PATH = '/debug/pprof';

function bad(message: string): HeapscopeError {
  return new HeapscopeError({ code: 'BAD_REQUEST', message });
}

/** Printable, bounded version of user input for messages. */
export function quoteInput(s: string, max = 80): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}

export function normaliseTarget(input: string): PprofTarget {
  const typed = input.trim();
  if (typed === '') throw bad('enter the address of a Go service, like http://127.0.0.1:6060');
  if (typed.length > 4096) throw bad('that URL is too long');
  let withScheme = typed;
  // ":6060" is how Go programs spell their listen address.
  if (/^:\d+(\/|$)/.test(typed)) withScheme = `http://127.0.0.1${typed}`;
  else {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(typed);
    // "localhost:6060" and "host:6060/debug/pprof" look like a scheme but are host:port.
    const hostPort = /^[a-zA-Z0-9.-]+:\d+(\/|\?|#|$)/.test(typed);
    if (scheme && !hostPort) {
      const s = scheme[1]!.toLowerCase();
      if (s !== 'http' && s !== 'https') throw bad(`only http and https URLs are accepted, not ${s}: (${quoteInput(typed)})`);
      if (!typed.slice(scheme[0].length).startsWith('//')) throw bad(`not a valid URL: ${quoteInput(typed)}`);
    } else {
      withScheme = `http://${typed}`;
    }
  }
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw bad(`not a valid URL: ${quoteInput(typed)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(`only http and https URLs are accepted, not ${u.protocol} (${quoteInput(typed)})`);
  if (u.hostname === '') throw bad(`no host in ${quoteInput(typed)}`);
  let auth: AuthConfig | undefined;
  if (u.username !== '' || u.password !== '') {
    auth = { kind: 'basic', username: safeDecode(u.username), password: safeDecode(u.password) };
    u.username = '';
    u.password = '';
  }
  const path = u.pathname;
  let indexPath: string;
  let profileHint: string | undefined;
  const at = path.indexOf(PPROF_PATH);
  if (path === '' || path === '/') indexPath = `${PPROF_PATH}/`;
  else if (at >= 0 && (path.length === at + PPROF_PATH.length || path[at + PPROF_PATH.length] === '/')) {
    indexPath = path.slice(0, at + PPROF_PATH.length) + '/';
    const rest = path.slice(at + PPROF_PATH.length + 1).replace(/\/+$/, '');
    if (/^[A-Za-z0-9_.-]+$/.test(rest)) profileHint = rest;
  } else {
    // A service mounting the handlers under its own prefix: take the path as the index.
    indexPath = path.endsWith('/') ? path : `${path}/`;
  }
  const origin = `${u.protocol}//${u.host}`;
  const out: PprofTarget = { indexUrl: `${origin}${indexPath}`, origin };
  if (auth) out.auth = auth;
  if (profileHint !== undefined) out.profileHint = profileHint;
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A URL with any credentials removed, for messages and metadata. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return u.href;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}
