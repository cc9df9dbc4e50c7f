/**
 * The worker's reader of source files for the report's annotated source. The worker does not know
 * the user's remembered folders: the host (ApiService) resolves each item's program and passes its
 * SourceContext (GOROOTs, module cache, the folders the user chose, build info); this reads through
 * the same SourceService, which refuses anything outside those roots (no absolute names as recorded:
 * that is only the CLI's).
 */
import type { ReadSource } from '../../shared/report/source';
import type { SourceContext } from '../../shared/source/index';
import { SourceService } from '../services/source';

/** `{ readSource }` for a report input whose handle has a context, else nothing. */
export function reportSourceOf(contexts: Record<string, SourceContext> | undefined, handle: string): { readSource?: ReadSource } {
  const ctx = contexts?.[handle];
  if (!ctx) return {};
  const svc = new SourceService({ goroots: ctx.goroots ?? [], moduleCache: ctx.moduleCache ?? null });
  return { readSource: (file) => svc.read(file, ctx) };
}
