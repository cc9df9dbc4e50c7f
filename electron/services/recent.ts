/**
 * Recent files, kept in the user's Heapscope data folder (recent.json), newest first. Written
 * atomically (temp file + rename) so a crash never leaves a half-written list.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RecentFile } from '../../shared/api/types';

export const MAX_RECENT = 20;

export class RecentFiles {
  constructor(private readonly file: string) {}

  static inDir(dir: string): RecentFiles {
    return new RecentFiles(join(dir, 'recent.json'));
  }

  list(): RecentFile[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(data)) return [];
      return data
        .filter((r): r is RecentFile => typeof r === 'object' && r !== null && typeof (r as RecentFile).path === 'string' && typeof (r as RecentFile).openedAt === 'number')
        .slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }

  add(entries: Array<Omit<RecentFile, 'openedAt'>>): void {
    if (!entries.length) return;
    const now = Date.now();
    const fresh = entries.map((e) => ({ ...e, openedAt: now }));
    const seen = new Set(fresh.map((e) => e.path));
    const next = [...fresh, ...this.list().filter((r) => !seen.has(r.path))].slice(0, MAX_RECENT);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 1));
      renameSync(tmp, this.file);
    } catch {
      // A read-only data folder must not break opening files.
    }
  }
}
