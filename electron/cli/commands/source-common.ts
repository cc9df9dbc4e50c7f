/**
 * What `heapscope list` and `heapscope peek` share: loading a profile (optionally minus a base),
 * the filters, and finding the program's binary for source resolution.
 */
import { compareProfiles, type ImportedProfile, type Profile } from '../../../shared/profile';
import { programKey, type SourceText } from '../../../shared/source/index';
import { findProgramBinary, readProgramFacts, type SourceService } from '../../services/source';
import type { CliIO } from '../io';
import { loadProfile } from '../load';

export interface SourceCliOpts extends FilterCliOpts {
  sampleIndex?: string;
  diffBase?: string;
  unit?: string;
  json?: boolean;
}

import type { FilterCliOpts } from './filter-options';
export { collect, filtersOf } from './filter-options';

/** The profile to list (minus the base with --diff-base); `original` is the file's own profile (its mappings name the program). */
export async function loadForSource(io: CliIO, file: string, opts: SourceCliOpts): Promise<ImportedProfile & { original: Profile }> {
  const load = (path: string): Promise<ImportedProfile> => loadProfile(io, path);
  const imported = await load(file);
  if (opts.diffBase === undefined) return { ...imported, original: imported.profile };
  const base = await load(opts.diffBase);
  return { ...imported, profile: compareProfiles(imported.profile, base.profile, 'diff_base'), original: imported.profile };
}

/** The main binary's recorded path and build id (Mapping[0]), or nulls. */
export function mainMapping(p: Profile): { file: string | null; buildId: string | null } {
  if (p.mappingCount === 0) return { file: null, buildId: null };
  const file = p.strings[p.mapFile[0]!] ?? '';
  const id = p.strings[p.mapBuildId[0]!] ?? '';
  return { file: file !== '' ? file : null, buildId: id !== '' ? id : null };
}

/**
 * Reads the files a profile records through `svc` (only what it allows), in the context of the
 * profile's program: its binary (`exe`, else the main mapping's file here or beside the profile)
 * gives the Go version and the module versions; the user's roots are remembered per program.
 */
export function profileSourceReader(svc: SourceService, file: string | null, p: Profile, exe?: string): (recorded: string) => SourceText {
  const mapping = mainMapping(p);
  const facts = readProgramFacts(findProgramBinary(file, mapping.file, exe));
  const key = programKey({ mappingBuildId: mapping.buildId, gnuBuildId: facts.gnuBuildId, goBuildId: facts.goBuildId, mainModule: facts.buildInfo?.mainModule?.path ?? null });
  const ctx = svc.context(facts, key);
  return (recorded) => svc.read(recorded, ctx);
}
