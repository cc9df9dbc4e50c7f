/**
 * What one analysis worker holds: loaded items behind handles, and the calls into shared/ that
 * answer queries on them. Plain code (no worker_threads) so it is unit-testable directly.
 */
import type { FlameQuery, FlameResult, LoadedItem, ProfileQuery, TopResult } from '../../shared/api/types';
import { HeapscopeError } from '../../shared/errors';
import type { TaskContext } from '../../shared/task';
import { computeFlame, computeTop, importProfile, profileSummary, type ImportedProfile } from '../../shared/profile';

interface ProfileEntry {
  kind: 'profile';
  item: LoadedItem;
  imported: ImportedProfile;
}

type Entry = ProfileEntry;

export interface WorkerDeps {
  gunzip(b: Uint8Array): Uint8Array;
}

const HEAPDUMP_MAGIC = 'go1.7 heap dump\n';

export function isHeapDump(bytes: Uint8Array): boolean {
  if (bytes.length < HEAPDUMP_MAGIC.length) return false;
  for (let i = 0; i < HEAPDUMP_MAGIC.length; i++) if (bytes[i] !== HEAPDUMP_MAGIC.charCodeAt(i)) return false;
  return true;
}

export class WorkerState {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;

  constructor(private readonly deps: WorkerDeps) {}

  load(name: string, source: string, bytes: Uint8Array, task: TaskContext): LoadedItem {
    if (isHeapDump(bytes)) {
      throw new HeapscopeError({ code: 'UNSUPPORTED', message: 'heap dumps are not wired into the app yet', file: name, format: 'heapdump' });
    }
    task.progress('decoding', 0, bytes.length);
    const imported = importProfile(bytes, name, this.deps, task);
    const s = profileSummary(imported.profile);
    const handle = `w${this.nextId++}`;
    const item: LoadedItem = {
      handle,
      name,
      source,
      kind: 'profile',
      format: imported.format,
      profileKind: imported.profileKind,
      sampleTypes: s.sampleTypes,
      defaultSampleIndex: s.defaultSampleIndex,
      totals: s.totals,
      comments: s.comments,
      warnings: imported.warnings,
      sizeBytes: bytes.length,
      loadedAt: Date.now(),
    };
    if (s.timeNanos !== undefined) item.timeNanos = s.timeNanos;
    if (s.durationNanos !== undefined) item.durationNanos = s.durationNanos;
    this.entries.set(handle, { kind: 'profile', item, imported });
    return item;
  }

  release(handle: string): boolean {
    return this.entries.delete(handle);
  }

  private profile(handle: string): ProfileEntry {
    const e = this.entries.get(handle);
    if (!e) throw new HeapscopeError({ code: 'NOT_FOUND', message: `no loaded item ${handle}` });
    if (e.kind !== 'profile') throw new HeapscopeError({ code: 'BAD_REQUEST', message: `${e.item.name} is not a profile` });
    return e;
  }

  top(q: ProfileQuery, task: TaskContext): TopResult {
    const { handle, ...rest } = q;
    return computeTop(this.profile(handle).imported.profile, rest, task);
  }

  flame(q: FlameQuery, task: TaskContext): FlameResult {
    const { handle, ...rest } = q;
    return computeFlame(this.profile(handle).imported.profile, rest, task);
  }
}
