/**
 * Source views: resolving recorded file names to files on this machine (pure, the host passes the
 * file system), pprof's -list and -peek, and the Source panel's view model. See README.md.
 */
export * from './types';
export { computeList, computeListOf, fillListSource, formatListText, splitSourceLines, type ListQuery, type SourceText } from './list';
export { computePeek, formatPeekTable, type PeekQuery } from './peek';
export { cleanRecorded, isInsideRoot, joinPath, matchGoRoot, programKey, resolveSource, sourceCandidates, type GoRoot, type SourceContext, type SourceFs } from './resolve';
export { escapeModulePath, parseModInfo, type BuildInfo, type ModuleVersion } from './buildinfo';
export { editorCommand, vscodeUrl } from './editor';
