/**
 * A closed pipe ends the command quietly, as it does for any Unix tool (`heapscope top FILE | head`).
 *
 * Node ignores SIGPIPE, so a write to a pipe whose reader has gone surfaces as an asynchronous
 * EPIPE 'error' event on process.stdout / process.stderr; unhandled, it prints a stack trace.
 * Here an EPIPE (or a write to the stream after it) on either stream:
 *  - silences every later write to that stream (output has nowhere to go);
 *  - ends the process without a word: once the current turn of the event loop is over, with the
 *    exit code the command already chose (`--fail-on` still gates CI when the reader quit after
 *    the last line), else 0, like ripgrep and other tools that treat a gone reader as done.
 * Long-running commands (serve, capture --every) end too: nothing can read what they print.
 */
import type { Writable } from 'node:stream';

const closedStreams = new WeakSet<Writable>();

export function isClosedPipe(stream: Writable): boolean {
  return closedStreams.has(stream);
}

function isPipeClosedError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

let exitScheduled = false;

function endQuietly(exit: (code: number) => void): void {
  if (exitScheduled) return;
  exitScheduled = true;
  // A timer, not a microtask: the command's pending promise continuations (which set exitCode)
  // run first. unref(): when the command has already finished, Node exits by itself.
  setTimeout(() => exit(typeof process.exitCode === 'number' ? process.exitCode : 0), 0).unref();
}

/**
 * Installs the guard on one stream. `exit` is injectable for tests; it defaults to process.exit.
 * Idempotent per stream.
 */
export function guardPipe(stream: Writable, exit: (code: number) => void = (c) => process.exit(c)): void {
  const marked = stream as Writable & { __heapscopePipeGuard?: boolean };
  if (marked.__heapscopePipeGuard) return;
  marked.__heapscopePipeGuard = true;
  stream.on('error', (e: unknown) => {
    if (!isPipeClosedError(e)) throw e;
    closedStreams.add(stream);
    endQuietly(exit);
  });
}

/** A write that does nothing once the stream's reader is gone (and never throws EPIPE synchronously). */
export function safeWrite(stream: Writable, s: string): void {
  if (closedStreams.has(stream) || stream.destroyed) return;
  try {
    stream.write(s);
  } catch (e) {
    if (!isPipeClosedError(e)) throw e;
    closedStreams.add(stream);
  }
}

/** Guards process.stdout and process.stderr (the CLI's entry points call this once). */
export function guardStdio(): void {
  guardPipe(process.stdout);
  guardPipe(process.stderr);
}
