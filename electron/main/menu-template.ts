/**
 * The application menu as plain data (type-only import of electron), so tests can check its
 * items and accelerators without Electron. main.ts builds the real Menu from it.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/contract';
import type { RecentFile } from '../../shared/api/types';

export interface MenuActions {
  open(): void;
  openDemo(): void;
  openRecent(path: string): void;
  clearRecent?(): void;
  command(c: MenuCommand): void;
}

export function menuTemplate(opts: { platform: NodeJS.Platform; isDev: boolean; recent: RecentFile[]; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { actions: a } = opts;
  const mac = opts.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] = opts.recent.length
    ? opts.recent.slice(0, 15).map((r) => ({ label: r.name, sublabel: r.path, toolTip: r.path, click: () => a.openRecent(r.path) }))
    : [{ label: 'No recent files', enabled: false }];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => a.open() },
        { label: 'Open URL…', accelerator: 'CmdOrCtrl+L', click: () => a.command('open-url') },
        { label: 'Open Recent', submenu: recent },
        { label: 'Open Demo Investigation', click: () => a.openDemo() },
        { type: 'separator' },
        { label: 'Compare Selected', accelerator: 'CmdOrCtrl+D', click: () => a.command('compare') },
        { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: () => a.command('export-report') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Workspace', accelerator: 'CmdOrCtrl+1', click: () => a.command('show-workspace') },
        { label: 'Findings', accelerator: 'CmdOrCtrl+2', click: () => a.command('show-findings') },
        { label: 'Search Flame Graph', accelerator: 'CmdOrCtrl+F', click: () => a.command('focus-search') },
        { type: 'separator' },
        { role: 'reload' },
        ...(opts.isDev ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
