/**
 * Transparent huge pages for the process that holds an analysis (Linux with glibc).
 *
 * An analysis writes hundreds of MB of fresh typed arrays (a 1 GB heap dump: ~1.9 GB over its
 * phases, 475k first touches of a 4 KB page). Every first touch is a page fault, and on a virtual
 * machine a fault can cost 7–10 µs: on the second bench host that was ~4.7 s of a 12–14 s analysis.
 * Backed by 2 MB pages the same run takes ~15k faults (`npm run bench -- speed` prints both).
 *
 * Most distributions set the kernel's THP mode to `madvise`: only memory a process marks gets huge
 * pages. V8 allocates ArrayBuffers through the C library's malloc, and glibc ≥ 2.35 marks its
 * big allocations when the environment says `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`. The C
 * library reads that once, when a process starts, and a worker thread shares its process: so the
 * process must start with it. `heapscope serve` and commands given big files start themselves
 * again with it (cli/relaunch.ts).
 *
 * The Electron app does not: since Electron 21 its ArrayBuffers live in V8's memory cage and are
 * allocated by V8, not by the C library, so the tunable would not reach them (read in Electron's
 * docs, not measured: no Electron binary on the machines this was built on).
 *
 * Nothing changes where it would not help: THP mode `always` (already huge) or `never`, another
 * C library, another OS, or `HEAPSCOPE_HUGEPAGES=0`.
 */
import { readFileSync } from 'node:fs';

export const HUGETLB_TUNABLE = 'glibc.malloc.hugetlb=1';
/** The first glibc that knows the tunable (older ones ignore it). */
const MIN_GLIBC: readonly [number, number] = [2, 35];

export interface HugePageProbe {
  platform: string;
  /** The kernel's THP mode (the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled), null if unknown. */
  thpMode(): string | null;
  /** The running glibc's version ("2.36"); null when the C library is not glibc. */
  glibcVersion(): string | null;
}

export const systemProbe: HugePageProbe = {
  platform: process.platform,
  thpMode() {
    try {
      return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  },
  glibcVersion() {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: unknown } } | undefined)?.header;
    return typeof header?.glibcVersionRuntime === 'string' ? header.glibcVersionRuntime : null;
  },
};

export type Env = Readonly<Record<string, string | undefined>>;

export type HugePageDecision = { env: Record<string, string | undefined> } | { skip: string };

function glibcAtLeast(v: string, min: readonly [number, number]): boolean {
  const m = /^(\d+)\.(\d+)/.exec(v);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

/**
 * The environment a process should start with to get huge pages, or why not. Probes are asked in
 * order of cost (the glibc version builds a process report: ~8 ms), only as far as needed.
 */
export function hugePageEnv(env: Env, probe: HugePageProbe = systemProbe): HugePageDecision {
  if (env.HEAPSCOPE_HUGEPAGES === '0') return { skip: 'turned off by HEAPSCOPE_HUGEPAGES=0' };
  if (probe.platform !== 'linux') return { skip: `not Linux (${probe.platform})` };
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return { skip: `GLIBC_TUNABLES already sets glibc.malloc.hugetlb (${tunables})` };
  const mode = probe.thpMode();
  if (mode !== 'madvise') {
    return { skip: mode === 'always' ? 'the kernel already backs big allocations with huge pages (THP always)' : `transparent huge pages are ${mode ?? 'not available'}` };
  }
  const glibc = probe.glibcVersion();
  if (glibc === null) return { skip: 'the C library is not glibc' };
  if (!glibcAtLeast(glibc, MIN_GLIBC)) return { skip: `glibc ${glibc} predates glibc.malloc.hugetlb (${MIN_GLIBC.join('.')})` };
  return { env: { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGETLB_TUNABLE}` : HUGETLB_TUNABLE } };
}

/** Whether this process itself started with huge pages asked for. */
export function hasHugePages(env: Env = process.env): boolean {
  return /(^|:)glibc\.malloc\.hugetlb=1(:|$)/.test(env.GLIBC_TUNABLES ?? '');
}
