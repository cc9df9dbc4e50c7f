/**
 * Registers one IPC handler per API method. Each checks the sender frame and validates the
 * payload (electron/services/ipc-guard.ts) before the shared service runs.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { API_METHODS, IPC_PROGRESS_CHANNEL, ipcChannel, type ApiHandlers } from '../../shared/api/contract';
import { handleIpcCall, isValidCallId } from '../services/ipc-guard';

export function registerIpc(handlers: ApiHandlers, getWindow: () => BrowserWindow | null, rendererUrl: string): void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event, payload: unknown, callId: unknown) => {
      const frame = event.senderFrame;
      const win = getWindow();
      const sender = {
        frameUrl: frame?.url,
        isTopFrame: Boolean(
          frame &&
            win &&
            !win.isDestroyed() &&
            event.sender === win.webContents &&
            frame.processId === win.webContents.mainFrame.processId &&
            frame.routingId === win.webContents.mainFrame.routingId,
        ),
      };
      const id = isValidCallId(callId) ? callId : `ipc-${Date.now()}`;
      const ac = new AbortController();
      event.sender.once('destroyed', () => ac.abort());
      return handleIpcCall(handlers, method, sender, rendererUrl, payload, {
        callId: id,
        signal: ac.signal,
        progress: (p) => {
          if (!event.sender.isDestroyed()) event.sender.send(IPC_PROGRESS_CHANNEL, { ...p, callId: id });
        },
      });
    });
  }
}
