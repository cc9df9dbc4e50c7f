/**
 * The worker's part of the Source panel: pprof -list of ONE function (its exact name, as the top
 * table and the flame graph show it), optionally as target − base, plus what identifies the
 * program (main mapping, build id) so the host can find and check its sources.
 */
import type { ProfileFilters } from '../../shared/api/types';
import { compareProfiles, type Profile } from '../../shared/profile';
import { computeList, type ListResult } from '../../shared/source/index';
import type { TaskContext } from '../../shared/task';

/** A Go regexp matching exactly this name (every metacharacter escaped). */
export function exactNameRegex(name: string): string {
  return `^${name.replace(/[\\.*+?^${}()|[\]]/g, '\\$&')}$`;
}

export function sourceListOf(
  p: Profile,
  base: Profile | null,
  q: { function: string; sampleIndex?: number | string; filters?: ProfileFilters },
  task: TaskContext,
): { list: ListResult | null; mappingFile: string | null; buildId: string | null } {
  // A name at lines granularity ("f file:line") lists its function.
  const name = q.function.includes(' ') ? q.function.slice(0, q.function.indexOf(' ')) : q.function;
  let list: ListResult | null = null;
  // No function: only what identifies the program (the report's source contexts, adding a root).
  if (name !== '') {
    const prof = base ? compareProfiles(p, base, 'diff_base') : p;
    try {
      list = computeList(prof, exactNameRegex(name), { sampleIndex: q.sampleIndex, filters: q.filters }, task);
    } catch (e) {
      if (!(e instanceof Error && /no matches found/.test(e.message))) throw e;
    }
  }
  const mappingFile = p.mappingCount > 0 ? p.strings[p.mapFile[0]!] || null : null;
  const buildId = p.mappingCount > 0 ? p.strings[p.mapBuildId[0]!] || null : null;
  return { list, mappingFile, buildId };
}
