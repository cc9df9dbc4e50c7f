/**
 * Size bound: a profile with a ~430k-node call tree (test/bench/synthetic-profile.ts) gives a report
 * under 5 MB, with the pruning recorded (and so disclosed by the viewer).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeProfile, importProfile } from '../../../shared/profile';
import { assembleReport } from '../../../shared/report/assemble';
import { renderReportHtml } from '../../../shared/report/html';
import type { ProfileSection } from '../../../shared/report/model';
import { loadReportAssets, sha256Base64 } from '../../../electron/services/report-writer';
import { BIG_CPU_SHAPE, syntheticCpuProfile } from '../../bench/synthetic-profile';
import { ROOT } from '../compare/fixtures';

const DIST_REPORT = join(ROOT, 'dist', 'report');
/** The real viewer when built, else a stand-in of a generous size (the bundle is ~0.45 MB). */
const assets = existsSync(join(DIST_REPORT, 'report.js')) ? loadReportAssets(DIST_REPORT) : { js: `/*${'x'.repeat(600_000)}*/`, css: `/*${'x'.repeat(60_000)}*/` };

describe('report size on a big profile', () => {
  const p = syntheticCpuProfile(BIG_CPU_SHAPE);
  const imported = importProfile(encodeProfile(p), 'big-cpu.pb', { gunzip: (b) => b });

  it('stays under 5 MB with every sample type, pruning disclosed', () => {
    const model = assembleReport([{ name: 'big-cpu.pb', kind: 'profile', imported }], { heapscopeVersion: 'test', sampleTypes: 'all' });
    const html = renderReportHtml(model, assets, sha256Base64);
    const size = Buffer.byteLength(html, 'utf8');
    expect(size).toBeLessThan(5 * 1024 * 1024);
    const s = model.sections[0] as ProfileSection;
    expect(s.views.length).toBe(2);
    for (const v of s.views) {
      expect(v.flame.nodeCount).toBeGreaterThan(400_000);
      expect(v.flame.hiddenFrames).toBeGreaterThan(400_000);
      expect(v.flame.parent.length).toBeLessThanOrEqual(model.limits.maxFlameNodes);
      expect(v.flame.hidden.some((h) => h > 0)).toBe(true);
      expect(v.flame.minFraction).toBe(0.0005);
      expect(v.top.totalRows).toBeGreaterThan(10_000);
      expect(v.top.name.length).toBe(model.limits.maxTopRows);
    }
  });

  it('raises the pruning until a flame graph fits the frame budget', () => {
    const model = assembleReport([{ name: 'big-cpu.pb', kind: 'profile', imported }], { heapscopeVersion: 'test', maxFlameNodes: 300, maxTopRows: 100, include: { findings: false } });
    const v = (model.sections[0] as ProfileSection).views[0]!;
    expect(v.flame.parent.length).toBeLessThanOrEqual(300);
    expect(v.flame.minFraction).toBeGreaterThan(0.0005);
    expect(v.top.name.length).toBe(100);
    // The rows kept are the biggest by flat or cum.
    const kept = Math.min(...v.top.name.map((_, i) => Math.max(Math.abs(v.top.flat[i]!), Math.abs(v.top.cum[i]!))));
    expect(kept).toBeGreaterThan(0);
  });
});
