/**
 * What a fresh page of the built renderer (dist/renderer, `npm run build`) asks for before its
 * first screen: each request costs a fresh page ~7 ms on a busy two-core machine (the first flame
 * graph, `npm run bench -- speed`), so the count is held here. A module that the boot bundle and a
 * lazy view both import, left to rolldown, becomes a chunk (a request) of its own: name it in the
 * `shared` group of build/vite.renderer.config.mts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/paths';

const DIST = join(ROOT, 'dist', 'renderer');

function head(): string {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  return html.slice(0, html.indexOf('</head>'));
}

const attrs = (tag: string): Record<string, string> => Object.fromEntries([...tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1]!, m[2] ?? '']));

describe('the built page boot requests', () => {
  it('loads three scripts: the entry, the rolldown runtime and the shared chunk with React', () => {
    const tags = [...head().matchAll(/<(?:script|link)\b[^>]*>/g)].map((m) => m[0]);
    const scripts = tags.filter((t) => t.startsWith('<script')).map((t) => attrs(t).src);
    const preloads = tags.filter((t) => attrs(t).rel === 'modulepreload').map((t) => attrs(t).href);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^\.\/assets\/index-[\w-]+\.js$/);
    expect(preloads.map((p) => /\/assets\/([\w-]+?)-[\w-]{8}\.js$/.exec(p ?? '')?.[1]).sort()).toEqual(['rolldown-runtime', 'shared']);
    // React and the app modules lazy views share with the boot bundle live in the shared chunk.
    const shared = readFileSync(join(DIST, preloads.find((p) => p?.includes('/shared-'))!), 'utf8');
    const sources = (JSON.parse(readFileSync(join(DIST, `${preloads.find((p) => p?.includes('/shared-'))!}.map`), 'utf8')) as { sources: string[] }).sources;
    expect(shared.length).toBeGreaterThan(100_000);
    for (const s of ['react-dom/cjs/react-dom-client.production.js', 'react/cjs/react-jsx-runtime.production.js', 'renderer/src/lib/format.ts', 'shared/errors.ts']) {
      expect(sources.some((x) => x.endsWith(s))).toBe(true);
    }
  });

  it('asks for one stylesheet and preloads the one font, which the stylesheet uses', () => {
    const tags = [...head().matchAll(/<link\b[^>]*>/g)].map((m) => attrs(m[0]));
    const css = tags.filter((t) => t.rel === 'stylesheet');
    const fonts = tags.filter((t) => t.rel === 'preload' && t.as === 'font');
    expect(css).toHaveLength(1);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatchObject({ type: 'font/woff2', crossorigin: '' });
    const font = fonts[0]!.href!;
    expect(font).toMatch(/^\.\/assets\/noto-sans-latin-wght-normal-[\w-]{8}\.woff2$/);
    expect(existsSync(join(DIST, font))).toBe(true);
    const sheet = readFileSync(join(DIST, css[0]!.href!), 'utf8');
    expect(sheet).toContain(`url(${font.replace('./assets/', './')})`);
    // Its license travels with it.
    expect(readFileSync(join(DIST, 'licenses', 'noto-sans-OFL.txt'), 'utf8')).toMatch(/SIL OPEN FONT LICENSE/i);
  });

  it('leaves the font out of the report viewer, which keeps the system fonts', () => {
    const css = readFileSync(join(ROOT, 'dist', 'report', 'report.css'), 'utf8');
    expect(css).not.toContain('@font-face');
    expect(css).toContain('--font-ui:var(--font-ui-system)');
  });
});
