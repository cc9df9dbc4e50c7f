/**
 * The served page's inline boot data (electron/services/boot-page.ts) and the renderer's reader
 * (renderer/src/app/bootData.ts): the JSON survives untrusted strings without ever holding `<`, `>`
 * or `&`; the host's default flame graph query is exactly the one the renderer makes first; what
 * the host writes is what the renderer reads.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootElement, bootFlameQuery, bootPage, BootResources, BOOT_ELEMENT_ID, BOOT_RESOURCE_PREFIX, collectBootData, preloadLinks, scriptJson, splitPage, warmBootPage, type BootPayload } from '../../../electron/services/boot-page';
import { ROOT } from '../../helpers/paths';
import type { ApiHandlers } from '../../../shared/api/contract';
import type { AppInfo, FlameResult, LoadedItem } from '../../../shared/api/types';
import { heapDumpItem, profileItem } from '../renderer/items';

const EVIL = ['</script><script>window.__pwned=1</script>', '<!--', '<img src=x onerror=alert(1)>', 'a&amp;b', 'line\u2028sep\u2029', '"quoted" \\ back', '\ud800 lone'];

/** A stand-in for the page's document: one element with the given text. */
function fakeDoc(id: string, type: string, text: string): { doc: Document; removed: () => boolean } {
  let gone = false;
  const el = { tagName: 'SCRIPT', getAttribute: (n: string) => (n === 'type' ? type : null), textContent: text, remove: () => (gone = true) };
  const doc = { getElementById: (x: string) => (x === id && !gone ? el : null) } as unknown as Document;
  return { doc, removed: () => gone };
}

/** The element's text as the HTML parser hands it to the page (everything between the tags). */
function elementText(html: string): string {
  const open = `<script type="application/json" id="${BOOT_ELEMENT_ID}">`;
  expect(html.startsWith(open)).toBe(true);
  const body = html.slice(open.length);
  // a script data block ends at the first `</script` (any case): it must be the element's own end
  const end = body.search(/<\/script/i);
  expect(end).toBe(body.length - '</script>'.length);
  return body.slice(0, end);
}

describe('scriptJson', () => {
  it('never writes <, > or & (nor U+2028/2029), and JSON.parse gives every string back', () => {
    const v = { names: EVIL, nested: { k: EVIL.join('') } };
    const s = scriptJson(v);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(v);
  });

  it('an element holding untrusted names ends where it should', () => {
    const items = EVIL.map((n) => profileItem(n, 'cpu'));
    const html = bootElement({ v: 1, items, info: { version: '1', transport: 'http', canOpenPaths: true, canPickFiles: false } });
    expect(JSON.parse(elementText(html)).items.map((i: LoadedItem) => i.name)).toEqual(EVIL);
  });
});

describe('splitPage', () => {
  it('cuts before </body>, or at the end when there is none', () => {
    expect(splitPage('<html><body><div></div></body></html>')).toEqual(['<html><body><div></div>', '</body></html>']);
    expect(splitPage('<p>x')).toEqual(['<p>x', '']);
  });
});

describe('the default flame graph query', () => {
  it("is the renderer's first query for the same workspace", async () => {
    vi.resetModules();
    const { defaultFlameQuery } = await import('../../../renderer/src/app/bootData');
    const { pickDefault } = await import('../../../renderer/src/app/pickDefault');
    const lists: LoadedItem[][] = [
      [profileItem('cpu.pb.gz', 'cpu'), profileItem('heap.pb.gz', 'heap')],
      [profileItem('cpu.pb.gz', 'cpu', { defaultSampleIndex: 0 })],
      [profileItem('odd.pb.gz', 'cpu', { defaultSampleIndex: 7 })], // out of range: the last type
      [profileItem('none.pb.gz', 'cpu', { defaultSampleIndex: -1, sampleTypes: [] })],
      [profileItem('goroutine.pb.gz', 'goroutine'), heapDumpItem('dump')],
      [heapDumpItem('dump'), profileItem('cpu.pb.gz', 'cpu')],
    ];
    for (const items of lists) expect(bootFlameQuery(items)).toEqual(defaultFlameQuery(pickDefault(items)!));
    expect(bootFlameQuery([heapDumpItem('dump')])).toBeNull();
    expect(bootFlameQuery([])).toBeNull();
  });
});

function handlers(items: LoadedItem[], flame: () => Promise<FlameResult>): { h: ApiHandlers; flames: unknown[] } {
  const flames: unknown[] = [];
  const h = {
    listItems: async () => items,
    appInfo: async () => ({ version: '9', transport: 'http', canOpenPaths: true, canPickFiles: false }) as AppInfo,
    flameGraph: async (req: unknown) => (flames.push(req), flame()),
  } as unknown as ApiHandlers;
  return { h, flames };
}

const RESULT = { sampleType: { type: 'cpu', unit: 'nanoseconds' }, sampleIndex: 1, total: 5, root: { name: 'root', value: 5, self: 0, children: [] }, nodeCount: 1, hiddenFrames: 0 } as unknown as FlameResult;

describe('collectBootData', () => {
  it('has the list, the info and the default flame graph query; the flame graph is asked for only when fetched', async () => {
    const items = [profileItem('heap.pb.gz', 'heap')];
    const { h, flames } = handlers(items, async () => RESULT);
    const d = await collectBootData(h);
    expect(d?.payload).toEqual({ v: 1, items, info: expect.objectContaining({ version: '9' }) });
    expect(d?.flame?.query).toEqual(bootFlameQuery(items));
    expect(flames).toEqual([]);
    expect(await d?.flame?.fetch()).toEqual(RESULT);
    expect(flames).toEqual([bootFlameQuery(items)]);
  });

  it('has no flame graph for a heap dump, and a failed flame graph call gives null', async () => {
    const dump = handlers([heapDumpItem('dump')], async () => RESULT);
    expect((await collectBootData(dump.h))?.flame).toBeNull();
    const failing = handlers([profileItem('cpu.pb.gz', 'cpu')], () => Promise.reject(new Error('worker gone')));
    expect(await (await collectBootData(failing.h))?.flame?.fetch()).toBeNull();
  });
});

describe('boot resources', () => {
  it('keeps each JSON under its own unguessable path, for a while, the newest few', async () => {
    vi.useFakeTimers();
    try {
      const r = new BootResources(1000, 3);
      const paths = ['a', 'b', 'c', 'd'].map((x) => r.add(Promise.resolve(`"${x}"`)));
      expect(new Set(paths).size).toBe(4);
      for (const p of paths) expect(p).toMatch(new RegExp(`^${BOOT_RESOURCE_PREFIX}[\\w-]{24}$`));
      expect(r.get(paths[0]!)).toBeNull(); // over the limit: the oldest went
      expect(await r.get(paths[3]!)).toBe('"d"');
      expect(r.get('/boot/not-one-of-them')).toBeNull();
      expect(r.get(paths[3]!.replace(BOOT_RESOURCE_PREFIX, '/assets/'))).toBeNull();
      vi.advanceTimersByTime(1001);
      expect(r.get(paths[3]!)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("makes a query's flame graph JSON once, and again only after it failed", async () => {
    const r = new BootResources();
    const q = bootFlameQuery([profileItem('cpu.pb.gz', 'cpu')])!;
    let made = 0;
    const make = async () => (made++, '{"x":1}');
    expect(await r.flameJson(q, make)).toBe('{"x":1}');
    // the same query, its keys in another order: the same text, not made again
    expect(await r.flameJson(Object.fromEntries(Object.entries(q).reverse()) as typeof q, make)).toBe('{"x":1}');
    expect(made).toBe(1);
    expect(await r.flameJson({ ...q, granularity: 'lines' }, make)).toBe('{"x":1}');
    expect(made).toBe(2);
    const q2 = { ...q, minFraction: 0.5 };
    expect(await r.flameJson(q2, async () => null)).toBeNull();
    expect(await r.flameJson(q2, make)).toBe('{"x":1}');
    expect(made).toBe(3);
  });
});

describe('bootPage', () => {
  it("writes the list and info inline and names the flame graph's boot resource (also to preload)", async () => {
    const items = [profileItem('heap.pb.gz', 'heap')];
    const { h, flames } = handlers(items, async () => RESULT);
    const resources = new BootResources();
    const page = await bootPage(h, resources, new AbortController().signal);
    expect(page?.preload).toHaveLength(1);
    const url = page!.preload[0]!;
    const payload = JSON.parse(elementText(page!.element)) as BootPayload;
    expect(payload).toEqual({ v: 1, items, info: expect.objectContaining({ version: '9' }), flame: { query: bootFlameQuery(items), url } });
    expect(JSON.parse((await resources.get(url))!)).toEqual(RESULT);
    // a second page: a new resource, the same JSON, no second flame graph call
    const again = await bootPage(h, resources, new AbortController().signal);
    expect(again!.preload[0]).not.toBe(url);
    expect(await resources.get(again!.preload[0]!)).toBe(await resources.get(url));
    expect(flames).toHaveLength(1);
  });

  it('names no flame graph for a heap dump; warming makes the first page\'s JSON ahead', async () => {
    const dump = handlers([heapDumpItem('dump')], async () => RESULT);
    const page = await bootPage(dump.h, new BootResources(), new AbortController().signal);
    expect(page?.preload).toEqual([]);
    expect((JSON.parse(elementText(page!.element)) as BootPayload).flame).toBeUndefined();
    const items = [profileItem('cpu.pb.gz', 'cpu')];
    const { h, flames } = handlers(items, async () => RESULT);
    const resources = new BootResources();
    await warmBootPage(h, resources);
    expect(flames).toHaveLength(1);
    const first = await bootPage(h, resources, new AbortController().signal);
    expect(JSON.parse((await resources.get(first!.preload[0]!))!)).toEqual(RESULT);
    expect(flames).toHaveLength(1);
  });
});

describe("the renderer's reader", () => {
  async function fresh() {
    vi.resetModules();
    return import('../../../renderer/src/app/bootData');
  }

  it('reads what the host writes, once, and takes the element out', async () => {
    const { readInlineBoot } = await fresh();
    const items = EVIL.map((n) => profileItem(n, 'heap'));
    const payload: BootPayload = { v: 1, items, info: { version: '9', transport: 'http', canOpenPaths: true, canPickFiles: false }, flame: { query: bootFlameQuery(items)!, url: '/boot/0123456789abcdef_-XYZ01' } };
    const { doc, removed } = fakeDoc(BOOT_ELEMENT_ID, 'application/json', elementText(bootElement(payload)));
    expect(readInlineBoot(doc)).toEqual({ items, info: payload.info, flame: payload.flame });
    expect(removed()).toBe(true);
    expect(readInlineBoot(doc)).toBeNull();
  });

  it('ignores a missing, foreign or broken element', async () => {
    const { readInlineBoot } = await fresh();
    expect(readInlineBoot(fakeDoc('other', 'application/json', '{}').doc)).toBeNull();
    expect(readInlineBoot(fakeDoc(BOOT_ELEMENT_ID, 'text/javascript', scriptJson({ v: 1, items: [], info: {} })).doc)).toBeNull();
    expect(readInlineBoot(fakeDoc(BOOT_ELEMENT_ID, 'application/json', '{"v":1,').doc)).toBeNull();
    expect(readInlineBoot(fakeDoc(BOOT_ELEMENT_ID, 'application/json', '{"v":2,"items":[],"info":{}}').doc)).toBeNull();
  });

  it('takes a flame graph address only when it is a boot resource of this origin', async () => {
    const { readInlineBoot } = await fresh();
    const query = bootFlameQuery([profileItem('cpu.pb.gz', 'cpu')]);
    for (const url of ['https://evil.example/boot/0123456789abcdef', '//evil.example/boot/0123456789abcdef', '/api/flameGraph', '/boot/short', '/boot/../api/0123456789abcdef', 42]) {
      const text = scriptJson({ v: 1, items: [], info: {}, flame: { query, url } });
      expect(readInlineBoot(fakeDoc(BOOT_ELEMENT_ID, 'application/json', text).doc)?.flame).toBeUndefined();
    }
  });
});

describe('preload links for the served page', () => {
  const HEAD = `<!doctype html><html><head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'" />
    <link rel="icon" href="data:," />
    <script type="module" crossorigin src="./assets/index-AbC_1.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/format-x-Y.js">
    <link rel="stylesheet" crossorigin href="./assets/index-Z.css">
    <link rel="stylesheet" href="https://elsewhere.example/x.css">
    <script src="./assets/classic.js"></script>
    <link rel="modulepreload" href="./assets/../../etc/passwd">
    <link rel="preload" as="font" type="font/woff2" crossorigin="" href="./assets/sans-latin-AbCdEf12.woff2">
    <link rel="preload" as="font" type="font/woff2&quot;; rel=x" crossorigin href="./assets/odd-AbCdEf12.woff2">
    <link rel="preload" as="image" href="./assets/logo-AbCdEf12.png">
  </head><body>`;

  it('asks for the bundle, its preloaded chunks, the stylesheet and the preloaded fonts, with the tags crossorigin mode', () => {
    expect(preloadLinks(HEAD)).toBe(
      '</assets/index-AbC_1.js>; rel=modulepreload; crossorigin, </assets/format-x-Y.js>; rel=modulepreload; crossorigin, </assets/index-Z.css>; rel=preload; as=style; crossorigin, ' +
        '</assets/sans-latin-AbCdEf12.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin, </assets/odd-AbCdEf12.woff2>; rel=preload; as=font; crossorigin',
    );
  });

  it('lists nothing for a page without same-origin scripts or styles', () => {
    expect(preloadLinks('<html><head><link rel="icon" href="data:,"><script type="module" src="https://x.example/a.js"></script></head><body>')).toBeNull();
  });

  it("lists the built page's own bundle and stylesheet", () => {
    const built = readFileSync(join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
    const link = preloadLinks(splitPage(built)[0]) ?? '';
    const entry = /<script type="module"[^>]*src="\.(\/assets\/[^"]+\.js)"/.exec(built)?.[1];
    const css = /<link rel="stylesheet"[^>]*href="\.(\/assets\/[^"]+\.css)"/.exec(built)?.[1];
    expect(entry && css).toBeTruthy();
    expect(link).toContain(`<${entry}>; rel=modulepreload`);
    expect(link).toContain(`<${css}>; rel=preload; as=style`);
    // The bundled UI font (renderer/src/styles/fonts.css), in before the first layout.
    const fonts = [...built.matchAll(/<link rel="preload" as="font"[^>]*href="\.(\/assets\/[^"]+\.woff2)"/g)].map((m) => m[1]);
    expect(fonts.map((f) => /noto-sans-latin-wght-normal/.exec(f ?? '')?.[0])).toEqual(['noto-sans-latin-wght-normal']);
    for (const f of fonts) expect(link).toContain(`<${f}>; rel=preload; as=font; type="font/woff2"; crossorigin`);
  });
});
