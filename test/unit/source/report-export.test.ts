/**
 * Issue 15: the app's Export Report (ApiService → the analysis worker) embeds annotated source read
 * ONLY where the host allows: the worker gets each item's SourceContext from the host and reads
 * through the same SourceService. A profile naming an absolute path outside the roots, a "../../"
 * path or a link out of a root gets numbers and a reason, never the text; a folder the user chose
 * for the program (sourceAddRoot) or serve's --source-root (ApiService `sourceRoots`) is read.
 * Real worker (dist/worker.js), real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CallContext } from '../../../shared/api/contract';
import { ProfileBuilder } from '../../../shared/profile/builder';
import { encodeProfile } from '../../../shared/profile';
import type { ReportModel, ProfileSection } from '../../../shared/report/index';
import { AnalysisHost } from '../../../electron/services/analysis-host';
import { ApiService } from '../../../electron/services/api-service';
import { SourceService } from '../../../electron/services/source';
import { WORKER_JS } from '../../helpers/paths';
import { reportModel } from './report-model';

const ctx: CallContext = { callId: 'c', signal: new AbortController().signal, progress: () => undefined };
let tmp: string;
let outside: string;
let root: string;
let prof: string;
const hosts: AnalysisHost[] = [];

function profile(files: Array<[string, string]>): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
  files.forEach(([fn, file], i) => {
    const loc = b.location(fn, 0x1000 + i, [{ func: b.func(fn, file), line: 3 }]);
    b.sample([loc], [1000 * (i + 1)]);
  });
  return gzipSync(encodeProfile(b.build()));
}

async function service(opts: { sourceRoots?: string[] } = {}): Promise<{ api: ApiService; handle: string }> {
  const host = new AnalysisHost({ workerPath: WORKER_JS });
  hosts.push(host);
  const dataDir = mkdtempSync(join(tmp, 'data-'));
  const sources = new SourceService({ dataDir, goroots: [], moduleCache: null, ...(opts.sourceRoots ? { roots: opts.sourceRoots } : {}) });
  const api = new ApiService(host, { version: 't', transport: 'http', dataDir, sources });
  const r = await api.handlers.openFiles({ paths: [prof] }, ctx);
  expect(r.failures).toEqual([]);
  return { api, handle: r.items[0]!.handle };
}

async function exported(api: ApiService): Promise<{ html: string; fns: Map<string, NonNullable<ProfileSection['views'][number]['source']>['functions'][number]> }> {
  const r = await api.handlers.exportReport({ destination: 'download' }, ctx);
  const html = r.html!;
  const model: ReportModel = reportModel(html);
  const sec = model.sections.find((s): s is ProfileSection => s.kind === 'profile')!;
  return { html, fns: new Map((sec.views[0]!.source?.functions ?? []).map((f) => [f.name, f])) };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hs-report-export-'));
  outside = join(tmp, 'outside');
  root = join(tmp, 'root');
  mkdirSync(outside);
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(join(outside, 'secret.go'), 'package secret\n\nconst Token = "do-not-serve"\n');
  writeFileSync(join(root, 'app', 'ok.go'), 'package app\n\nvar Fine = "served-from-root"\n');
  symlinkSync(join(outside, 'secret.go'), join(root, 'escape.go'));
  prof = join(tmp, 'p.pb.gz');
  writeFileSync(
    prof,
    profile([
      ['main.secret', join(outside, 'secret.go')],
      ['main.dotdot', `../../../../../../../..${join(outside, 'secret.go')}`],
      ['main.link', join(root, 'escape.go')],
      ['main.ok', 'example.com/app/app/ok.go'],
    ]),
  );
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('Export Report reads sources only under the allowed roots', () => {
  it('no root: every function keeps its numbers, no text; the secret is not in the file', async () => {
    const { api } = await service();
    const { html, fns } = await exported(api);
    expect(html).not.toContain('do-not-serve');
    expect(html).not.toContain('served-from-root');
    expect([...fns.keys()].sort()).toEqual(['main.dotdot', 'main.link', 'main.ok', 'main.secret']);
    for (const f of fns.values()) {
      expect(f.via, f.name).toBeNull();
      expect(f.lines.every((l) => l.text === null)).toBe(true);
      expect(f.lines.find((l) => l.line === 3)!.flat).toBeGreaterThan(0);
    }
    expect(fns.get('main.secret')!.problem).toMatch(/outside the source folders/);
  });

  it('a folder the user chose is read; links out of it and paths outside it still are not', async () => {
    const { api, handle } = await service();
    await api.handlers.sourceAddRoot({ handle, root }, ctx);
    const { html, fns } = await exported(api);
    expect(html).toContain('served-from-root');
    expect(html).not.toContain('do-not-serve');
    expect(fns.get('main.ok')!.via).toBe('user-root');
    expect(fns.get('main.ok')!.lines.find((l) => l.line === 3)!.text).toBe('var Fine = "served-from-root"');
    expect(fns.get('main.link')!.problem).toMatch(/outside the source folders/);
    expect(fns.get('main.secret')!.problem).toMatch(/outside the source folders/);
    expect(fns.get('main.dotdot')!.via).toBeNull();
  });

  it("serve's --source-root (ApiService sourceRoots) is read", async () => {
    const { api } = await service({ sourceRoots: [outside] });
    const { html, fns } = await exported(api);
    expect(fns.get('main.secret')!.via).toBe('absolute');
    expect(html).toContain('do-not-serve');
  });
});
