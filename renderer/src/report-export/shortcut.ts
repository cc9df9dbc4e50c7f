/** Ctrl+E (Cmd+E on macOS), without Alt or Shift: opens Export Report (the menu's accelerator too). */
export function isExportShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.key === 'e' || e.key === 'E') && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}
