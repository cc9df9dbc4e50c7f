/**
 * Issue 15, acceptance 2: resolution of every kind of recorded path (pure logic with a fake file
 * system), and the real-machine cases: a -trimpath binary's standard library found in the GOROOT
 * of the Go version its build info names, its module through a source root.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseModInfo, resolveSource, escapeModulePath, matchGoRoot, type SourceContext } from '../../../shared/source/index';
import { readProgramFacts, SourceService } from '../../../electron/services/source';
import { ROOT } from '../../helpers/paths';
import { matrixRuns } from '../../helpers/matrix';

const files = new Set<string>();
const fs = { isFile: (p: string) => files.has(p) };
const MODINFO = [
  'path\texample.com/svc/cmd/api',
  'mod\texample.com/svc\t(devel)\t',
  'dep\tgithub.com/go-chi/chi/v5\tv5.0.12\th1:x',
  'dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:y',
  'dep\tgithub.com/acme/fork\tv1.0.0\th1:z',
  '=>\t/home/me/fork\t\t',
  'build\t-trimpath=true',
].join('\n');
const ctx: SourceContext = {
  goVersion: 'go1.26.8',
  buildInfo: parseModInfo(MODINFO, 'go1.26.8'),
  moduleCache: '/home/me/go/pkg/mod',
  goroots: [
    { version: 'go1.19.8', dir: '/usr/lib/go-1.19' },
    { version: 'go1.26.8', dir: '/usr/local/go' },
  ],
  userRoots: ['/home/me/src/svc'],
};

describe('resolveSource (pure)', () => {
  it('build info: main module, deps, replacements; module path escaping', () => {
    const bi = parseModInfo(MODINFO);
    expect(bi.mainPackage).toBe('example.com/svc/cmd/api');
    expect(bi.mainModule).toEqual({ path: 'example.com/svc', version: '(devel)' });
    expect(bi.deps.map((d) => `${d.path}@${d.version}${d.dir ? ` => ${d.dir}` : ''}`)).toEqual([
      'github.com/go-chi/chi/v5@v5.0.12',
      'github.com/BurntSushi/toml@v1.3.2',
      'github.com/acme/fork@v1.0.0 => /home/me/fork',
    ]);
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
  });

  it('absolute: used as recorded', () => {
    files.clear();
    files.add('/home/me/src/svc/main.go');
    const r = resolveSource('/home/me/src/svc/main.go', ctx, fs);
    expect(r).toMatchObject({ path: '/home/me/src/svc/main.go', via: 'absolute', tried: ['/home/me/src/svc/main.go'] });
  });

  it('absolute from another machine: vendor/ → module cache at the build-info version; /src/ → GOROOT; suffix under a user root', () => {
    files.clear();
    files.add('/home/me/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go');
    files.add('/usr/local/go/src/net/http/server.go');
    files.add('/home/me/src/svc/internal/db.go');
    expect(resolveSource('/ci/build/svc/vendor/github.com/go-chi/chi/v5/mux.go', ctx, fs)).toMatchObject({ path: '/home/me/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go', via: 'vendor' });
    expect(resolveSource('/opt/go/src/net/http/server.go', ctx, fs)).toMatchObject({ path: '/usr/local/go/src/net/http/server.go', via: 'goroot' });
    const r = resolveSource('/ci/build/svc/internal/db.go', ctx, fs);
    expect(r).toMatchObject({ path: '/home/me/src/svc/internal/db.go', via: 'user-root' });
    expect(r.tried[0]).toBe('/ci/build/svc/internal/db.go');
  });

  it('-trimpath main module: under the roots the user added, without the module path', () => {
    files.clear();
    files.add('/home/me/src/svc/cmd/api/main.go');
    const r = resolveSource('example.com/svc/cmd/api/main.go', ctx, fs);
    expect(r).toMatchObject({ path: '/home/me/src/svc/cmd/api/main.go', via: 'main-module' });
  });

  it('-trimpath dependency: the module cache, path and version escaped', () => {
    files.clear();
    files.add('/home/me/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go');
    expect(resolveSource('github.com/BurntSushi/toml@v1.3.2/decode.go', ctx, fs)).toMatchObject({ via: 'module-cache', path: '/home/me/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go' });
    files.add('/home/me/fork/x.go');
    expect(resolveSource('github.com/acme/fork/x.go', ctx, fs)).toMatchObject({ path: '/home/me/fork/x.go' });
  });

  it('GOROOT: the toolchain of the Go version the binary names (else the same go1.N)', () => {
    files.clear();
    files.add('/usr/local/go/src/runtime/proc.go');
    files.add('/usr/lib/go-1.19/src/runtime/proc.go');
    expect(resolveSource('runtime/proc.go', ctx, fs)).toMatchObject({ path: '/usr/local/go/src/runtime/proc.go', via: 'goroot' });
    expect(resolveSource('runtime/proc.go', { ...ctx, goVersion: 'go1.19.8' }, fs)).toMatchObject({ path: '/usr/lib/go-1.19/src/runtime/proc.go' });
    expect(matchGoRoot(ctx.goroots!, 'go1.26.1 X:goroutineleakprofile')?.dir).toBe('/usr/local/go');
    expect(matchGoRoot(ctx.goroots!, 'go1.22.0')).toBeNull();
  });

  it('a root the user added: the name, then shorter suffixes of it', () => {
    files.clear();
    files.add('/home/me/src/svc/handlers.go');
    const r = resolveSource('svc/handlers.go', { ...ctx, buildInfo: null }, fs);
    expect(r).toMatchObject({ path: '/home/me/src/svc/handlers.go', via: 'user-root' });
    expect(r.tried).toEqual(['/usr/local/go/src/svc/handlers.go', '/home/me/src/svc/svc/handlers.go', '/home/me/src/svc/handlers.go']);
  });

  it('missing: no error, every path tried, a reason', () => {
    files.clear();
    const r = resolveSource('example.com/svc/gone.go', ctx, fs);
    expect(r.path).toBeNull();
    expect(r.via).toBeNull();
    expect(r.tried.length).toBeGreaterThan(1);
    expect(r.problem).toMatch(/not found: tried \d+ paths/);
    expect(resolveSource('', ctx, fs)).toMatchObject({ path: null, tried: [] });
  });

  it('"../" never climbs out of a root', () => {
    files.clear();
    const r = resolveSource('../../etc/passwd', ctx, fs);
    for (const t of r.tried) expect(t.includes('..'), t).toBe(false);
  });
});

const run = matrixRuns().find((r) => r.version === '1.26' && r.program === 'modern');
describe.skipIf(!run)('on this machine (go1.26/modern, -trimpath)', () => {
  it('runtime/proc.go in the GOROOT of the binary\'s Go version; modern/main.go under a source root', () => {
    const facts = readProgramFacts(join(run!.dir, 'modern'));
    expect(facts.goVersion).toMatch(/^go1\.26/);
    expect(facts.buildInfo?.mainModule?.path).toBe('modern');
    const svc = new SourceService({ roots: [join(ROOT, 'test/fixtures/go/modern')] });
    const ctx2 = svc.context(facts, null);
    const rt = svc.read('runtime/proc.go', ctx2);
    expect(rt.resolution.via).toBe('goroot');
    expect(existsSync(rt.resolution.path!)).toBe(true);
    expect(rt.lines?.some((l) => l.startsWith('func gopark('))).toBe(true);
    const main = svc.read('modern/main.go', ctx2);
    expect(main.resolution).toMatchObject({ via: 'main-module', path: join(ROOT, 'test/fixtures/go/modern/main.go') });
  });
});
