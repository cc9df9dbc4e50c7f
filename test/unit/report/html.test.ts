/**
 * The report file's text: escaping of untrusted strings (function names, titles) in the JSON data
 * block and the HTML, the inline script/style neutralised, and the CSP hashes matching them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importProfile, encodeProfile } from '../../../shared/profile';
import { assembleReport } from '../../../shared/report/assemble';
import { escapeHtml, escapeInlineScript, escapeInlineStyle, escapeJsonForScript, renderReportHtml, REPORT_DATA_ID } from '../../../shared/report/html';
import type { ReportModel } from '../../../shared/report/model';
import { loadReportAssets, sha256Base64 } from '../../../electron/services/report-writer';
import { ROOT } from '../compare/fixtures';
import { HOSTILE_LIST, HOSTILE_NAMES, hostileProfile } from './hostile';

const DIST_REPORT = join(ROOT, 'dist', 'report');
const haveBundle = existsSync(join(DIST_REPORT, 'report.js'));

function hostileModel(title = 'Report </title><script>window.__pwned=1</script>'): ReportModel {
  const bytes = encodeProfile(hostileProfile(1));
  const bytes2 = encodeProfile(hostileProfile(3));
  const a = importProfile(bytes, 'a.pb', { gunzip: (b) => b });
  const b = importProfile(bytes2, 'b.pb', { gunzip: (x) => x });
  return assembleReport(
    [
      { name: '<img src=x onerror=window.__pwned=1>.pb', kind: 'profile', imported: a },
      { name: 'b</script>.pb', kind: 'profile', imported: b },
    ],
    { heapscopeVersion: 'test', title, createdAt: '2026-01-02T03:04:05.000Z', minFraction: 0 },
  );
}

const FAKE = { js: 'window.__viewer = "ok";', css: 'body{color:red}' };

function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  if (!m) throw new Error('no CSP meta');
  return m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('escaping', () => {
  it('writes <, >, &, U+2028 and U+2029 of JSON as \\u escapes, and the JSON still parses to the same value', () => {
    const v = { a: '</script><script>x()</script>', b: '<!-- <img onerror=y>', c: 'x\u2028y\u2029z', d: 'a & b > c' };
    const s = escapeJsonForScript(JSON.stringify(v));
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(s).toContain('\\u003c/script\\u003e');
    expect(s).toContain('\\u2028');
    expect(JSON.parse(s)).toEqual(v);
  });

  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & co`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co');
  });

  it('neutralises </script and <!-- in inline scripts without changing what the code means', () => {
    const js = `window.__r = ["</script>", '<!--', \`</SCRIPT \${1}\`, /<\\/script>/.source, "a<script>b"];`;
    const out = escapeInlineScript(js);
    expect(out).not.toMatch(/<\/script|<!--/i);
    const run = (src: string) => {
      const w: { __r?: unknown } = {};
      new Function('window', src)(w);
      return w.__r;
    };
    expect(run(out)).toEqual(run(js));
    expect(escapeInlineStyle('a{content:"</style><script>"}')).not.toMatch(/<\/style/i);
  });

  it('keeps every hostile name out of the markup: exactly two script elements, data equal to the model', () => {
    const model = hostileModel();
    const html = renderReportHtml(model, FAKE, sha256Base64);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)];
    expect(scripts.length).toBe(2);
    expect(html.match(/<\/script>/g)!.length).toBe(2);
    expect(/<!--/.test(html)).toBe(false);
    expect(/[\u2028\u2029]/.test(html)).toBe(false);
    expect(html.includes('<img')).toBe(false);
    expect(html.includes('<svg')).toBe(false);
    expect(html.includes('<title>Report &lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>')).toBe(true);
    // The data block: the model, unchanged.
    const data = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([\\s\\S]*?)</script>`).exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(JSON.parse(JSON.stringify(model)));
    // Every hostile name made it into the model (flame, top, diff), as plain strings.
    for (const n of HOSTILE_LIST) expect(model.strings).toContain(n);
    expect(model.inputs.map((i) => i.name)).toContain('<img src=x onerror=window.__pwned=1>.pb');
    // The noscript findings list is escaped too.
    expect(html.indexOf('window.__pwned=1')).toBeGreaterThan(-1);
    for (const m of html.matchAll(/window\.__pwned=1/g)) {
      const before = html.slice(Math.max(0, m.index! - 30), m.index!);
      expect(before).not.toMatch(/<(script|img|svg)[^>]*$/i);
    }
    expect(HOSTILE_NAMES.seps).toMatch(/\u2028/);
  });
});

describe('Content-Security-Policy', () => {
  it('forbids every fetch and allows only the inline script and style by hash', () => {
    const html = renderReportHtml(hostileModel('t'), FAKE, sha256Base64);
    const csp = cspOf(html);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.has('connect-src')).toBe(false);
    expect(directives.get('img-src')).toEqual(['data:']);
    expect(directives.get('font-src')).toEqual(['data:']);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    // The CSP meta comes before any script or style.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it.skipIf(!haveBundle)('hashes match the inline viewer script and stylesheet (real bundle)', () => {
    const assets = loadReportAssets(DIST_REPORT);
    const html = renderReportHtml(hostileModel('t'), assets, sha256Base64);
    const csp = cspOf(html);
    const viewer = scriptBodies(html).at(-1)!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${sha256Base64(viewer)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256Base64(style)}'`);
    // The bundle went in whole (after neutralising), and is one self-contained IIFE.
    expect(viewer).toBe(escapeInlineScript(assets.js));
    expect(viewer.length).toBeGreaterThan(100_000);
    expect(viewer).not.toMatch(/\bimport\s*\(|<\/script|<!--/i);
    expect(style).not.toMatch(/url\((?!\s*['"]?(data:|#))/);
    expect(style).not.toMatch(/@import/);
  });
});
