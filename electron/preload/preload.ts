/**
 * The preload: exposes window.heapscope, one named function per API method (never ipcRenderer
 * itself), plus progress and open-request subscriptions and the path of a dropped file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS, IPC_EVENT_CHANNEL, IPC_PROGRESS_CHANNEL, ipcChannel, type PreloadBridge, type ServerEvent } from '../../shared/api/contract';
import type { Progress } from '../../shared/api/types';

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
  onEvent(listener: (e: ServerEvent) => void) {
    const fn = (_e: unknown, ev: ServerEvent) => listener(ev);
    ipcRenderer.on(IPC_EVENT_CHANNEL, fn);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, fn);
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
