/**
 * Credentials for live targets: basic and bearer. They live in memory for the session; only an
 * explicit save hands them to a persistent backend (which the app provides, e.g. on top of the
 * OS keychain). Nothing here logs them, and no result or event carries them.
 */
import { HeapscopeError } from '../../../shared/errors';
import type { AuthConfig } from './types';

/** Where saved credentials go. The app provides one; tests use an in-memory one. */
export interface AuthPersistence {
  load(): Record<string, AuthConfig>;
  save(all: Record<string, AuthConfig>): void;
}

export interface AuthStore {
  /** Credentials for an origin (scheme://host:port), if any. */
  get(origin: string): AuthConfig | undefined;
  /** Remember credentials for the session; with save, also hand them to the persistent backend. */
  set(origin: string, auth: AuthConfig, opts?: { save?: boolean }): void;
  forget(origin: string): void;
  /** Origins with credentials (never the credentials themselves). */
  origins(): string[];
}

function assertHeaderSafe(what: string, v: string): void {
  // CR, LF and NUL would let a value smuggle headers; Node would throw later with a less clear message.
  if (/[\r\n\u0000]/.test(v)) throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${what} must not contain line breaks` });
}

export function validateAuth(a: AuthConfig): void {
  if (a.kind === 'basic') {
    if (a.username.includes(':')) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'a basic-auth user name must not contain ":"' });
    assertHeaderSafe('the user name', a.username);
    assertHeaderSafe('the password', a.password);
  } else if (a.kind === 'bearer') {
    if (a.token.trim() === '') throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'the bearer token is empty' });
    assertHeaderSafe('the bearer token', a.token);
  }
}

/** The Authorization header for some credentials ({} for none). */
export function authHeaders(a: AuthConfig | undefined): Record<string, string> {
  if (!a || a.kind === 'none') return {};
  validateAuth(a);
  if (a.kind === 'basic') return { authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`, 'utf8').toString('base64')}` };
  return { authorization: `Bearer ${a.token.trim()}` };
}

/** Headers safe to print: credentials replaced by their kind. */
export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const lk = k.toLowerCase();
    out[k] = lk === 'authorization' || lk === 'proxy-authorization' || lk === 'cookie' ? `${v.split(' ')[0] ?? ''} [redacted]` : v;
  }
  return out;
}

function originKey(origin: string): string {
  try {
    const u = new URL(origin);
    return `${u.protocol}//${u.host}`;
  } catch {
    return origin;
  }
}

/** Session memory, optionally backed by a persistence for saved entries. */
export class SessionAuthStore implements AuthStore {
  private readonly session = new Map<string, AuthConfig>();
  private readonly saved = new Map<string, AuthConfig>();

  constructor(private readonly persistence?: AuthPersistence) {
    if (persistence) {
      for (const [o, a] of Object.entries(persistence.load())) this.saved.set(originKey(o), a);
    }
  }

  get(origin: string): AuthConfig | undefined {
    const k = originKey(origin);
    return this.session.get(k) ?? this.saved.get(k);
  }

  set(origin: string, auth: AuthConfig, opts: { save?: boolean } = {}): void {
    if (auth.kind !== 'none') validateAuth(auth);
    const k = originKey(origin);
    this.session.set(k, auth);
    if (opts.save) {
      if (!this.persistence) throw new HeapscopeError({ code: 'BAD_REQUEST', message: 'credentials cannot be saved here: no credential store is configured' });
      this.saved.set(k, auth);
      this.persistence.save(Object.fromEntries(this.saved));
    }
  }

  forget(origin: string): void {
    const k = originKey(origin);
    this.session.delete(k);
    if (this.saved.delete(k) && this.persistence) this.persistence.save(Object.fromEntries(this.saved));
  }

  origins(): string[] {
    return [...new Set([...this.session.keys(), ...this.saved.keys()])].sort();
  }
}
