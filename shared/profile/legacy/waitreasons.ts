/**
 * Go's goroutine wait reasons and statuses, as tracebacks (`?debug=2`, panics) and heap dumps print
 * them, Go 1.19 to 1.27, classified for rules and views. Every comparison of a goroutine state with
 * a wait reason goes through this module, so a rule written for `chan receive` or `semacquire`
 * knows what newer Go calls the same thing.
 *
 * Sources: runtime2.go `waitReasonStrings` and traceback.go `goroutineheader` of 1.19, 1.26.8 and
 * 1.27.3 (identical lists in 1.26 and 1.27), and the 1.24 list for the `(synctest)` variants that
 * 1.26 renamed `(durable)`. Confirmed on real dumps of each version (test/fixtures/modern/goroutines).
 *
 * How a state is printed, inside the header's brackets:
 *   `[<reason or status>[ (leaked)][ (scan)][ (durable)][, N minutes][, locked to thread][, synctest bubble N]`
 * where the reason itself may already end in ` (durable)` (`chan receive (durable)`, 1.26+) or
 * ` (synctest)` (1.24–1.25). `splitState` takes the suffixes off.
 */

/** What kind of wait a goroutine is in. */
export type WaitCategory =
  /** Blocked on a channel send or receive (also on a nil channel). */
  | 'channel'
  /** Blocked in a select (also an empty select). */
  | 'select'
  /** Blocked on a sync primitive: Mutex, RWMutex, WaitGroup, Cond, or the pre-1.20 `semacquire`. */
  | 'sync'
  /** An iter.Pull coroutine waiting to be resumed. */
  | 'coroutine'
  /** Waiting for the network poller (sockets, pipes). */
  | 'io'
  /** time.Sleep. */
  | 'sleep'
  /** In a system call. */
  | 'syscall'
  /** On a CPU right now. */
  | 'running'
  /** Ready to run (or preempted). */
  | 'runnable'
  /** A synctest bubble's own waits (synctest.Run, synctest.Wait). */
  | 'synctest'
  /** Garbage collector, finalizer and cleanup goroutines. */
  | 'gc'
  /** Other runtime-internal waits and statuses. */
  | 'runtime'
  /** Not a reason Heapscope knows. */
  | 'unknown';

export interface WaitReason {
  /** Exactly as the runtime prints it, without the (leaked)/(durable)/(scan) suffixes. */
  reason: string;
  category: WaitCategory;
  /** First Go version that prints it ("1.19" for reasons as old as the oldest version Heapscope reads). */
  since: string;
  /** Last Go version that printed it, when it is gone. */
  until?: string;
  /** A status (gStatusStrings) rather than a wait reason. */
  status?: boolean;
}

const R = (reason: string, category: WaitCategory, since = '1.19', extra: Partial<WaitReason> = {}): WaitReason => ({ reason, category, since, ...extra });

/** Every wait reason and status Go 1.19–1.27 prints (without suffixes). */
export const WAIT_REASONS: readonly WaitReason[] = [
  // Channels and select.
  R('chan receive', 'channel'),
  R('chan send', 'channel'),
  R('chan receive (nil chan)', 'channel'),
  R('chan send (nil chan)', 'channel'),
  R('select', 'select'),
  R('select (no cases)', 'select'),
  // Sync primitives. Before 1.20 (1.24 for WaitGroup) all of them printed "semacquire".
  R('semacquire', 'sync'),
  R('sync.Cond.Wait', 'sync'),
  R('sync.Mutex.Lock', 'sync', '1.20'),
  R('sync.RWMutex.RLock', 'sync', '1.20'),
  R('sync.RWMutex.Lock', 'sync', '1.20'),
  R('sync.WaitGroup.Wait', 'sync', '1.24'),
  R('coroutine', 'coroutine', '1.23'),
  R('IO wait', 'io'),
  R('sleep', 'sleep'),
  // synctest (1.24 experiment, 1.25+).
  R('synctest.Run', 'synctest', '1.24'),
  R('synctest.Wait', 'synctest', '1.24'),
  // GC, finalizers, cleanups.
  R('GC assist marking', 'gc'),
  R('GC assist wait', 'gc'),
  R('GC sweep wait', 'gc'),
  R('GC scavenge wait', 'gc'),
  R('GC worker (idle)', 'gc'),
  R('GC worker (active)', 'gc', '1.21'),
  R('GC mark termination', 'gc', '1.21'),
  R('GC weak to strong wait', 'gc', '1.24'),
  R('garbage collection', 'gc'),
  R('garbage collection scan', 'gc'),
  R('wait for GC cycle', 'gc'),
  R('force gc (idle)', 'gc'),
  R('finalizer wait', 'gc'),
  R('cleanup wait', 'gc', '1.25'),
  // Other runtime waits.
  R('dumping heap', 'runtime'),
  R('panicwait', 'runtime'),
  R('trace reader (blocked)', 'runtime'),
  R('timer goroutine (idle)', 'runtime', '1.19', { until: '1.22' }),
  R('preempted', 'runtime'),
  R('debug call', 'runtime'),
  R('stopping the world', 'runtime', '1.21'),
  R('flushing proc caches', 'runtime', '1.21'),
  R('trace goroutine status', 'runtime', '1.21'),
  R('trace proc status', 'runtime', '1.21'),
  R('page trace flush', 'runtime', '1.21'),
  R('GOMAXPROCS updater (idle)', 'runtime', '1.25'),
  // Statuses, printed when a goroutine has no wait reason.
  R('running', 'running', '1.19', { status: true }),
  R('runnable', 'runnable', '1.19', { status: true }),
  R('syscall', 'syscall', '1.19', { status: true }),
  R('waiting', 'runtime', '1.19', { status: true }),
  R('idle', 'runtime', '1.19', { status: true }),
  R('dead', 'runtime', '1.19', { status: true }),
  R('copystack', 'runtime', '1.19', { status: true }),
  R('leaked', 'runtime', '1.26', { status: true }),
  R('waiting for cgo callback', 'runtime', '1.26', { status: true }),
  R('???', 'unknown', '1.19', { status: true }),
];

const BY_REASON = new Map(WAIT_REASONS.map((w) => [w.reason, w]));

/** The entry for a wait reason (suffixes are taken off first), or undefined when Go never printed it. */
export function waitReason(state: string): WaitReason | undefined {
  return BY_REASON.get(splitState(state).state);
}

/** The category of a state as printed (`chan receive (leaked)` → channel). */
export function waitCategory(state: string | null | undefined): WaitCategory {
  if (!state) return 'unknown';
  const base = splitState(state).state;
  const w = BY_REASON.get(base);
  if (w) return w.category;
  // Reasons of a Go newer than this table, named like the known ones.
  if (base.startsWith('chan ')) return 'channel';
  if (base.startsWith('select')) return 'select';
  if (base.startsWith('sync.')) return 'sync';
  if (base.startsWith('GC ')) return 'gc';
  return 'unknown';
}

/**
 * Goroutines only another goroutine can wake: a send, a close, an Unlock, a Done, a Signal, a
 * resume (channel, select, sync, coroutine). The goroutine leak detector judges the same set.
 */
export function isBlockingWait(state: string | null | undefined): boolean {
  const c = waitCategory(state);
  return c === 'channel' || c === 'select' || c === 'sync' || c === 'coroutine';
}

/** On a CPU or about to be: never a pile-up by itself. */
export function isActiveState(state: string | null | undefined): boolean {
  const c = waitCategory(state);
  return c === 'running' || c === 'runnable';
}

/** The runtime's own goroutines' waits (GC workers, finalizers, trace reader, ...). */
export function isRuntimeWait(state: string | null | undefined): boolean {
  const c = waitCategory(state);
  return c === 'gc' || c === 'runtime';
}

export interface SplitState {
  /** The wait reason or status without the suffixes ("chan receive"). */
  state: string;
  /** ` (leaked)`: the leak detector proved nothing can ever wake it (1.26 experiment, 1.27). */
  leaked: boolean;
  /** ` (durable)` (1.26+) or ` (synctest)` (1.24–1.25): durably blocked inside a synctest bubble. */
  durable: boolean;
  /** ` (scan)`: the GC was scanning its stack at that instant. */
  scan: boolean;
}

const SUFFIX_RE = / \((leaked|durable|synctest|scan)\)$/;

/** Takes ` (leaked)`, ` (durable)`, ` (synctest)` and ` (scan)` off a state, in any order. */
export function splitState(s: string): SplitState {
  const out: SplitState = { state: s, leaked: false, durable: false, scan: false };
  for (let m = SUFFIX_RE.exec(out.state); m; m = SUFFIX_RE.exec(out.state)) {
    out.state = out.state.slice(0, m.index);
    if (m[1] === 'leaked') out.leaked = true;
    else if (m[1] === 'scan') out.scan = true;
    else out.durable = true;
  }
  return out;
}

/** The sync method frame a goroutine is blocked in → the wait reason Go 1.20+ (1.24+ for WaitGroup) prints for it. */
const SYNC_METHOD: ReadonlyArray<[RegExp, string]> = [
  [/^(?:internal\/)?sync\.\(\*Mutex\)\.Lock$/, 'sync.Mutex.Lock'],
  [/^sync\.\(\*RWMutex\)\.RLock$/, 'sync.RWMutex.RLock'],
  [/^sync\.\(\*RWMutex\)\.Lock$/, 'sync.RWMutex.Lock'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'sync.WaitGroup.Wait'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'sync.Cond.Wait'],
];

/**
 * Mutex.Lock is inlined into its caller, so a heap dump's frames (physical frames only, unlike a
 * debug=2 dump's) show only its slow path. Read after the methods: an RWMutex.Lock waiting for its
 * writer mutex goes through it too.
 */
const SYNC_SLOW_PATH: ReadonlyArray<[RegExp, string]> = [[/^(?:internal\/)?sync\.\(\*Mutex\)\.lockSlow$/, 'sync.Mutex.Lock']];

function syncReasonOf(frames: readonly string[]): string | null {
  for (const table of [SYNC_METHOD, SYNC_SLOW_PATH]) {
    for (const f of frames) {
      for (const [re, reason] of table) if (re.test(f)) return reason;
    }
  }
  return null;
}

/**
 * The wait reason as the newest Go prints it: Go 1.19's `semacquire` becomes `sync.Mutex.Lock`,
 * `sync.RWMutex.RLock`, `sync.RWMutex.Lock` or `sync.WaitGroup.Wait` by the sync method in the
 * stack (innermost first), so the same program's goroutines get the same state on every version.
 * Other states (and semacquire with no sync frame: a user of runtime semaphores) are returned
 * without suffixes, unchanged.
 */
export function normalizeWaitReason(state: string, frames: readonly string[]): string {
  const base = splitState(state).state;
  if (base !== 'semacquire') return base;
  return syncReasonOf(frames) ?? base;
}

/** The innermost runtime frames of a parked goroutine → its wait reason (as Go prints it). */
const STATE_BY_FRAME: ReadonlyArray<[RegExp, string]> = [
  [/^runtime\.chanrecv/, 'chan receive'],
  [/^runtime\.chansend/, 'chan send'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.block$/, 'select (no cases)'],
  [/^runtime\.coroswitch/, 'coroutine'],
  [/^(?:sync\.runtime_notifyListWait|runtime\.notifyListWait)$/, 'sync.Cond.Wait'],
  [/^(?:internal\/)?sync\.runtime_SemacquireMutex$/, 'sync.Mutex.Lock'],
  [/^sync\.runtime_SemacquireRWMutexR$/, 'sync.RWMutex.RLock'],
  [/^sync\.runtime_SemacquireRWMutex$/, 'sync.RWMutex.Lock'],
  [/^sync\.runtime_SemacquireWaitGroup$/, 'sync.WaitGroup.Wait'],
  [/^(?:sync\.runtime_Semacquire|runtime\.semacquire1?|internal\/sync\.runtime_Semacquire)$/, 'semacquire'],
  [/^(?:internal\/poll\.runtime_pollWait|runtime\.netpollblock|runtime\.poll_runtime_pollWait)$/, 'IO wait'],
  [/^(?:time\.Sleep|runtime\.timeSleep)$/, 'sleep'],
];

/**
 * The wait reason of a goroutine known only by its stack (proto goroutine profiles, which carry no
 * states), innermost frame first: the sync method if there is one, else the first frame naming a
 * blocking primitive; null when none does.
 */
export function inferWaitReason(frames: readonly string[]): string | null {
  const sync = syncReasonOf(frames);
  if (sync) return sync;
  for (const f of frames) {
    for (const [re, state] of STATE_BY_FRAME) if (re.test(f)) return normalizeWaitReason(state, frames);
  }
  return null;
}
