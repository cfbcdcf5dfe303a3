import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { analyze } from '../../../src/correlate';
import { indexOf, rng, series } from './gen';

const MIN = 60_000;

// The retrospective segmentation of short inputs helps `epicenter detect` on a whole file, but the
// live pipeline never flushes: the correlator must rank on the breakpoints the pipeline would store
// (with them, held-out top-1 on the real Nezha incidents fell from 0.518 to 0.411 on Online Boutique).
describe('detect: the retrospective option', () => {
  const r = rng(5);
  const pts = series(20, MIN, (i) => 10 + r.normal() + (i >= 11 ? 5 : 0));

  it('adds the cut streaming missed at the end of a short input, and only when on', () => {
    const on = detectSeries(pts);
    assert.equal(on.length, 1);
    assert.ok(Math.abs(indexOf(pts, on[0]!.time) - 11) <= 1);
    assert.deepEqual(detectSeries(pts, { retrospective: false }), []);
  });

  it('is off in the correlator: a 20-sample shift it alone would see gives no breakpoint', () => {
    const at = pts[pts.length - 1]!.t;
    const a = analyze({ series: [{ series: { id: 'svc|fds', service: 'svc', metric: 'process.open_file_descriptor.count', labels: {} }, points: pts }], changes: [], topology: { services: [] }, service: 'svc', at, windowMs: 60 * MIN, afterMs: 0 });
    assert.deepEqual(a.breakpoints, []);
  });
});
