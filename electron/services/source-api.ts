/**
 * The `sourceView` and `sourceAddRoot` API methods: the worker lists the function (numbers per
 * line), this host side finds the program's binary (build info: Go version, modules), resolves
 * and reads the files through SourceService, which refuses anything outside the allowed roots.
 */
import type { SourceViewQuery, SourceViewResult, ListFunction, ListResult } from '../../shared/source/types';
import { fillListSource, programKey, vscodeUrl, type SourceContext } from '../../shared/source/index';
import type { WorkerResult } from '../../shared/worker/protocol';
import { findProgramBinary, readProgramFacts, SourceService, type ProgramFacts } from './source';

/** Lines shown around a heap dump allocation site's line. */
const SITE_CONTEXT = 40;

export interface ItemOrigin {
  path: string | null;
  exe?: string | undefined;
}

export class SourceApi {
  private readonly facts = new Map<string, ProgramFacts>();

  constructor(readonly svc: SourceService) {}

  private factsOf(exe: string | null): ProgramFacts {
    if (!exe) return readProgramFacts(null);
    let f = this.facts.get(exe);
    if (!f) this.facts.set(exe, (f = readProgramFacts(exe)));
    return f;
  }

  private program(origin: ItemOrigin, w: WorkerResult<'sourceList'>): { facts: ProgramFacts; key: string | null } {
    const facts = this.factsOf(findProgramBinary(origin.path, w.mappingFile, origin.exe));
    const key = programKey({ mappingBuildId: w.buildId, gnuBuildId: facts.gnuBuildId, goBuildId: facts.goBuildId, mainModule: facts.buildInfo?.mainModule?.path ?? null });
    return { facts, key };
  }

  view(req: SourceViewQuery, origin: ItemOrigin, w: WorkerResult<'sourceList'>): SourceViewResult {
    const { facts, key } = this.program(origin, w);
    const ctx = this.svc.context(facts, key, w.goVersion ?? facts.goVersion);
    const roots = this.svc.allowedRoots(ctx);
    if (req.file !== undefined) {
      // A heap dump's allocation site: the file around the line, no numbers.
      const line = req.line ?? 1;
      const start = Math.max(1, line - SITE_CONTEXT);
      const site: ListResult = {
        sampleType: { type: 'source', unit: '' },
        sampleIndex: 0,
        total: 0,
        noSource: [],
        functions: [{ name: req.function, file: req.file, flat: 0, cum: 0, start, end: line + SITE_CONTEXT, lines: range(start, line + SITE_CONTEXT) }],
      };
      const filled = fillListSource(site, (f) => this.svc.read(f, ctx));
      return { function: req.function, sampleType: site.sampleType, total: 0, delta: false, files: withEditor(filled.functions), hottest: { file: 0, line }, roots, program: key };
    }
    if (!w.list) {
      return { function: req.function, sampleType: { type: '', unit: '' }, total: 0, delta: req.base !== undefined, files: [], hottest: null, roots, program: key };
    }
    const filled = fillListSource(w.list, (f) => this.svc.read(f, ctx));
    const files = withEditor(filled.functions);
    return { function: req.function, sampleType: filled.sampleType, total: filled.total, delta: req.base !== undefined, files, hottest: hottestLine(files), roots, program: key };
  }

  /** Where an item's sources are found and may be read (the report's annotated source, read in the worker). */
  context(origin: ItemOrigin, w: WorkerResult<'sourceList'>): SourceContext {
    const { facts, key } = this.program(origin, w);
    return this.svc.context(facts, key, w.goVersion ?? facts.goVersion);
  }

  addRoot(origin: ItemOrigin, w: WorkerResult<'sourceList'>, root: string): { roots: string[]; program: string | null } {
    const { key } = this.program(origin, w);
    this.svc.addRoot(key, root);
    const { facts } = this.program(origin, w);
    return { roots: this.svc.allowedRoots(this.svc.context(facts, key)), program: key };
  }
}

function range(a: number, b: number): ListFunction['lines'] {
  const out: ListFunction['lines'] = [];
  for (let i = a; i <= b; i++) out.push({ line: i, flat: 0, cum: 0, text: null });
  return out;
}

/** Adds the vscode:// link of each readable file (the Source panel's "Open in editor"). */
function withEditor(fns: ListFunction[]): Array<ListFunction & { editorUrl?: string }> {
  return fns.map((f) => (f.source?.path ? { ...f, editorUrl: vscodeUrl(f.source.path, hottestIn(f) ?? f.start) } : f));
}

function hottestIn(f: ListFunction): number | null {
  let best: number | null = null;
  let bestFlat = 0;
  let bestCum = 0;
  for (const l of f.lines) {
    const af = Math.abs(l.flat);
    const ac = Math.abs(l.cum);
    if (af > bestFlat || (af === bestFlat && bestFlat === 0 && ac > bestCum)) {
      best = l.line;
      bestFlat = af;
      bestCum = ac;
    }
  }
  return best;
}

export function hottestLine(files: ListFunction[]): { file: number; line: number } | null {
  for (let i = 0; i < files.length; i++) {
    const l = hottestIn(files[i]!);
    if (l !== null) return { file: i, line: l };
  }
  return null;
}
