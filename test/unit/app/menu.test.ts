import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuActions } from '../../../electron/main/menu-template';
import { MENU_COMMANDS, type MenuCommand } from '../../../shared/api/contract';

type MenuItemConstructorOptions = ReturnType<typeof menuTemplate>[number];

function flat(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const out: MenuItemConstructorOptions[] = [];
  const stack = [...items];
  while (stack.length) {
    const i = stack.shift()!;
    out.push(i);
    if (Array.isArray(i.submenu)) stack.push(...i.submenu);
  }
  return out;
}

function actions(log: string[]): MenuActions {
  return {
    open: () => log.push('open'),
    openDemo: () => log.push('demo'),
    openRecent: (p) => log.push(`recent:${p}`),
    command: (c: MenuCommand) => log.push(`cmd:${c}`),
  };
}

const click = (i: MenuItemConstructorOptions) => (i.click as unknown as () => void)();

describe('application menu', () => {
  it('has Open, Open URL, Recent, Compare, Export Report and view switches with accelerators', () => {
    const log: string[] = [];
    const items = flat(menuTemplate({ platform: 'linux', isDev: false, recent: [], actions: actions(log) }));
    const byLabel = (l: string) => items.find((i) => i.label === l)!;
    expect(byLabel('Open…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Open URL…').accelerator).toBe('CmdOrCtrl+L');
    expect(byLabel('Compare Selected').accelerator).toBeTruthy();
    expect(byLabel('Export Report…').accelerator).toBeTruthy();
    expect(byLabel('Findings').accelerator).toBeTruthy();
    for (const l of ['Open URL…', 'Compare Selected', 'Export Report…', 'Findings', 'Workspace']) click(byLabel(l));
    click(byLabel('Open…'));
    expect(log).toEqual(['cmd:open-url', 'cmd:compare', 'cmd:export-report', 'cmd:show-findings', 'cmd:show-workspace', 'open']);
    for (const c of log.filter((x) => x.startsWith('cmd:'))) expect(MENU_COMMANDS).toContain(c.slice(4));
  });

  it('offers DevTools in development only', () => {
    const dev = flat(menuTemplate({ platform: 'linux', isDev: true, recent: [], actions: actions([]) }));
    const prod = flat(menuTemplate({ platform: 'linux', isDev: false, recent: [], actions: actions([]) }));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(prod.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('lists recent files and reopens them', () => {
    const log: string[] = [];
    const recent = [
      { path: '/p/heap.pb.gz', name: 'heap.pb.gz', kind: 'profile' as const, profileKind: 'heap' as const, openedAt: 1 },
      { path: '/p/heap.dump', name: 'heap.dump', kind: 'heapdump' as const, profileKind: 'unknown' as const, openedAt: 0 },
    ];
    const items = flat(menuTemplate({ platform: 'linux', isDev: false, recent, actions: actions(log) }));
    const r = items.find((i) => i.label === 'Open Recent')!;
    const sub = r.submenu as MenuItemConstructorOptions[];
    expect(sub.map((i) => i.label)).toEqual(['heap.pb.gz', 'heap.dump']);
    click(sub[1]!);
    expect(log).toEqual(['recent:/p/heap.dump']);
    const empty = flat(menuTemplate({ platform: 'linux', isDev: false, recent: [], actions: actions([]) })).find((i) => i.label === 'Open Recent')!;
    expect((empty.submenu as MenuItemConstructorOptions[])[0]!.enabled).toBe(false);
  });
});
