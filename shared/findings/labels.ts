/**
 * One label per evidence key, for every place that shows evidence to a person (the app's findings
 * panel, the HTML report). Labels never name a unit: the value is printed in its own unit (bytes
 * as KiB/MiB, waits as s/min/h, shares as %), so a label like "longest wait minutes" above "1 s"
 * cannot happen. Keys without an entry get their words, unit words removed.
 */

export const EVIDENCE_LABELS: Readonly<Record<string, string>> = {
  retainedBytes: 'Retained',
  retainedObjects: 'Objects retained',
  retainedCount: 'Objects retained',
  shareOfReachable: 'Share of live heap',
  reachableBytes: 'Live heap',
  accumulationPoint: 'Accumulation point',
  accumulationRetainedBytes: 'Accumulation retains',
  accumulationChildren: 'Accumulation children',
  accumulationAllocSite: 'Accumulation allocated at',
  biggestSites: 'Biggest sites',
  biggestSiteCaller: 'Biggest site called by',
  holdsMap: 'Holds a map',
  filledBy: 'Filled by',
  sharingGoroutines: 'Goroutines sharing them',
  objectsShown: 'Some of them',
  sampledObjectsOnly: 'Sampled objects only',
  allocatedVia: 'Allocated through',
  values: 'Per snapshot',
  snapshots: 'Snapshots',
  first: 'First',
  last: 'Last',
  growthBytes: 'Growth',
  growth: 'Growth',
  growthShareOfLast: 'Growth, share of last total',
  growthRatio: 'Growth ratio',
  slopeBytesPerSnapshot: 'Slope',
  slopeBytesPerSecond: 'Slope per second',
  slopeBytesPerGc: 'Slope per GC',
  slopePerSecond: 'Slope per second',
  r2: 'Linear fit r²',
  monotonic: 'Monotonic',
  increases: 'Steps up',
  decreases: 'Steps down',
  steadyShare: 'Steady steps',
  nonDecreasingShare: 'Steps not going down',
  sampleType: 'Sample type',
  arrays: 'Arrays',
  arrayBytes: 'Array size',
  usedBytes: 'In use',
  wastedBytes: 'Wasted',
  wastedShareOfReachable: 'Wasted, share of live heap',
  arraySite: 'Arrays allocated at',
  sampledArrays: 'Arrays with an allocation sample',
  arraysCaller: 'Allocated for',
  otherArraySites: 'Also allocated at',
  holderRetainedBytes: 'Holder retains',
  holderType: 'Holder type',
  holder: 'Held by',
  pointerOffsets: 'Pointer offsets',
  lengthsRead: 'Slice lengths read',
  exampleArray: 'Example array',
  referrerSite: 'Slices allocated at',
  count: 'Goroutines',
  counts: 'Per snapshot',
  state: 'State',
  states: 'States',
  stack: 'Stack',
  longestWaitMinutes: 'Longest wait',
  maxWaitMinutes: 'Longest wait',
  waitMinutes: 'Wait',
  waitingAtLeastThreshold: 'Waiting long',
  createdBy: 'Created by',
  function: 'Function',
  firstLiveBytes: 'First live heap',
  lastLiveBytes: 'Last live heap',
  earlyMeanLiveBytes: 'Early mean live heap',
  lateMeanLiveBytes: 'Late mean live heap',
  lastGoalBytes: 'Last heap goal',
  memlabBytes: 'Still alive in the last dump',
  seconds: 'Time span',
  plateauFromGc: 'Held from GC',
  plateauSeconds: 'Held for',
  // leaked-goroutines (the goroutine leak profile)
  provenBy: 'Proved by',
  form: 'Read from',
  stacks: 'Stacks',
  stackCounts: 'Goroutines per stack',
  labels: 'pprof labels',
  labelCounts: 'Goroutines per label set',
  goroutineIds: 'Goroutine ids',
  creatorGoroutines: 'Created in goroutine',
  // sql-conn-leak
  openConns: 'Connections open',
  maxOpenConns: 'Max open (SetMaxOpenConns)',
  idleConns: 'Idle',
  inUseConns: 'In use',
  leakedConns: 'In use, held by nothing',
  waitingQueries: 'Queries waiting',
  waitCount: 'Waits so far',
  waitDurationNs: 'Time waited so far',
  waitingIn: 'Waiting in',
  waitingForSqlConn: 'Waiting for a database connection',
  idleServerConns: 'Idle server connections',
  // context-not-cancelled
  children: 'Contexts in its children map',
  childrenFound: 'Derived contexts found',
  cancelFuncHolders: 'Cancel funcs kept by',
  cancelFuncsDropped: 'Cancel funcs dropped',
  withDeadline: 'With a deadline',
  parent: 'Parent context',
  // sparse-map
  entries: 'Entries',
  slots: 'Slots',
  fillShare: 'Full',
  storageBytes: 'Storage',
  mapType: 'Map type',
  header: 'Map header',
  // any finding that absorbed another rule's finding about the same thing (engine mergeDuplicates)
  alsoFoundBy: 'Also found by',
  // retained-by-root of an object several roots share
  sharedBy: 'Roots that reach it',
  objects: 'Objects',
  sharedByMore: 'More roots reach it',
};

/** Unit words a label must not carry (the value shows its unit). */
const UNIT_WORDS = /^(?:bytes|minutes|seconds|nanos|nanoseconds|ns|ms)$/;

export function evidenceLabel(key: string): string {
  const l = EVIDENCE_LABELS[key];
  if (l) return l;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter((w) => !UNIT_WORDS.test(w));
  const s = (words.length > 0 ? words : [key]).join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The unit an evidence number is in, from its key: how to print it. */
export function evidenceNumberUnit(key: string): 'bytes' | 'minutes' | 'share' | 'plain' {
  if (/minutes$/i.test(key)) return 'minutes';
  if (/share/i.test(key)) return 'share';
  if (/bytes/i.test(key)) return 'bytes';
  return 'plain';
}

/**
 * Minutes in the unit that reads best: "45 s", "12 min", "2.5 h". Zero reads "< 1 min": a debug=2
 * dump prints whole minutes from one minute on, so 0 is any wait under a minute, and a heap dump's
 * waits are lower bounds (the newest wait start in the dump is its zero).
 */
export function formatWaitMinutes(m: number): string {
  if (m <= 0) return '< 1 min';
  if (m < 1) return `${Math.max(1, Math.round(m * 60))} s`;
  if (m < 120) return `${Math.round(m)} min`;
  return `${(m / 60).toFixed(1).replace(/\.0$/, '')} h`;
}
