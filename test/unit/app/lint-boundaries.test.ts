import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../../helpers/paths';

function lintTree(files: Record<string, string>): { code: number | null; violations: Array<{ file: string; spec: string; rule: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'hs-lint-'));
  for (const [p, src] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), src);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'build', 'lint-boundaries.mjs'), '--root', dir, '--json'], { encoding: 'utf8' });
  return { code: r.status, violations: JSON.parse(r.stdout).violations };
}

describe('import-boundary lint rule', () => {
  it('passes the real tree', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build', 'lint-boundaries.mjs'), '--json'], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout).violations).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('passes allowed imports', () => {
    const r = lintTree({
      'shared/a.ts': "import { b } from './b';\nexport const a = b;",
      'shared/b.ts': 'export const b = 1;',
      'renderer/src/x.tsx': "import React from 'react';\nimport { a } from '../../shared/a';",
      'electron/main/m.ts': "import { app } from 'electron';",
      'electron/preload/p.ts': "import { contextBridge } from 'electron';",
      'electron/services/s.ts': "import { readFileSync } from 'node:fs';\nimport { a } from '../../shared/a';",
    });
    expect(r.violations).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('fails when shared/ imports outside itself, renderer/ imports electron/ or Node, or others import electron', () => {
    const r = lintTree({
      'shared/a.ts': "import { x } from '../electron/services/s';",
      'shared/b.ts': "import zlib from 'node:zlib';",
      'shared/c.ts': "import { z } from 'zod';",
      'shared/d.ts': "const fs = require('fs');",
      'renderer/src/x.tsx': "import { s } from '../../electron/services/s';",
      'renderer/src/y.tsx': "import { readFileSync } from 'fs';",
      'renderer/src/z.ts': "export * from 'node:path';",
      'electron/services/s.ts': "import { app } from 'electron';",
      'electron/worker/w.ts': "const e = await import('electron');",
      'test/t.ts': "import type { App } from 'electron';",
    });
    const got = r.violations.map((v) => `${v.file} ${v.spec}`).sort();
    expect(got).toEqual(
      [
        'electron/services/s.ts electron',
        'electron/worker/w.ts electron',
        'renderer/src/x.tsx ../../electron/services/s',
        'renderer/src/y.tsx fs',
        'renderer/src/z.ts node:path',
        'shared/a.ts ../electron/services/s',
        'shared/b.ts node:zlib',
        'shared/c.ts zod',
        'shared/d.ts fs',
        'test/t.ts electron',
      ].sort(),
    );
    expect(r.code).toBe(1);
  });
});
