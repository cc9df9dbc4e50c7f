/**
 * The HTML report: one self-contained file that opens offline, stays interactive and can be attached
 * to a bug or kept as a CI artifact.
 *
 *   const model = assembleReport(inputs, { heapscopeVersion, title });   // pure, plain data
 *   const html = renderReportHtml(model, { js, css }, sha256Base64);     // the file's text
 *
 * The viewer (renderer/report/, built to dist/report/report.js + report.css) reads the model from
 * the page. Writing the file (atomically) is electron/services/report-writer.ts.
 */
export * from './model';
export {
  assembleReport,
  DEFAULT_MAX_FLAME_NODES,
  DEFAULT_MAX_TOP_ROWS,
  DEFAULT_MIN_FRACTION,
  type ReportComparison,
  type ReportInclude,
  type ReportInput,
  type ReportInputMeta,
  type ReportOptions,
} from './assemble';
export { escapeHtml, escapeInlineScript, escapeInlineStyle, escapeJsonForScript, renderReportHtml, reportCsp, REPORT_DATA_ID, type ReportAssets, type Sha256Base64 } from './html';
export { annotateFunctions, cachedReader, DEFAULT_SOURCE_LIMITS, hottestNames, type ReadSource, type SourceBudget } from './source';
export { unpackTree, unpackDiffTree, unpackDiffSides, type UnpackedNode } from './unpack';
