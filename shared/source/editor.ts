/**
 * "Open in editor": a vscode:// link for the app, and the command line the CLI runs
 * ($VISUAL / $EDITOR with +LINE, which vi, vim, nvim, nano, emacs and micro accept; `code -g
 * FILE:LINE` for VS Code and when no editor is set).
 */

/** vscode://file/ABSOLUTE/PATH:LINE (each path segment percent-encoded; Windows drive kept). */
export function vscodeUrl(path: string, line: number): string {
  const p = path.replace(/\\/g, '/');
  const abs = p.startsWith('/') ? p : `/${p}`;
  const enc = abs
    .split('/')
    .map((seg, i) => (i === 1 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  return `vscode://file${enc}:${Math.max(1, Math.floor(line))}`;
}

/** The argv to open path at line: the editor named by $VISUAL/$EDITOR, else VS Code's `code -g`. */
export function editorCommand(editorEnv: string | undefined, path: string, line: number): string[] {
  const ln = Math.max(1, Math.floor(line));
  const ed = (editorEnv ?? '').trim();
  if (ed === '') return ['code', '-g', `${path}:${ln}`];
  const parts = ed.split(/\s+/);
  const prog = (parts[0] ?? '').split('/').pop() ?? '';
  if (prog === 'code' || prog === 'code-insiders' || prog === 'codium') return [...parts, '-g', `${path}:${ln}`];
  if (prog === 'subl' || prog === 'zed') return [...parts, `${path}:${ln}`];
  return [...parts, `+${ln}`, path];
}
