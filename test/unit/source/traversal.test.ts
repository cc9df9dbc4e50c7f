/**
 * Issue 15, acceptance 3: the host never serves a file outside the resolved roots. A profile is
 * untrusted: one naming "../../etc/passwd", or an absolute path outside GOROOT / the module cache /
 * the folders the user chose, gets no text through the API (what serve and Electron call), only
 * a reason; the same file is served once the user chooses its folder. Real worker, real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CallContext } from '../../../shared/api/contract';
import { ProfileBuilder } from '../../../shared/profile/builder';
import { encodeProfile } from '../../../shared/profile';
import { AnalysisHost } from '../../../electron/services/analysis-host';
import { ApiService } from '../../../electron/services/api-service';
import { SourceService } from '../../../electron/services/source';
import { WORKER_JS } from '../../helpers/paths';

const ctx: CallContext = { callId: 'c', signal: new AbortController().signal, progress: () => undefined };
let tmp: string;
let host: AnalysisHost;
let api: ApiService;
let handle: string;
let outside: string;

function evilProfile(secret: string, linkInRoot: string): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
  const names: Array<[string, string]> = [
    ['main.passwd', '../../etc/passwd'],
    ['main.dotdot', '../../../../../../../../etc/hostname.go'],
    ['main.secret', secret],
    ['main.link', linkInRoot],
  ];
  let addr = 0x1000;
  for (const [fn, file] of names) {
    const f = b.func(fn, file);
    const loc = b.location(fn, addr++, [{ func: f, line: 2 }]);
    b.sample([loc], [100]);
  }
  return gzipSync(encodeProfile(b.build()));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hs-traversal-'));
  outside = join(tmp, 'outside');
  const root = join(tmp, 'root');
  mkdirSync(outside);
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  writeFileSync(join(outside, 'secret.go'), 'package secret\n\nconst Token = "do-not-serve"\n');
  // A link inside a chosen root that points out of it.
  symlinkSync(join(outside, 'secret.go'), join(root, 'escape.go'));
  const prof = join(tmp, 'evil.pb.gz');
  writeFileSync(prof, evilProfile(join(outside, 'secret.go'), join(root, 'escape.go')));
  host = new AnalysisHost({ workerPath: WORKER_JS });
  const sources = new SourceService({ dataDir: join(tmp, 'data'), goroots: [], moduleCache: null });
  api = new ApiService(host, { version: 't', transport: 'http', dataDir: join(tmp, 'data'), sources });
  const r = await api.handlers.openFiles({ paths: [prof] }, ctx);
  expect(r.failures).toEqual([]);
  handle = r.items[0]!.handle;
  await api.handlers.sourceAddRoot({ handle, root: join(root, 'a', 'b') }, ctx);
  await api.handlers.sourceAddRoot({ handle, root }, ctx);
});
afterAll(async () => {
  await host.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('source files outside the roots are never served', () => {
  it('a profile naming ../../etc/passwd gets no text (not even from a root two levels deep)', async () => {
    for (const fn of ['main.passwd', 'main.dotdot']) {
      const v = await api.handlers.sourceView({ handle, function: fn }, ctx);
      expect(v.files).toHaveLength(1);
      const f = v.files[0]!;
      expect(f.lines.every((l) => l.text === null), fn).toBe(true);
      expect(f.error, fn).toBeTruthy();
      expect(f.source?.path ?? null).toBeNull();
      expect(JSON.stringify(v)).not.toMatch(/root:x:0:0/);
      for (const t of f.source?.tried ?? []) expect(t.split('/')).not.toContain('..');
    }
  });

  it('an absolute path outside the roots is refused with a reason; a link out of a root too', async () => {
    for (const fn of ['main.secret', 'main.link']) {
      const v = await api.handlers.sourceView({ handle, function: fn }, ctx);
      const f = v.files[0]!;
      expect(f.lines.every((l) => l.text === null), fn).toBe(true);
      expect(f.error, fn).toMatch(/outside the source folders/);
      expect(JSON.stringify(v)).not.toContain('do-not-serve');
    }
  });

  it('the same file is served once the user chooses its folder', async () => {
    const r = await api.handlers.sourceAddRoot({ handle, root: outside }, ctx);
    expect(r.roots).toContain(outside);
    const v = await api.handlers.sourceView({ handle, function: 'main.secret' }, ctx);
    const f = v.files[0]!;
    expect(f.error).toBeUndefined();
    expect(f.lines.find((l) => l.line === 3)?.text).toContain('do-not-serve');
    expect(f.editorUrl).toMatch(/^vscode:\/\/file\/.*secret\.go:2$/);
  });

  it('a root must be an existing folder, never the file-system root', async () => {
    await expect(api.handlers.sourceAddRoot({ handle, root: '/' }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.handlers.sourceAddRoot({ handle, root: join(outside, 'secret.go') }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
