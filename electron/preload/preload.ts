/**
 * The preload: exposes window.heapscope, one named function per API method (never ipcRenderer
 * itself), plus progress and open-request subscriptions and the path of a dropped file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS, IPC_OPEN_REQUEST_CHANNEL, IPC_PROGRESS_CHANNEL, ipcChannel, type PreloadBridge } from '../../shared/api/contract';
import type { OpenResult, Progress } from '../../shared/api/types';

const calls = Object.fromEntries(
  API_METHODS.map((m) => [m, (req: unknown, callId: string) => ipcRenderer.invoke(ipcChannel(m), req, callId)]),
);

const bridge = {
  ...calls,
  onProgress(listener: (p: Progress) => void) {
    const fn = (_e: unknown, p: Progress) => listener(p);
    ipcRenderer.on(IPC_PROGRESS_CHANNEL, fn);
    return () => {
      ipcRenderer.removeListener(IPC_PROGRESS_CHANNEL, fn);
    };
  },
  onOpenRequest(listener: (r: OpenResult) => void) {
    const fn = (_e: unknown, r: OpenResult) => listener(r);
    ipcRenderer.on(IPC_OPEN_REQUEST_CHANNEL, fn);
    return () => {
      ipcRenderer.removeListener(IPC_OPEN_REQUEST_CHANNEL, fn);
    };
  },
  pathForFile(file: object): string {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
} as PreloadBridge;

contextBridge.exposeInMainWorld('heapscope', bridge);
