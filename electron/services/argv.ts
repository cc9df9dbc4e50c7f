/** Files named on a command line (Electron argv or a second instance's), resolved against cwd. */
import { isAbsolute, resolve } from 'node:path';

export function filesFromArgv(argv: string[], cwd: string): string[] {
  return argv.filter((a) => a && !a.startsWith('-') && a !== '.' && !a.endsWith('main.js')).map((a) => (isAbsolute(a) ? a : resolve(cwd, a)));
}
