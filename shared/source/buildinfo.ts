/**
 * A Go binary's module information (what `go version -m BINARY` prints), from the modinfo string
 * of its .go.buildinfo section: the main package and module, and every dependency with its version
 * (after `=>` replacements). Source resolution uses it to find `-trimpath` and vendored files in
 * the module cache.
 */

export interface ModuleVersion {
  path: string;
  version: string;
  /** A replacement by a local directory (`=> ../fork`): file names then live under it. */
  dir?: string;
}

export interface BuildInfo {
  goVersion: string | null;
  /** The main package's import path (`path` line). */
  mainPackage: string | null;
  /** The main module (`mod` line). */
  mainModule: ModuleVersion | null;
  deps: ModuleVersion[];
}

/** Parses the modinfo text (`path\t…\nmod\t…\ndep\t…\n=>\t…\nbuild\t…`). Unknown lines are skipped. */
export function parseModInfo(text: string, goVersion: string | null = null): BuildInfo {
  const out: BuildInfo = { goVersion, mainPackage: null, mainModule: null, deps: [] };
  let last: ModuleVersion | null = null;
  for (const raw of text.split('\n')) {
    const f = raw.split('\t');
    switch (f[0]) {
      case 'path':
        out.mainPackage = f[1] ?? null;
        break;
      case 'mod':
        out.mainModule = { path: f[1] ?? '', version: f[2] ?? '' };
        last = out.mainModule;
        break;
      case 'dep':
        last = { path: f[1] ?? '', version: f[2] ?? '' };
        out.deps.push(last);
        break;
      case '=>':
        if (last) {
          const path = f[1] ?? '';
          const version = f[2] ?? '';
          if (version === '') last.dir = path;
          else {
            last.path = path;
            last.version = version;
          }
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** golang.org/x/mod/module.EscapePath (and EscapeVersion): an upper-case letter becomes "!" + lower case. */
export function escapeModulePath(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
