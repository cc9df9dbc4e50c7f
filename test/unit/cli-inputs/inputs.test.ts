/**
 * Folders on the command line: a session folder of `heapscope capture --every` stands for its
 * captures (in the order its session.json lists them); any other folder, and a folder where one
 * file is expected, is a clear error naming it (not a bare EISDIR).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../../electron/cli/inputs';
import { openChunkedFile } from '../../../electron/cli/io';
import { LEAKYAPP, runCli } from '../compare/fixtures';
import { heapscopeErrorOf } from '../../helpers/errors';

function session(captures: string[], files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-session-'));
  for (const f of files) copyFileSync(join(LEAKYAPP, f), join(dir, f));
  writeFileSync(join(dir, 'session.json'), JSON.stringify({ heapscopeWatch: 1, state: 'stopped', captures: captures.map((file, i) => ({ tick: i + 1, file })) }));
  return dir;
}


describe('expandInputs', () => {
  it('opens a session folder into its captures, in capture order, leaving out files thinned away and names outside it', () => {
    const dir = session(['heap-2.pb.gz', 'gone.pb.gz', '../heap-1.pb.gz', 'heap-1.pb.gz', 'heap-2.pb.gz'], ['heap-1.pb.gz', 'heap-2.pb.gz']);
    expect(expandInputs(['a.pb.gz', dir, 'b.pb.gz'])).toEqual(['a.pb.gz', join(dir, 'heap-2.pb.gz'), join(dir, 'heap-1.pb.gz'), 'b.pb.gz']);
  });

  it('names a plain folder and says what to pass instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-plain-'));
    const e = heapscopeErrorOf(() => expandInputs([dir]));
    expect(e.code).toBe('IO');
    expect(e.file).toBe(dir);
    expect(e.message).toMatch(/is a folder .*capture --every/);
  });

  it('a broken or empty session manifest is an error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-broken-'));
    writeFileSync(join(dir, 'session.json'), '{"heapscopeWatch": 1, "captures": [');
    const e = heapscopeErrorOf(() => expandInputs([dir]));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.file).toBe(join(dir, 'session.json'));
    const empty = session(['gone.pb.gz'], []);
    expect(heapscopeErrorOf(() => expandInputs([empty])).message).toMatch(/no captures/);
  });

  it('leaves missing paths to the loader (which names them)', () => {
    expect(expandInputs(['/no/such/file.pb.gz'])).toEqual(['/no/such/file.pb.gz']);
  });
});

describe('folders through the commands', () => {
  it('findings reads a session folder as its captures, a series', async () => {
    const dir = session(['heap-1.pb.gz', 'heap-2.pb.gz'], ['heap-1.pb.gz', 'heap-2.pb.gz']);
    const r = await runCli(['findings', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`read ${join(dir, 'heap-1.pb.gz')}: heap profile`);
    expect(r.out).toContain(`read ${join(dir, 'heap-2.pb.gz')}: heap profile`);
    expect(r.out).toMatch(/note: heap profiles: 2 snapshots/);
  });

  it('findings on a plain folder fails with its name, not EISDIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-plain-'));
    mkdirSync(join(dir, 'sub'));
    const r = await runCli(['findings', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${dir}: cannot read: is a folder`);
    expect(r.err).not.toMatch(/EISDIR/);
  });

  it('a folder where one file is expected (diff) is "is a directory", naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-plain-'));
    const e = heapscopeErrorOf(() => openChunkedFile(dir));
    expect(e.message).toBe('cannot read: is a directory');
    expect(e.file).toBe(dir);
    const r = await runCli(['diff', dir, join(LEAKYAPP, 'heap-1.pb.gz')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(dir);
    expect(r.err).not.toMatch(/EISDIR/);
  });
});
