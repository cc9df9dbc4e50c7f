/**
 * Objects several roots keep alive together, grouped (test/fixtures/modern/sharedgroup, built and run
 * here with Go 1.19, 1.26 and 1.27): 40 jobs a global map and four blocked workers share are one
 * finding, by Go type with the binary and by allocation site without; each job alone was under the
 * suspect share, and the registry's own finding counted only the 5 it alone holds. A trial gRPC
 * broker's 35 subscribers (2.2 MiB, 59% of the heap) had no finding at all. Beside them, 100 idle
 * keep-alive HTTP connections: their bufio buffers are shared too (connection goroutines, pools),
 * but they are the standard library's: no group; and idle pooled connections are no "response
 * bodies never closed" (a review found both said of an ordinary service); the server's side of them
 * is said to be idle connections, not a pile-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFindings, type Finding } from '../../../shared/findings';
import { buildLocationIndex, locateFinding } from '../../../shared/policy/locations';
import { analyseDump, buildAndDump, type GoDump } from '../../helpers/godump';
import { ROOT } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion } from '../leakprofile/toolchains';

const PROGRAM = join(ROOT, 'test', 'fixtures', 'modern', 'sharedgroup', 'go');
type Expected = { goVersion: string; payload: number; workers: number; shared: number; alone: number; conns: number };

for (const v of ['1.19', '1.26', '1.27'] as GoVersion[]) {
  const tc = toolchainOrSkip(v, 'objects several roots keep together');
  describe.skipIf(!tc)(`go${v}: objects several roots keep together`, () => {
    let run: GoDump<Expected>;
    const findings = (exe: string | null): Finding[] => {
      const { analysis, read } = analyseDump(run, exe);
      return computeFindings([{ name: 'heap.dump', kind: 'heapdump', analysis, read }]).findings;
    };
    beforeAll(() => {
      run = buildAndDump<Expected>(tc!, PROGRAM, 'sharedgroup');
    }, 300_000);

    it('is the program built with that Go', () => {
      expect(run.expected.goVersion).toContain(`go${v}`);
    });

    it('with the binary: the shared jobs by type, and who shares them', () => {
      const e = run.expected;
      const fs = findings(run.exe);
      const g = fs.find((f) => f.subject === 'objects of type main.job')!;
      expect(g).toBeDefined();
      expect(g.evidence.objects).toBe(e.shared);
      expect(g.evidence.retainedBytes as number).toBeGreaterThanOrEqual(e.shared * e.payload);
      expect(g.evidence.retainedBytes as number).toBeLessThan(e.shared * (e.payload + 1024));
      expect(g.title).toMatch(new RegExp(`^${e.shared} main\\.job objects keep [\\d.]+ MiB alive \\(\\d+% of the live heap\\), shared by global main\\.registry and ${e.workers} goroutines \\(main\\.worker\\): no one root holds them alone; allocated by main\\.newJob$`));
      expect(g.evidence.sharingGoroutines).toEqual(['main.worker']);
      // SARIF: at the allocation site; with none sampled, where the sharing goroutines wait.
      const { analysis } = analyseDump(run, run.exe);
      const ix = buildLocationIndex([{ name: 'heap.dump', kind: 'heapdump', analysis }]);
      expect(locateFinding(ix, g)).toMatchObject({ function: 'main.newJob' });
      const { filledBy: _f, ...unsampled } = g.evidence;
      const at = locateFinding(ix, { ...g, evidence: unsampled })!;
      expect(at).toMatchObject({ file: 'example.com/sharedgroup/main.go', function: 'main.worker' });
      expect(readFileSync(join(PROGRAM, 'main.go'), 'utf8').split('\n')[at.line - 1]!.trim()).toBe('<-never');
      // The registry alone holds only its own 5 (under a suspect's share beside the connections).
      const reg = fs.find((f) => f.subject === 'global main.registry');
      if (reg) expect(reg.evidence.retainedBytes as number).toBeLessThan((e.alone + 1) * e.payload);
      // The HTTP connections: no group of the standard library's objects, no unclosed bodies.
      expect(fs.filter((f) => f.subject.startsWith('objects ')).map((f) => f.subject)).toEqual(['objects of type main.job']);
      expect(fs.filter((f) => f.kind === 'http-body-not-closed')).toEqual([]);
      // The server's side of them: idle connections waiting for a next request, said so.
      const idle = fs.find((f) => f.subject === 'net/http.(*conn).serve')!;
      expect(idle.evidence.idleServerConns).toBe(e.conns);
      expect(idle.title).toMatch(new RegExp(`^${e.conns} idle HTTP server connections kept alive \\(net/http\\.\\(\\*conn\\)\\.serve waiting for the next request\\).*: clients keep them open; Server\\.IdleTimeout bounds how long$`));
    });

    it('without the binary: the same jobs by allocation site', () => {
      const e = run.expected;
      const fs = findings(null);
      const g = fs.find((f) => f.subject.startsWith('objects from main.newJob ('))!;
      expect(g).toBeDefined();
      expect(fs.filter((f) => f.subject.startsWith('objects ')).map((f) => f.subject)).toEqual([g.subject]);
      expect(g.evidence.objects).toBe(e.shared);
      expect(g.title).toMatch(new RegExp(`^${e.shared} objects from main\\.newJob \\(main\\.go:\\d+\\) keep `));
    });
  });
}
