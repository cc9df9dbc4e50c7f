/**
 * A gzipped heap dump opened in the app (WorkerState.loadPath) reads object contents from its
 * uncompressed bytes kept in memory, not by a gunzip pass from the start per read (the findings
 * read thousands: 43 s on a 22 MB dump). Same bytes, same findings as the plain dump.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { gunzip } from '../../../electron/cli/io';
import * as gz from '../../../electron/services/heapdump-gzip';
import { WorkerState } from '../../../electron/worker/state';
import { NO_TASK } from '../../../shared/task';
import type { FindingsReport } from '../../../shared/findings';
import { FIXTURES } from '../../helpers/paths';

describe('a gzipped heap dump in the app', () => {
  it('keeps its uncompressed bytes: findings and object bytes without a pass per read, equal to the plain dump', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-gzheap-'));
    const plain = join(dir, 'heap.dump');
    copyFileSync(join(FIXTURES, 'heap.dump'), plain);
    const packed = join(mkdtempSync(join(tmpdir(), 'heapscope-gzheap-')), 'heap.dump.gz');
    writeFileSync(packed, gzipSync(readFileSync(plain)));
    const state = new WorkerState({ gunzip });
    const a = state.loadPath('heap.dump', 'test', plain, undefined, () => new Uint8Array(readFileSync(plain)), NO_TASK);
    const spy = vi.spyOn(gz, 'gunzipRange');
    const b = state.loadPath('heap.dump.gz', 'test', packed, undefined, () => new Uint8Array(readFileSync(packed)), NO_TASK);
    const findings = (h: string) => (state.multiQuery('findings', { handles: [h] }, NO_TASK) as FindingsReport).findings.map((f) => `${f.kind} ${f.subject} ${f.size}`);
    expect(findings(b.handle)).toEqual(findings(a.handle));
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
