/**
 * Electron main process. Thin: single-instance lock, window, menu, dialogs, open-file events and
 * IPC registration. The work happens in plain Node services and the analysis worker.
 */
import { app, BrowserWindow, dialog, Menu, nativeTheme, safeStorage, type OpenDialogOptions } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, type ServerEvent } from '../../shared/api/contract';
import { describeError } from '../../shared/errors';
import { AnalysisHost } from '../services/analysis-host';
import { ApiService } from '../services/api-service';
import { VERSION } from '../services/version';
import { filesFromArgv } from '../services/argv';
import { registerIpc } from './ipc';
import { createMainWindow } from './window';
import { menuTemplate } from './menu-template';

const rendererUrl = pathToFileURL(join(__dirname, 'renderer', 'index.html')).toString();
const preloadPath = join(__dirname, 'preload.js');
const isDev = !app.isPackaged;

let win: BrowserWindow | null = null;

const openDialogOptions: OpenDialogOptions = {
  title: 'Open profiles or heap dumps',
  properties: ['openFile', 'multiSelections'],
  filters: [
    { name: 'Go profiles, heap dumps and gctrace logs', extensions: ['pb.gz', 'pprof', 'prof', 'pb', 'gz', 'txt', 'dump', 'heapdump', 'log'] },
    { name: 'All files', extensions: ['*'] },
  ],
};
const exeDialog: OpenDialogOptions = { title: "Choose the program's binary (to name globals)", properties: ['openFile'] };
const pendingOpen: string[] = [];

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  nativeTheme.themeSource = 'system';
  const host = new AnalysisHost();
  // Made once the app is ready: the OS keychain (safeStorage) that encrypts saved credentials is
  // only usable from then on.
  let service!: ApiService;
  const makeService = () => new ApiService(host, {
    version: VERSION,
    transport: 'ipc',
    capturesDir: join(app.getPath('userData'), 'captures'),
    dataDir: app.getPath('userData'),
    ...(safeStorage.isEncryptionAvailable()
      ? { secretCodec: { encrypt: (s: string) => safeStorage.encryptString(s), decrypt: (b: Buffer) => safeStorage.decryptString(b) } }
      : {}),
    pickSavePath: async (defaultName) => {
      if (!win) return null;
      const r = await dialog.showSaveDialog(win, { title: 'Export Heapscope report', defaultPath: defaultName, filters: [{ name: 'HTML report', extensions: ['html'] }] });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    pickFiles: async (purpose) => {
      if (!win) return [];
      const r = await dialog.showOpenDialog(win, purpose === 'executable' ? exeDialog : openDialogOptions);
      return r.canceled ? [] : r.filePaths;
    },
    onEvent: (e) => {
      if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
      if (e.type === 'opened') for (const f of e.result.failures) console.error(describeError(f.error));
    },
  });
  host.onCrash((info) => console.error(`heapscope: ${info.message}`));

  const openPaths = (paths: string[]) => {
    if (!paths.length) return;
    if (!win) {
      pendingOpen.push(...paths);
      return;
    }
    void service.openFromOutside(paths).then(() => buildMenu());
    win.show();
    win.focus();
  };

  app.on('second-instance', (_e, argv, cwd) => {
    openPaths(filesFromArgv(argv.slice(1), cwd));
    if (win?.isMinimized()) win.restore();
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    openPaths([path]);
  });

  const openDialog = async () => {
    if (!win) return;
    const r = await dialog.showOpenDialog(win, openDialogOptions);
    if (!r.canceled) openPaths(r.filePaths);
  };

  const send = (e: ServerEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
  };
  const openDemo = () =>
    void service.handlers.openDemo({}, { callId: 'menu', signal: new AbortController().signal, progress: () => undefined }).then((r) => send({ type: 'opened', result: r }));

  const buildMenu = async () => {
    const recent = await service.handlers.recentFiles({}, { callId: 'menu', signal: new AbortController().signal, progress: () => undefined });
    const template = menuTemplate({
      platform: process.platform,
      isDev,
      recent,
      actions: {
        open: () => void openDialog(),
        openDemo,
        openRecent: (p) => openPaths([p]),
        command: (command) => send({ type: 'menu', command }),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  void app.whenReady().then(async () => {
    service = makeService();
    registerIpc(service.handlers, () => win, rendererUrl);
    await buildMenu();
    win = createMainWindow(preloadPath, rendererUrl);
    win.on('closed', () => {
      win = null;
    });
    const initial = [...pendingOpen.splice(0), ...filesFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd())];
    win.webContents.once('did-finish-load', () => {
      if (initial.length) void service.openFromOutside(initial);
      else openDemo();
    });
  });

  app.on('window-all-closed', () => {
    void service.dispose();
    void host.close();
    app.quit();
  });
}
