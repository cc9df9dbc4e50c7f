import { describe, expect, it } from 'vitest';
import { osFamily } from '../../../renderer/src/lib/platform';

// User agents as the browsers and Electron send them (platform as navigator.platform reports it).
const cases: Array<[string, string, string, ReturnType<typeof osFamily>]> = [
  ['Chromium on Linux', 'Linux x86_64', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'linux'],
  ['Electron on Linux', 'Linux x86_64', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) heapscope/0.1.0 Chrome/140.0.0.0 Electron/45.0.0 Safari/537.36', 'linux'],
  ['Firefox on Linux, no platform', '', 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', 'linux'],
  ['ChromeOS', 'Linux x86_64', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'linux'],
  ['FreeBSD', 'FreeBSD amd64', 'Mozilla/5.0 (X11; FreeBSD amd64; rv:140.0) Gecko/20100101 Firefox/140.0', 'linux'],
  ['Chrome on macOS', 'MacIntel', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'mac'],
  ['Electron on macOS', 'MacIntel', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) heapscope/0.1.0 Chrome/140.0.0.0 Electron/45.0.0 Safari/537.36', 'mac'],
  ['Chrome on Windows', 'Win32', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'windows'],
  ['Android (its UA says Linux)', 'Linux armv81', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36', 'other'],
  ['unknown', '', 'SomeBrowser/1.0', 'other'],
];

describe('osFamily', () => {
  for (const [what, platform, userAgent, want] of cases) {
    it(`${what} → ${want}`, () => {
      expect(osFamily({ platform, userAgent })).toBe(want);
    });
  }
});
