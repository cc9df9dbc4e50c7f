/**
 * Goroutines piling up: per function (the innermost non-runtime frame) in the latest snapshot, with
 * growth over the earlier ones. Named patterns: net/http persistConn readLoop/writeLoop (response
 * bodies not closed), goroutines blocked on a channel, a select, a sync primitive or a coroutine
 * (only another goroutine's send, close, cancel, Unlock, Done or resume can wake them: a context
 * never cancelled, a channel nobody closes, a lock never released, a WaitGroup never done). Wait
 * reasons are classified by shared/profile/legacy/waitreasons.ts, which knows every Go's names for
 * them (Go 1.19's "semacquire" and 1.20+'s "sync.Mutex.Lock", ...). Goroutines waiting for a
 * database/sql connection (in `database/sql.(*DB).conn`: the pool is exhausted, usually by Rows or
 * Tx never closed) are said so, and count from SQL_CONN_WAIT_MINUTES of waiting, however few.
 */
import type { GoroutineSnapshot } from '../../compare/types';
import { trendOf } from '../../compare/series';
import { fmtBytes, fmtMinutes } from '../format';
import {
  GOROUTINE_BYTES_ESTIMATE,
  GOROUTINE_GROWTH_MIN,
  GOROUTINE_PILEUP_HIGH,
  GOROUTINE_PILEUP_MIN,
  HTTP_PERSISTCONN_MIN,
  LONG_WAIT_MINUTES,
  SQL_CONN_WAIT_MINUTES,
} from '../thresholds';
import type { Finding, FindingKind, FindingLink, Severity } from '../types';
import { WAIT_FRAME as SQL_CONN_WAIT } from './sqlpool';
import { isActiveState, isBlockingWait, splitState, waitCategory } from '../../profile/legacy/waitreasons';

/** An HTTP client connection's two goroutines are one subject: the connection a body kept open. */
export const HTTP_SUBJECT = 'net/http.(*persistConn)';
export const HTTP_FUNCS: ReadonlySet<string> = new Set(['net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop']);
/** A net/http server's goroutine for one connection. */
const SERVER_CONN = 'net/http.(*conn).serve';
/**
 * A goroutine reading from its connection (bufio down to the poller). A client's readLoop doing so
 * is an idle keep-alive connection in its pool (a response body not read to the end and closed
 * keeps it in select, waiting for the body); a server's conn.serve doing so waits for the next
 * request on a connection its client keeps alive.
 */
function readsConnection(stack: readonly string[]): boolean {
  return stack.some((f) => f.startsWith('bufio.') || f.startsWith('net.') || f.startsWith('internal/poll.'));
}



interface FnGroup {
  subject: string;
  count: number;
  states: Map<string, number>;
  createdBy: string | null;
  maxWait: number | null;
  longWaiters: number;
  retained: number | null;
  stack: string[];
  system: boolean;
  parts: Map<string, number>;
  /** Goroutines waiting for a database/sql connection, and the longest wait among them (minutes). */
  sqlWait: number;
  sqlMaxWait: number | null;
  /** HTTP: readLoops of idle keep-alive connections (their bodies were closed). */
  httpIdle: number;
  /** HTTP server connections waiting for their next request. */
  serverIdle: number;
}

/** Aggregates one snapshot's groups per function (HTTP persistConn loops: one subject). */
function byFunction(s: GoroutineSnapshot): Map<string, FnGroup> {
  const out = new Map<string, FnGroup>();
  const biggest = new Map<string, number>();
  for (const g of s.groups) {
    const subject = HTTP_FUNCS.has(g.function) ? HTTP_SUBJECT : g.function;
    let f = out.get(subject);
    if (!f) {
      f = { subject, count: 0, states: new Map(), createdBy: null, maxWait: null, longWaiters: 0, retained: null, stack: g.stack, system: true, parts: new Map(), sqlWait: 0, sqlMaxWait: null, httpIdle: 0, serverIdle: 0 };
      out.set(subject, f);
    }
    f.count += g.count;
    f.parts.set(g.function, (f.parts.get(g.function) ?? 0) + g.count);
    if (g.state) f.states.set(g.state, (f.states.get(g.state) ?? 0) + g.count);
    if (!g.system) f.system = false;
    if ((biggest.get(subject) ?? -1) < g.count) {
      biggest.set(subject, g.count);
      f.stack = g.stack;
      if (g.createdBy) f.createdBy = g.createdBy;
    }
    if (g.maxWaitMinutes !== null && (f.maxWait === null || g.maxWaitMinutes > f.maxWait)) f.maxWait = g.maxWaitMinutes;
    if (g.function === 'net/http.(*persistConn).readLoop' && readsConnection(g.stack)) f.httpIdle += g.count;
    if (g.function === SERVER_CONN && readsConnection(g.stack)) f.serverIdle += g.count;
    if (g.stack.includes(SQL_CONN_WAIT)) {
      f.sqlWait += g.count;
      if (g.maxWaitMinutes !== null && (f.sqlMaxWait === null || g.maxWaitMinutes > f.sqlMaxWait)) f.sqlMaxWait = g.maxWaitMinutes;
    }
    for (const w of g.waits) if (w >= LONG_WAIT_MINUTES) f.longWaiters++;
    if (g.retainedBytes !== undefined) f.retained = (f.retained ?? 0) + g.retainedBytes;
  }
  return out;
}

function dominantState(f: FnGroup): string | null {
  let best: string | null = null;
  let n = -1;
  for (const [s, c] of f.states) {
    if (c > n || (c === n && best !== null && s < best)) {
      best = s;
      n = c;
    }
  }
  return best;
}

// Goroutines the runtime proved leaked are the same goroutines a dump also shows blocked: one finding.
const SPECIFICITY: Partial<Record<FindingKind, number>> = { 'goroutine-pileup': 1, 'goroutines-blocked': 2, 'http-body-not-closed': 3, 'leaked-goroutines': 4 };

/** How specific a goroutine finding's kind is (dedupe keeps the most specific). */
export function goroutineSpecificity(k: FindingKind): number {
  return SPECIFICITY[k] ?? 0;
}

export function isGoroutineKind(k: FindingKind): boolean {
  return goroutineSpecificity(k) > 0;
}

/**
 * Whether two goroutine findings about one function can be about the same goroutines: their wait
 * states agree, or one has none (a profile without states). A proven leak of one goroutine in an
 * empty select is not the eleven goroutines of that function waiting on the mutex it holds.
 */
export function sameGoroutines(a: Finding, b: Finding): boolean {
  const base = (f: Finding): string | null => (typeof f.evidence.state === 'string' && f.evidence.state !== '' ? splitState(f.evidence.state).state : null);
  const x = base(a);
  const y = base(b);
  return x === null || y === null || x === y;
}

/** "and N more in STATE" for a group's goroutines not in its title's state (the two commonest named). */
function otherStates(f: FnGroup, state: string): string[] {
  const others = [...f.states.entries()].filter(([s]) => s !== state).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (others.length === 0) return [];
  const total = others.reduce((n, [, c]) => n + c, 0);
  if (others.length === 1) return [`and ${total} more in ${others[0]![0]}`];
  const rest = total - others[0]![1] - others[1]![1];
  return [`and ${total} more: ${others.slice(0, 2).map(([s, c]) => `${c} in ${s}`).join(', ')}${rest > 0 ? `, ${rest} in other states` : ''}`];
}

/** Head and hint of a blocked-goroutines title. */
function blockedTitle(n: number, fn: string, state: string): { head: string; hint: string } {
  const who = `${n} goroutine${n === 1 ? '' : 's'}`;
  const base = splitState(state).state;
  if (base.startsWith('chan receive')) return { head: `${who} blocked on a channel receive in ${fn}`, hint: 'nothing sends to or closes the channel?' };
  if (base.startsWith('chan send')) return { head: `${who} blocked on a channel send in ${fn}`, hint: 'nothing receives from the channel?' };
  if (base === 'select (no cases)') return { head: `${who} blocked forever in an empty select in ${fn}`, hint: '' };
  if (base === 'sync.Mutex.Lock' || base === 'sync.RWMutex.Lock') return { head: `${who} waiting to lock a mutex in ${fn}`, hint: 'a lock never released (a missing Unlock on some path)?' };
  if (base === 'sync.RWMutex.RLock') return { head: `${who} waiting to read-lock an RWMutex in ${fn}`, hint: 'a writer holding the lock forever?' };
  if (base === 'sync.WaitGroup.Wait') return { head: `${who} waiting on a sync.WaitGroup in ${fn}`, hint: 'a Done never called (Add without Done)?' };
  if (base === 'sync.Cond.Wait') return { head: `${who} waiting on a sync.Cond in ${fn}`, hint: 'nothing signals or broadcasts it?' };
  if (waitCategory(base) === 'sync') return { head: `${who} blocked on a sync primitive in ${fn}`, hint: 'a lock never released or a WaitGroup never done?' };
  if (waitCategory(base) === 'coroutine') return { head: `${who} parked in iter.Pull coroutines in ${fn}`, hint: 'the stop function never called?' };
  return { head: `${who} stuck in select in ${fn}`, hint: 'a context never cancelled or a channel never closed?' };
}

/**
 * Findings for a series of goroutine snapshots of one process (ordered, latest last). `what` names
 * the snapshots ("goroutine profiles", "heap dumps").
 */
export function goroutineFindings(snaps: ReadonlyArray<{ name: string; snapshot: GoroutineSnapshot }>, what: string): Finding[] {
  if (snaps.length === 0) return [];
  const groups = snaps.map((s) => byFunction(s.snapshot));
  const last = groups[groups.length - 1]!;
  const lastName = snaps[snaps.length - 1]!.name;
  const firstName = snaps[0]!.name;
  const names = snaps.map((s) => s.name);
  const out: Finding[] = [];
  for (const f of last.values()) {
    if (f.system) continue;
    const state = dominantState(f);
    if (state !== null && isActiveState(state) && f.states.size === 1) continue;
    const counts = groups.map((g) => g.get(f.subject)?.count ?? 0);
    const t = trendOf(f.subject, f.subject, counts);
    const isHttp = f.subject === HTTP_SUBJECT;
    // Idle keep-alive connections are the pool's, by design: only those waiting for a body count.
    if (isHttp && f.httpIdle > 0 && f.httpIdle >= (f.parts.get('net/http.(*persistConn).readLoop') ?? 0)) continue;
    const min = isHttp ? HTTP_PERSISTCONN_MIN : GOROUTINE_PILEUP_MIN;
    // Most of them wait for a database connection: a few waiting long is already a pool run dry.
    const sql = f.sqlWait * 2 > f.count;
    // HTTP: two goroutines per connection waiting for its body.
    const counted = isHttp ? f.count - 2 * f.httpIdle : f.count;
    const big = counted >= min || (sql && f.sqlMaxWait !== null && f.sqlMaxWait >= SQL_CONN_WAIT_MINUTES);
    const growing = counts.length >= 2 && t.monotonic && t.growth >= GOROUTINE_GROWTH_MIN;
    if (!big && !growing) continue;
    const longWait = f.maxWait !== null && f.maxWait >= LONG_WAIT_MINUTES;
    const severity: Severity = (growing && big) || f.count >= GOROUTINE_PILEUP_HIGH || (big && longWait) ? 'high' : 'medium';
    const kind: FindingKind = isHttp ? 'http-body-not-closed' : state !== null && isBlockingWait(state) ? 'goroutines-blocked' : 'goroutine-pileup';
    let head: string;
    let hint = '';
    if (kind === 'http-body-not-closed') {
      const conns = Math.max(f.parts.get('net/http.(*persistConn).readLoop') ?? 0, f.parts.get('net/http.(*persistConn).writeLoop') ?? 0) - f.httpIdle;
      head = `${conns} HTTP client connection${conns === 1 ? '' : 's'} kept open: response bodies never closed`;
    } else if (sql && kind === 'goroutines-blocked') {
      head = `${f.sqlWait} goroutine${f.sqlWait === 1 ? '' : 's'} waiting for a database/sql connection in ${f.subject}`;
      hint = 'the pool is exhausted: slow queries holding its connections, or a Rows, Tx or Conn never closed (defer rows.Close())?';
    } else if (kind === 'goroutines-blocked') ({ head, hint } = blockedTitle(f.states.get(state!) ?? f.count, f.subject, state!));
    else if (f.serverIdle * 2 > f.count) {
      head = `${f.serverIdle} idle HTTP server connection${f.serverIdle === 1 ? '' : 's'} kept alive (${f.subject} waiting for the next request)`;
      hint = 'clients keep them open; Server.IdleTimeout bounds how long';
    } else head = `${f.count} goroutines piled up in ${f.subject}${state ? ` [${state}]` : ''}`;
    const details: string[] = [];
    // The title counts the goroutines in its state; the function's others are named beside it (the
    // goroutine holding a lock the rest wait for is often one of them).
    if (kind === 'goroutines-blocked' && !sql) details.push(...otherStates(f, state!));
    if (kind === 'http-body-not-closed') details.push(`${f.count} persistConn readLoop/writeLoop goroutines`);
    if (growing) details.push(`up from ${t.first} over ${counts.length} ${what}`);
    if (longWait || (sql && f.sqlMaxWait !== null && f.sqlMaxWait >= SQL_CONN_WAIT_MINUTES)) details.push(`waiting up to ${fmtMinutes(f.maxWait!)}`);
    if (f.createdBy && kind !== 'http-body-not-closed') details.push(`started by ${f.createdBy}`);
    if (f.retained !== null && f.retained > 0) details.push(`retaining ${fmtBytes(f.retained)}`);
    const title = `${head}${details.length > 0 ? ` (${details.join('; ')})` : ''}${hint ? `: ${hint}` : ''}`;
    const evidence: Finding['evidence'] = {
      count: f.count,
      function: f.subject,
      stack: f.stack,
      counts,
      snapshots: names,
      growth: t.growth,
    };
    if (state !== null) evidence.state = state;
    if (f.states.size > 0) evidence.states = [...f.states.entries()].sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s}: ${c}`);
    if (f.createdBy) evidence.createdBy = f.createdBy;
    if (f.maxWait !== null) {
      evidence.longestWaitMinutes = Math.round(f.maxWait * 100) / 100;
      evidence.waitingAtLeastThreshold = f.longWaiters;
    }
    if (f.retained !== null) evidence.retainedBytes = f.retained;
    if (sql) evidence.waitingForSqlConn = f.sqlWait;
    if (f.serverIdle > 0) evidence.idleServerConns = f.serverIdle;
    if (isHttp) for (const [fn, c] of f.parts) evidence[fn.slice('net/http.(*persistConn).'.length)] = c;
    const link: FindingLink = { view: 'goroutines', file: lastName, function: f.subject };
    if (snaps.length >= 2) link.base = firstName;
    if (state !== null) link.state = state;
    const size = f.retained ?? f.count * GOROUTINE_BYTES_ESTIMATE;
    out.push({ severity, kind, title, subject: f.subject, evidence, link, size, sources: growing ? names : [lastName] });
  }
  return out;
}
