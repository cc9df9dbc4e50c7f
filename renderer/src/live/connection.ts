/**
 * The Open URL form's connection settings (address, credentials, limits) and how they become the
 * API's TargetOptions. Pure; numbers are passed through as typed so the host's checks (and its
 * words) apply: a blank field means the host's default.
 */
import type { AuthConfig, ProfileListing, TargetOptions } from '../../../shared/capture/types';

export type AuthKind = AuthConfig['kind'];

export interface ConnectionForm {
  url: string;
  authKind: AuthKind;
  username: string;
  password: string;
  token: string;
  /** Keep the credentials in memory for this session (default), so later calls reuse them. */
  remember: boolean;
  /** Also save them on this computer (the host encrypts them with the OS keychain in the app). */
  save: boolean;
  /** Seconds; '' = the host's default (10 s). */
  connectTimeoutS: string;
  /** Seconds; '' = the host's default (60 s, plus the profiling time). */
  totalTimeoutS: string;
  /** MiB; '' = the host's default (1 GiB). */
  maxMiB: string;
}

export const EMPTY_FORM: ConnectionForm = {
  url: '',
  authKind: 'none',
  username: '',
  password: '',
  token: '',
  remember: true,
  save: false,
  connectTimeoutS: '',
  totalTimeoutS: '',
  maxMiB: '',
};

/** The credentials typed; blank fields are no credentials (nothing is sent or remembered). */
export function authOf(f: ConnectionForm): AuthConfig {
  if (f.authKind === 'basic' && (f.username !== '' || f.password !== '')) return { kind: 'basic', username: f.username, password: f.password };
  if (f.authKind === 'bearer' && f.token.trim() !== '') return { kind: 'bearer', token: f.token.trim() };
  return { kind: 'none' };
}

export function formWithAuth(f: ConnectionForm, a: AuthConfig): ConnectionForm {
  if (a.kind === 'basic') return { ...f, authKind: 'basic', username: a.username, password: a.password };
  if (a.kind === 'bearer') return { ...f, authKind: 'bearer', token: a.token };
  return { ...f, authKind: 'none' };
}

function num(s: string, scale: number): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  return Math.round(Number(t) * scale);
}

/** What is wrong with the typed limits, in words; null when they are fine (blank = default). */
export function limitsProblem(f: ConnectionForm): string | null {
  const checks: Array<[string, string]> = [
    [f.connectTimeoutS, 'the connect timeout'],
    [f.totalTimeoutS, 'the total timeout'],
    [f.maxMiB, 'the size limit'],
  ];
  for (const [v, what] of checks) {
    if (v.trim() === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return `${what} must be a positive number (or blank for the default), not ${JSON.stringify(v.slice(0, 20))}`;
  }
  return null;
}

/** TargetOptions for a call: limits typed by the user, and credentials unless none. */
export function targetOptions(f: ConnectionForm, auth: AuthConfig = authOf(f)): TargetOptions {
  const o: TargetOptions = {};
  const c = num(f.connectTimeoutS, 1000);
  const t = num(f.totalTimeoutS, 1000);
  const m = num(f.maxMiB, 1024 * 1024);
  if (c !== undefined) o.connectTimeoutMs = c;
  if (t !== undefined) o.totalTimeoutMs = t;
  if (m !== undefined) o.maxBytes = m;
  if (auth.kind !== 'none') o.auth = auth;
  return o;
}

/**
 * Profiles in the order a leak hunt wants them; custom profiles after, by name. goroutineleak (Go
 * 1.27+, or 1.26 with the experiment) is listed only when the service lists it, so it is not in the
 * default watch set.
 */
const ORDER = ['heap', 'goroutine', 'goroutineleak', 'allocs', 'profile', 'mutex', 'block', 'threadcreate'];

export function sortListings(list: readonly ProfileListing[]): ProfileListing[] {
  const rank = (n: string) => {
    const i = ORDER.indexOf(n);
    return i < 0 ? ORDER.length : i;
  };
  return [...list].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

export const DEFAULT_WATCH_PROFILES = ORDER.filter((n) => n !== 'goroutineleak');

/** A short human name for a profile ("profile" is the CPU profile). */
export function profileTitle(name: string): string {
  if (name === 'goroutineleak') return 'goroutineleak (leaked goroutines)';
  return name === 'profile' ? 'CPU (profile)' : name;
}
