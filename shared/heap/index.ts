/**
 * Heap dump engine facade: what the analysis worker and the CLI call.
 *
 *   const p = new HeapDumpParser({ totalBytes, task, file });
 *   for (chunk of file) p.push(chunk);
 *   const dump = p.end();                         // partial (complete = false) when cut short
 *   const a = buildHeapAnalysis(dump, exeReaderOrSymbols, task);
 *   a.rootsRanked(0, 50); a.dominatorChildren(node, 0, 100); a.pathsToRoots('0xc000123000', 5);
 *   a.retainJson(); a.pathsJson('0x…', 5);
 *
 * The HeapAnalysis object stays in the worker; every query returns plain data (see ./types).
 */
export { HeapDumpParser, parseHeapDump, isHeapDump, HEAPDUMP_FORMAT, type HeapDumpParserOptions } from './parser';
export type * from './dump';
export { RECORD_NAMES, MEMSTATS_FIELDS } from './dump';
export { readElfSymbols, isElf, bytesReader, type ElfReader, type ExeSymbols, type ExeSection } from './elf';
export { ALLOC_HEADER_BYTES, buildHeapGraph, contentOffsetAt, findObjectIndex, interiorOffset, valueInteriorOffset, valueStart, edgeOffsetAt, isRuntimeSymbol, goroutineName, GO_RUNTIME, type HeapGraph } from './graph';
export { computeDominators, reverseCsr, retainedSizes, idomByNode, reachableFrom, NONE, type Csr, type DominatorTree } from './dominators';
export { HeapAnalysis, buildHeapAnalysis, type HeapScope, type AllocSite, type ObjectRef } from './analysis';
export { packageOf, unknownName } from './typeviews';
export { arrayLen, typeHeap, HeapTypes, type DumpReader, type TypeEntry } from './typing';
export type * from './types';
export { hex } from './grow';
export { spanLayout, isSpanTail, spanTailBytes, hasAllocHeader, parseGoVersion, usesSwissMaps, PAGE_SIZE, INLINE_MARK_BYTES, type SpanLayout, type GoVersionInfo } from './spans';
