/**
 * Heapscope's own data folder (captures, watch sessions, recent files) when no Electron userData
 * path is given: HEAPSCOPE_DATA_DIR, else the platform's usual place.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  if (process.env.HEAPSCOPE_DATA_DIR) return process.env.HEAPSCOPE_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Heapscope');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Heapscope');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'heapscope');
}
