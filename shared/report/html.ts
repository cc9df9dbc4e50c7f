/**
 * ReportModel + the viewer bundle → one self-contained HTML file.
 *
 *   <meta http-equiv="Content-Security-Policy">  default-src 'none'; script-src 'sha256-…';
 *       style-src 'sha256-…'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'
 *       No connect-src / default-src source: the page can fetch nothing, not even from file://.
 *   <style>    the viewer's CSS (hash-allowed; React and d3 set element styles through the CSSOM,
 *              which a CSP does not restrict)
 *   <script type="application/json" id="heapscope-report-data">  the model as JSON, with < > &
 *              U+2028 U+2029 written as \u003c … so no profile string can end the element or open
 *              a comment; a data block never executes
 *   <script>   the viewer (an IIFE), hash-allowed
 *
 * Untrusted text reaching the HTML itself (the title, the findings in <noscript>) is entity-escaped.
 * The SHA-256 comes in as a function (shared/ has no crypto): base64 of the hash of the UTF-8 bytes.
 */
import type { ReportModel } from './model';

export interface ReportAssets {
  /** The viewer bundle (dist/report/report.js): a self-contained IIFE. */
  js: string;
  /** Its stylesheet (dist/report/report.css). */
  css: string;
}

/** base64(SHA-256(UTF-8 bytes of s)). */
export type Sha256Base64 = (s: string) => string;

/** Id of the JSON data block the viewer reads. */
export const REPORT_DATA_ID = 'heapscope-report-data';

/** JSON text made safe inside a <script> element: no <, >, &, U+2028, U+2029 left as such. */
export function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for HTML element content or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/**
 * A script's source made safe to inline: the sequences that change how an HTML parser reads a
 * <script> element ("</script" ends it; "<!--" starts the escaped state in which a later "<script"
 * would keep the real end tag from ending it) get their "<" written as the escape \u003C. In a
 * bundle they can only sit in string, template or regular-expression literals or in comments (as
 * code they would not parse), where the escape stands for the same character.
 */
export function escapeInlineScript(js: string): string {
  return js.replace(/<(\/script|!--)/gi, '\\u003C$1');
}

/** A stylesheet made safe to inline: "</style" cannot occur (CSS escape of "/"). */
export function escapeInlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

export function reportCsp(scriptHash: string, styleHash: string): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}'`,
    `style-src 'sha256-${styleHash}'`,
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function noscriptSummary(model: ReportModel): string {
  const items = model.findings
    .slice(0, 50)
    .map((f) => `<li>${escapeHtml(f.severity.toUpperCase())}: ${escapeHtml(f.title)}</li>`)
    .join('');
  return (
    `<noscript><p>This report draws its flame graphs and tables with JavaScript, which is turned off. ` +
    `Findings (${model.findings.length}):</p><ol>${items}</ol></noscript>`
  );
}

export function renderReportHtml(model: ReportModel, assets: ReportAssets, hash: Sha256Base64): string {
  const js = escapeInlineScript(assets.js);
  const css = escapeInlineStyle(assets.css);
  const data = escapeJsonForScript(JSON.stringify(model));
  const csp = reportCsp(hash(js), hash(css));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&"<>]/g, (c) => escapeHtml(c))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="Heapscope ${escapeHtml(model.heapscopeVersion)}">`,
    `<title>${escapeHtml(model.title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${css}</style>`,
    '</head>',
    '<body class="report-body">',
    `<div id="root">${noscriptSummary(model)}</div>`,
    `<script type="application/json" id="${REPORT_DATA_ID}">${data}</script>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
