/**
 * Types of the streamed upload (a browser sending a file to `heapscope serve` in slices) and of
 * path completion ("Open a file on this machine"). Part of the API contract (contract.ts).
 */

/** What the host answers to uploadBegin: where to send the slices and how big they may be. */
export interface UploadTicket {
  uploadId: string;
  /** Size of the slices the page should send (the last one may be shorter). */
  chunkBytes: number;
  /** The largest upload this host accepts (bytes). */
  limitBytes: number;
}

export interface UploadChunkResult {
  /** Bytes the host holds so far (the next slice starts here). */
  received: number;
}

export interface PathEntry {
  name: string;
  /** Full path on the host. */
  path: string;
  kind: 'dir' | 'file';
  /** Files only. */
  sizeBytes?: number;
}

/** Entries of a directory on the host that complete what was typed. */
export interface PathCompletion {
  /** The directory listed (absolute, ends with the separator). */
  dir: string;
  /** Directories first, then files; names starting with what follows the last separator. */
  entries: PathEntry[];
  /** More entries matched than were returned. */
  truncated: boolean;
  /** The host's path separator. */
  sep: string;
}
