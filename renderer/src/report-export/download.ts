/**
 * Save a report the host sent back (destination 'download', i.e. `heapscope serve` in a browser):
 * a Blob, an object URL and an `<a download>` click; the URL is revoked once the browser has it.
 */

/** Long enough for the browser to start reading the Blob; the object URL is useless after that. */
const REVOKE_AFTER_MS = 10_000;

/**
 * Start the download of `html` as `fileName`. The link goes into `container` (a modal dialog: the
 * rest of the page is inert while it is open) or the body. Returns the file's size in bytes.
 */
export function downloadHtml(html: string, fileName: string, container?: HTMLElement | null): number {
  const blob = new Blob([html], { type: 'text/html;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  (container ?? document.body).appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
  return blob.size;
}
