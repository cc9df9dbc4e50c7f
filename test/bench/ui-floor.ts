/**
 * The browser's floor for the fresh-page target: the very flame graph a served page drew, as a
 * static page with no script at all (its boxes' markup, the page's own style rules, at the same
 * place), served by a plain Node server and loaded the same way, time origin → first contentful
 * paint. No page that draws those boxes can paint them sooner on the same host with the same
 * browser, so the app's figure is read beside it (speed.bench.ts, the ui row).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';

/** A served page's first flame graph, taken apart for the static copy. */
export interface FlameSnapshot {
  /** The chart host's markup (its svg), the tooltip left out. */
  hostHtml: string;
  /** Every style rule the page had (tokens included). */
  css: string;
  /** The root element's attributes (the platform's font stacks hang off `data-os`). */
  rootAttrs: Array<[string, string]>;
  /** The fonts the page preloaded (same-origin paths, e.g. `/assets/…woff2`). */
  fontPreloads: string[];
  /** Where the host was on the page. */
  box: { left: number; top: number; width: number };
  /** How many boxes (`<g>` frames) it held. */
  frames: number;
}

/** Takes the first flame graph off `page` (after it is painted). */
export function snapshotFlame(page: Page): Promise<FlameSnapshot> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid=flame-graph]');
    if (!host) throw new Error('no flame graph on the page');
    const copy = host.cloneNode(true) as Element;
    copy.querySelectorAll('.flame-tooltip').forEach((t) => t.remove());
    const r = host.getBoundingClientRect();
    const css: string[] = [];
    for (const sheet of Array.from(document.styleSheets)) for (const rule of Array.from(sheet.cssRules)) css.push(rule.cssText);
    return {
      hostHtml: copy.outerHTML,
      css: css.join('\n'),
      rootAttrs: Array.from(document.documentElement.attributes).map((a): [string, string] => [a.name, a.value]),
      fontPreloads: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel=preload][as=font]')).map((l) => new URL(l.href).pathname),
      box: { left: r.left, top: r.top, width: r.width },
      frames: host.querySelectorAll('svg g.frame').length,
    };
  });
}

/**
 * The static page: the snapshot's rules inline, its host placed where it was, the root's attributes
 * and the font preloads as the app had them (the floor's server hands out the app's own font files).
 */
export function staticFlamePage(s: FlameSnapshot): string {
  const esc = (x: string) => x.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const attrs = s.rootAttrs.map(([k, v]) => ` ${k.replace(/[^\w:-]/g, '')}="${esc(v)}"`).join('');
  const fonts = s.fontPreloads.map((href) => `<link rel="preload" as="font" type="font/woff2" crossorigin href="${esc(href)}">`).join('');
  return (
    // The style rules' font URLs are relative to the app's stylesheet, in /assets/.
    `<!doctype html><html${attrs}><head><meta charset="utf-8"><base href="/assets/"><title>floor</title>${fonts}` +
    `<style>${s.css.replace(/<\/style/gi, '<\\/style')}</style></head><body>` +
    `<div style="position:absolute;left:${s.box.left}px;top:${s.box.top}px;width:${s.box.width}px">${s.hostHtml}</div>` +
    `</body></html>`
  );
}

/**
 * First contentful paint, from navigation, of `html` loaded `runs` times in fresh pages (after one to
 * warm up). `/assets/<name>` is answered from `assetsDir` (the app's built fonts), anything else with
 * the page.
 */
export async function measureStaticPage(browser: Browser, html: string, runs: number, viewport: { width: number; height: number }, assetsDir: string): Promise<number[]> {
  const server: Server = createServer((req, res) => {
    const m = /^\/assets\/([\w.-]+\.woff2)$/.exec(req.url ?? '');
    const file = m ? join(assetsDir, m[1]!) : null;
    if (file && existsSync(file)) {
      res.setHeader('content-type', 'font/woff2');
      res.end(readFileSync(file));
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const out: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const page = await browser.newPage({ viewport });
      try {
        await page.goto(url);
        const fcp = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => {
                const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
                if (e) resolve(e.startTime);
              }).observe({ type: 'paint', buffered: true });
            }),
        );
        if (i > 0) out.push(fcp);
      } finally {
        await page.close();
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return out;
}
