/**
 * database/sql connections never given back (a heap dump, with the program's binary). A `Rows` that
 * is dropped before `Close` (an early return without `defer rows.Close()`), a `Tx` never committed
 * or rolled back, a `Conn` never closed keep their connection in use: the pool counts it open and
 * never hands it out again. Once `SetMaxOpenConns` of them are lost, every query waits in
 * `database/sql.(*DB).conn` forever. Go's leak detector does not see those waiters (the channel they
 * wait on is reachable from the DB), and the connection objects are too small for a profile.
 *
 * Read from the dump: each reachable `database/sql.DB`'s fields (`numOpen`, `maxOpen`, `freeConn`,
 * `connRequests`, `waitCount`, `waitDuration`: the same names from Go 1.19 to 1.27) and its
 * `driverConn`s with `inUse` set. A connection in use is held by whoever uses it: the `Rows`, `Tx`,
 * `Conn` or `Stmt`, or the goroutine in the middle of a query. One that only the pool's own
 * bookkeeping (its `dep` map) and database/sql's `awaitDone` goroutines reach (a dropped Tx's, a
 * Rows' under a context never cancelled) was dropped while in use: nothing can give it back. The
 * goroutines waiting for a connection are named by their program function.
 */
import type { FieldRow, HeapAnalysis } from '../../heap';
import { plural } from '../format';
import { SQL_LEAKED_CONNS_MIN } from '../thresholds';
import type { Finding } from '../types';
import { programFunction, type DumpReader } from './heap';
import { nearestRootName } from './names';
import { valueWord } from './words';

const DB = 'database/sql.DB';
const CONN = 'database/sql.driverConn';
/** Where a goroutine waits for a connection from the pool. */
export const WAIT_FRAME = 'database/sql.(*DB).conn';
/** The goroutines that close a Tx, or a Rows with a cancellable context, when its context is done. */
const AWAIT_DONE: ReadonlySet<string> = new Set(['database/sql.(*Tx).awaitDone', 'database/sql.(*Rows).awaitDone']);
/** Functions listed in the title at most. */
const WAITERS_SHOWN = 2;

interface Pool {
  db: number;
  conns: number[];
}

export function sqlConnectionLeaks(a: HeapAnalysis, dump: string, read?: DumpReader): Finding[] {
  const T = a.types;
  if (!T || !read) return [];
  // Most programs never use database/sql: its types are not even in the dump's.
  if (!T.entries.some((e) => e.name === DB)) return [];
  const g = a.graph;
  const F = g.firstObject;
  const pools = new Map<number, Pool>();
  const conns: number[] = [];
  for (let v = F; v < g.nodeCount; v++) {
    const en = T.entryOf(v - F);
    if (!en || en.array || !a.isReachable(v)) continue;
    if (en.name === DB) pools.set(v, { db: v, conns: [] });
    else if (en.name === CONN) conns.push(v);
  }
  if (pools.size === 0) return [];
  const fieldsOf = (v: number): FieldRow[] => a.objectDetails({ node: v }, 0, 0, read, 0).fields ?? [];
  for (const c of conns) {
    const fs = fieldsOf(c);
    const db = fs.find((f) => f.name === 'db')?.node;
    if (db === undefined || field(fs, 'inUse') !== 'true') continue;
    pools.get(db)?.conns.push(c);
  }
  const out: Finding[] = [];
  const reached = anyInUse(pools) ? heldOutsidePools(a, new Set(pools.keys())) : null;
  for (const p of pools.values()) {
    const leaked = reached ? p.conns.filter((c) => !reached[c]) : [];
    const fs = fieldsOf(p.db);
    const open = num(field(fs, 'numOpen'));
    const max = num(field(fs, 'maxOpen'));
    const idle = sliceLen(field(fs, 'freeConn'));
    const waiting = pendingRequests(a, read, fs);
    const exhausted = max > 0 && open >= max && idle === 0;
    if (leaked.length < SQL_LEAKED_CONNS_MIN && !(leaked.length > 0 && waiting > 0)) continue;
    const name = nearestRootName(a, p.db);
    const inUse = p.conns.length;
    const waitNs = num(field(fs, 'waitDuration') ?? field(fs, 'waitDuration.v'));
    const waitCount = num(field(fs, 'waitCount'));
    const fns = [...waitingFunctions(a, p.db).entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const where = fns.length ? `, in ${fns.slice(0, WAITERS_SHOWN).map(([f, n]) => `${f} (${n})`).join(', ')}${fns.length > WAITERS_SHOWN ? ' and others' : ''}` : '';
    const pool = max > 0 ? `of ${open} open, SetMaxOpenConns ${max}` : `of ${open} open, no SetMaxOpenConns limit`;
    const held = `${plural(leaked.length, 'connection')} in use that nothing holds (${pool}): a Rows, Tx or Conn dropped without Close`;
    const wait = waiting > 0 ? `; ${plural(waiting, 'query', 'queries')} wait for a connection${where}` : exhausted ? '; the pool is exhausted: the next query waits forever' : '';
    const evidence: Finding['evidence'] = {
      openConns: open,
      maxOpenConns: max,
      idleConns: idle,
      inUseConns: inUse,
      leakedConns: leaked.length,
      waitingQueries: waiting,
      waitCount,
      waitDurationNs: waitNs,
    };
    // Not the finding's location: the waiters are where the lost connections are missed, not lost.
    if (fns.length) evidence.waitingIn = fns.map(([f, n]) => `${f}: ${plural(n, 'goroutine')}`);
    out.push({
      severity: waiting > 0 || exhausted ? 'high' : 'medium',
      kind: 'sql-conn-leak',
      title: `database/sql pool ${name}: ${held}${wait}`,
      subject: name,
      evidence,
      link: { view: 'heap', dump, object: `0x${a.objectAddress(p.db).toString(16)}` },
      size: leaked.length,
      sources: [dump],
    });
  }
  return out;
}

function field(fs: readonly FieldRow[], name: string): string | undefined {
  return fs.find((f) => f.name === name)?.value;
}

function num(v: string | undefined): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** "len 3 cap 4 → 0x…" → 3; nil → 0. */
function sliceLen(v: string | undefined): number {
  const m = v ? /^len (\d+)/.exec(v) : null;
  return m ? Number(m[1]) : 0;
}

/** Queries waiting for a connection: `connRequests` (a map to Go 1.22, a set with a slice from 1.23). */
function pendingRequests(a: HeapAnalysis, read: DumpReader, fs: readonly FieldRow[]): number {
  const set = field(fs, 'connRequests.s');
  if (set !== undefined) return sliceLen(set);
  const m = fs.find((f) => f.name === 'connRequests');
  if (m?.node === undefined) return 0;
  const en = a.types?.entryOf(m.node - a.graph.firstObject);
  return en ? (valueWord(a, read, m.node, en.base) ?? 0) : 0;
}

function anyInUse(pools: ReadonlyMap<number, Pool>): boolean {
  for (const p of pools.values()) if (p.conns.length) return true;
  return false;
}

/**
 * What the program still holds: objects reachable from the roots without passing through a pool
 * (its `dep` map lists every connection) or the goroutine database/sql starts to close a Tx, or a
 * Rows whose context can be cancelled, when that context is done (`awaitDone`): a dropped Tx, or a
 * Rows under a context never cancelled, is held by that goroutine alone, forever.
 */
function heldOutsidePools(a: HeapAnalysis, dbs: ReadonlySet<number>): Uint8Array {
  const g = a.graph;
  const seen = new Uint8Array(g.nodeCount);
  const { start, targets } = g.fwd;
  const stack: number[] = [];
  for (let r = 1; r <= g.rootCount; r++) {
    const fr = g.roots[r - 1]!.goroutine?.frames;
    if (fr && fr.some((f) => AWAIT_DONE.has(f))) continue;
    seen[r] = 1;
    stack.push(r);
  }
  while (stack.length) {
    const v = stack.pop()!;
    if (dbs.has(v)) continue;
    for (let e = start[v]!; e < start[v + 1]!; e++) {
      const w = targets[e]!;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return seen;
}

/** Goroutines waiting for a connection of the pool `db` (their stack points at it), by the program function that asked. */
function waitingFunctions(a: HeapAnalysis, db: number): Map<string, number> {
  const out = new Map<string, number>();
  const { start, targets } = a.graph.fwd;
  for (const r of a.graph.roots) {
    const fr = r.goroutine?.frames;
    if (!fr || !fr.includes(WAIT_FRAME)) continue;
    let mine = false;
    for (let e = start[r.node]!; e < start[r.node + 1]! && !mine; e++) mine = targets[e] === db;
    if (!mine) continue;
    const fn = programFunction(fr) ?? WAIT_FRAME;
    out.set(fn, (out.get(fn) ?? 0) + 1);
  }
  return out;
}
