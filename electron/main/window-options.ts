/**
 * The security defaults of every Heapscope window, as plain data so tests can assert them
 * without Electron. (Type-only import: nothing from electron is loaded here at runtime.)
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Heapscope',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Links the app may open in the user's browser (documentation only). */
export const EXTERNAL_LINK_ALLOWLIST = [/^https:\/\/pkg\.go\.dev\//, /^https:\/\/go\.dev\//, /^https:\/\/github\.com\/google\/pprof\//];

export function isAllowedExternalLink(url: string): boolean {
  return EXTERNAL_LINK_ALLOWLIST.some((re) => re.test(url));
}
