/**
 * The window factory: every window gets the security defaults, a CSP, denied navigation, denied
 * new windows and denied permission requests. External links open only through the allowlist.
 */
import { BrowserWindow, session, shell } from 'electron';
import { isAllowedExternalLink, RENDERER_CSP, secureWindowOptions } from './window-options';

let hardened = false;

function hardenSession(): void {
  if (hardened) return;
  hardened = true;
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}

export function createMainWindow(preloadPath: string, rendererUrl: string): BrowserWindow {
  hardenSession();
  const win = new BrowserWindow(secureWindowOptions(preloadPath));
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== rendererUrl) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl);
  return win;
}
