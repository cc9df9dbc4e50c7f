import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { _electron } from 'playwright-core';
import { ROOT, FIXTURES } from '../helpers/paths';
import { screenshotPath } from '../helpers/browser';

/** The Electron binary, if one was downloaded (Electron fetches it on first launch). */
function electronBinary(): string | null {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json', { paths: [ROOT] }));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) {
  console.log(
    'SKIP Electron smoke test: no Electron binary on this machine (Electron downloads it on first launch, and this machine cannot reach the download host). It runs wherever `npm start` has downloaded Electron.',
  );
}

describe('Electron app (smoke)', () => {
  it.skipIf(!bin)('launches, shows the file given on the command line with a top table and flame graph', async () => {
    const app = await _electron.launch({
      executablePath: bin!,
      args: [ROOT, join(FIXTURES, 'heap-3.pb.gz')],
      env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: '1' } as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      await page.getByTestId('top-row').first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('item-list').textContent()).toContain('heap-3.pb.gz');
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      await page.screenshot({ path: screenshotPath('electron') });
    } finally {
      await app.close();
    }
  });
});
