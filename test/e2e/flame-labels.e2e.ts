/**
 * Flame graph labels (patches/d3-flame-graph+5.0.0.patch): a frame gets its label (a foreignObject
 * and its div) once it is wide enough to show one (35 px), not when it is first drawn. Checked in
 * Chromium on a served page, for a small tree (zooms animate) and a big one (>1000 frames: zooms are
 * drawn at once): on the first draw narrow frames have no label element and every wide frame shows
 * its own name; zooming into a frame widens its children past 35 px and they get their labels;
 * zooming back out leaves no wide frame without one.
 *
 * The same patch listens for a frame's clicks and hovers once, on the svg, not on every frame: no
 * frame has a listener of its own (DevTools' DOMDebugger), and a click and a hover on a frame's box
 * still zoom to it and show its tooltip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ProfileBuilder } from '../../shared/profile/builder';
import { encodeProfile } from '../../shared/profile/index';
import { startServe, type ServeProc } from '../helpers/serve';
import { haveChromium, launchChromium, watchErrors } from '../helpers/browser';

if (!haveChromium()) console.log('end-to-end: /usr/bin/chromium is missing (apt-get install -y chromium); these tests will fail');

/**
 * main.main → app.hot (20% of the samples) → 10 children of 2% each (~27 px wide unzoomed; ~59 px
 * once app.hot is zoomed, beside the function panel that zoom opens), beside app.wide (80%);
 * `extraLeaves` leaves of 0.06% each under app.wide (above the graph's 0.05% pruning, under a pixel)
 * make the tree big enough that its zooms are not animated.
 */
function profile(extraLeaves: number): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('samples', 'count'), b.valueType('cpu', 'nanoseconds')];
  let addr = 0x401000;
  const loc = (name: string) => b.location(name, (addr += 0x10), [{ func: b.func(name, 'app/app.go'), line: 1 }]);
  const main = loc('main.main');
  const hot = loc('app.hot');
  const wide = loc('app.wide');
  const unit = 1000;
  for (let i = 0; i < 10; i++) b.sample([loc(`app.child${i}`), hot, main], [2 * unit, 2 * unit]);
  const leaf = 60; // of 100,000
  b.sample([wide, main], [80 * unit - extraLeaves * leaf, 80 * unit - extraLeaves * leaf]);
  for (let i = 0; i < extraLeaves; i++) b.sample([loc(`app.leaf${i}`), wide, main], [leaf, leaf]);
  return encodeProfile(b.build());
}

interface LabelState {
  frames: number;
  /** Frames narrower than 35 px with no label element. */
  narrowWithout: number;
  /** Wide frames whose label is missing, hidden or not their own name. */
  wideWrong: string[];
  /** Wide frames showing their label. */
  wideLabelled: string[];
}

async function labelState(graph: Locator): Promise<LabelState> {
  return graph.evaluate((host) => {
    const s: LabelState = { frames: 0, narrowWithout: 0, wideWrong: [], wideLabelled: [] };
    for (const g of host.querySelectorAll('g.frame')) {
      s.frames++;
      const w = Number(g.querySelector('rect')?.getAttribute('width'));
      const label = g.querySelector<HTMLElement>('foreignObject > div.d3-flame-graph-label');
      const name = g.getAttribute('name') ?? '';
      if (w < 35) {
        if (!g.querySelector('foreignObject')) s.narrowWithout++;
      } else if (!label || label.style.display === 'none' || label.textContent !== name) s.wideWrong.push(`${name} (${w.toFixed(0)} px)`);
      else s.wideLabelled.push(name);
    }
    return s;
  });
}

let browser: Browser;
let dir: string;
const servers: ServeProc[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'hs-flame-labels-'));
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A served page of `bytes` (a profile written as `name`), once its graph shows `shown`; `init` runs
 * in the page before its own scripts.
 */
async function open(name: string, bytes: Uint8Array, opts: { shown?: string; init?: () => void } = {}): Promise<{ page: Page; graph: Locator; errors: string[] }> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const srv = await startServe([file, '--no-demo']);
  servers.push(srv);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = watchErrors(page);
  if (opts.init) await page.addInitScript(opts.init);
  await page.goto(srv.url);
  const graph = page.getByTestId('flame-graph').first();
  await graph.locator(`g.frame[name="${opts.shown ?? 'app.hot'}"] rect[width]`).waitFor();
  return { page, graph, errors };
}

describe.each([
  { what: 'a small tree (animated zoom)', file: 'small.pb', extraLeaves: 0, animated: 'true' },
  { what: 'a big tree (zoom drawn at once)', file: 'big.pb', extraLeaves: 1100, animated: 'false' },
])('flame graph labels, $what', ({ file, extraLeaves, animated }) => {
  it('label only the frames wide enough to show one, and label frames a zoom widens', async () => {
    const { page, graph, errors } = await open(file, profile(extraLeaves));
    try {
      expect(await graph.getAttribute('data-animated')).toBe(animated);
      // the graph may still follow its panel's width (a redraw) right after the first paint
      await expect.poll(async () => (await labelState(graph)).wideLabelled, { timeout: 5000 }).toEqual(expect.arrayContaining(['main.main', 'app.hot', 'app.wide']));
      const first = await labelState(graph);
      expect(first.wideWrong).toEqual([]);
      expect(first.wideLabelled.filter((n) => n.startsWith('app.child'))).toEqual([]);
      // the 10 children are narrow: no label element was made for them
      expect(first.narrowWithout).toBeGreaterThanOrEqual(10);

      await graph.locator('g.frame[name="app.hot"]').click();
      await expect.poll(() => graph.getAttribute('data-zoom-path')).toBe('main.main\napp.hot');
      // a zoom animates the widths of a small tree: wait for the children's final widths
      await expect.poll(async () => (await labelState(graph)).wideLabelled.filter((n) => n.startsWith('app.child')).length, { timeout: 5000 }).toBe(10);
      await expect.poll(async () => (await labelState(graph)).wideWrong, { timeout: 5000 }).toEqual([]);

      await page.getByTestId('flame-reset-zoom').first().click();
      await expect.poll(() => graph.getAttribute('data-zoomed')).toBe('false');
      // a small tree's frames shrink back through a transition: wait for its end state
      await expect.poll(async () => (await labelState(graph)).wideLabelled, { timeout: 5000 }).toEqual(expect.arrayContaining(['main.main', 'app.hot', 'app.wide']));
      expect((await labelState(graph)).wideWrong).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('flame graph events (one listener on the svg)', () => {
  it('no frame has listeners of its own; a frame\'s box still zooms on click and shows its tooltip on hover', async () => {
    const { page, graph, errors } = await open('events.pb', profile(1100));
    try {
      const cdp = await page.context().newCDPSession(page);
      const listenersOf = async (selector: string): Promise<string[]> => {
        const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})` });
        if (!result.objectId) throw new Error(`no element ${selector}`);
        const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
        return listeners.map((l) => l.type).sort();
      };
      const svg = '[data-testid=flame-graph] svg';
      expect(await listenersOf(`${svg} g.frame[name="app.hot"]`)).toEqual([]);
      expect(await listenersOf(`${svg} g.frame[name="app.child3"]`)).toEqual([]);
      expect(await listenersOf(`${svg} g.frame[name="app.hot"] rect`)).toEqual([]);
      expect(await listenersOf(svg)).toEqual(expect.arrayContaining(['click', 'mouseout', 'mouseover']));

      await graph.locator('g.frame[name="app.child3"] rect').hover();
      const tip = page.locator('.flame-tooltip:not([hidden])');
      await expect.poll(() => tip.textContent(), { timeout: 5000 }).toContain('app.child3');
      await page.mouse.move(5, 5);
      await expect.poll(() => tip.count(), { timeout: 5000 }).toBe(0);

      await graph.locator('g.frame[name="app.child3"] rect').click();
      await expect.poll(() => graph.getAttribute('data-zoom-path')).toBe('main.main\napp.hot\napp.child3');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/**
 * A big tree's first draw is made from the frames its width can show (model.ts visibleTree): a
 * frame under a pixel keeps its place but not its callees. The whole tree follows once the boxes are
 * painted. The boxes must not move when it does, and a zoom must then show frames that were under
 * a pixel: app.child0 → app.tiny → app.tinychild is 0.1% of the samples (under a pixel unzoomed,
 * ~30 px once app.child0 is zoomed).
 */
function tinyChainProfile(): Uint8Array {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('samples', 'count'), b.valueType('cpu', 'nanoseconds')];
  let addr = 0x401000;
  const loc = (name: string) => b.location(name, (addr += 0x10), [{ func: b.func(name, 'app/app.go'), line: 1 }]);
  const main = loc('main.main');
  const hot = loc('app.hot');
  const wide = loc('app.wide');
  const child0 = loc('app.child0');
  const tiny = loc('app.tiny');
  const tinychild = loc('app.tinychild');
  b.sample([child0, hot, main], [1900, 1900]);
  b.sample([tinychild, tiny, child0, hot, main], [100, 100]);
  b.sample([hot, main], [18_000, 18_000]);
  const leaf = 60; // of 100,000: under a pixel
  const leaves = 1100;
  b.sample([wide, main], [80_000 - leaves * leaf, 80_000 - leaves * leaf]);
  for (let i = 0; i < leaves; i++) b.sample([loc(`app.leaf${i}`), wide, main], [leaf, leaf]);
  return encodeProfile(b.build());
}

describe('a big tree: the first draw from what its width shows, then the whole tree', () => {
  it('the boxes do not move when the whole tree comes, and a zoom then shows frames that were under a pixel', async () => {
    // The boxes as first painted, taken in the page before anything else runs.
    const { page, graph, errors } = await open('tiny-chain.pb', tinyChainProfile(), {
      shown: 'app.child0',
      init: () => {
        const w = window as unknown as { __firstBoxes?: string[] };
        const mo = new MutationObserver(() => {
          const gs = document.querySelectorAll('[data-testid=flame-graph] g.frame');
          if (!gs.length) return;
          mo.disconnect();
          w.__firstBoxes = [...gs].map((g) => `${g.getAttribute('name')} ${g.getAttribute('transform')} ${g.firstElementChild?.getAttribute('width')}`).sort();
        });
        mo.observe(document, { subtree: true, childList: true });
      },
    });
    try {
      expect(await graph.getAttribute('data-animated')).toBe('false');
      const boxes = () => graph.evaluate((host) => [...host.querySelectorAll('g.frame')].map((g) => `${g.getAttribute('name')} ${g.getAttribute('transform')} ${g.firstElementChild?.getAttribute('width')}`).sort());
      const first = await page.evaluate(() => (window as unknown as { __firstBoxes?: string[] }).__firstBoxes);
      expect(first?.length).toBeGreaterThan(3);
      expect(first).not.toContain(expect.stringMatching(/^app\.tiny /));
      // once the whole tree is drawn (when the page is next idle), the same boxes in the same places
      await expect.poll(() => graph.getAttribute('data-whole'), { timeout: 5000 }).toBe('true');
      expect(await boxes()).toEqual(first);

      await graph.locator('g.frame[name="app.child0"]').click();
      await expect.poll(() => graph.getAttribute('data-zoom-path')).toBe('main.main\napp.hot\napp.child0');
      await graph.locator('g.frame[name="app.tinychild"] rect[width]').waitFor({ timeout: 5000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a zoom before the page is idle draws the whole tree at once, zoomed', async () => {
    // The page is never idle: only the zoom can bring the whole tree.
    const { page, graph, errors } = await open('tiny-chain-early.pb', tinyChainProfile(), {
      shown: 'app.child0',
      init: () => {
        const w = window as unknown as { requestIdleCallback: () => number; cancelIdleCallback: () => void };
        w.requestIdleCallback = () => 1;
        w.cancelIdleCallback = () => undefined;
      },
    });
    try {
      expect(await graph.getAttribute('data-whole')).toBe('false');
      expect(await graph.locator('g.frame[name="app.tiny"]').count()).toBe(0);
      await graph.locator('g.frame[name="app.child0"]').click();
      await expect.poll(() => graph.getAttribute('data-zoom-path')).toBe('main.main\napp.hot\napp.child0');
      expect(await graph.getAttribute('data-whole')).toBe('true');
      await graph.locator('g.frame[name="app.tinychild"] rect[width]').waitFor({ timeout: 5000 });
      // no nameless box (a first-tree spacer) is left drawn
      expect(await graph.locator('g.frame[name=""]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
