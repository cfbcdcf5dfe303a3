import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { indexOf, rng, series } from './gen';

const SEEDS = [1, 2, 3, 4, 5];
const TEN_S = 10_000;

describe('detect: planted changes', () => {
  for (const seed of SEEDS) {
    it(`finds a 5σ level shift within 5 samples, with sane levels (seed ${seed})`, () => {
      const r = rng(seed);
      const pts = series(600, TEN_S, (i) => 50 + 2 * r.normal() + (i >= 300 ? 10 : 0));
      const bs = detectSeries(pts);
      assert.equal(bs.length, 1, JSON.stringify(bs));
      const b = bs[0]!;
      assert.equal(b.kind, 'level_up');
      assert.ok(Math.abs(indexOf(pts, b.time) - 300) <= 5, `at ${indexOf(pts, b.time)}`);
      assert.ok(Math.abs(b.before.level - 50) < 2, `before ${b.before.level}`);
      assert.ok(Math.abs(b.after.level - 60) < 2, `after ${b.after.level}`);
      assert.ok(b.magnitude >= 3 && b.confidence > 0.5 && b.confidence <= 1);
      assert.ok(b.detectedAt >= b.time);
    });

    it(`finds a slope change (leak) within 5 samples, with a sane slope (seed ${seed})`, () => {
      const r = rng(seed + 100);
      // 0.3 units per 10 s sample = 108 units per hour, noise σ = 2
      const pts = series(600, TEN_S, (i) => 50 + 2 * r.normal() + (i >= 300 ? 0.3 * (i - 300) : 0));
      const bs = detectSeries(pts);
      assert.ok(bs.length >= 1, 'nothing found');
      const b = bs[0]!;
      assert.equal(b.kind, 'slope_change');
      assert.ok(Math.abs(indexOf(pts, b.time) - 300) <= 5, `at ${indexOf(pts, b.time)}`);
      assert.ok(Math.abs(b.before.slope) < 30, `before slope ${b.before.slope}/h`);
      assert.ok(b.after.slope > 108 * 0.7 && b.after.slope < 108 * 1.4, `after slope ${b.after.slope}/h`);
      assert.ok(Math.abs(b.before.level - 50) < 3, `level ${b.before.level}`);
    });
  }

  it('finds a downward shift as level_down', () => {
    const r = rng(9);
    const pts = series(500, 60_000, (i) => 1000 + 5 * r.normal() - (i >= 250 ? 40 : 0));
    const bs = detectSeries(pts);
    assert.equal(bs.length, 1);
    assert.equal(bs[0]!.kind, 'level_down');
    assert.ok(Math.abs(indexOf(pts, bs[0]!.time) - 250) <= 5);
  });

  it('reports a release and its rollback as two breaks', () => {
    const r = rng(10);
    const pts = series(800, TEN_S, (i) => 20 + r.normal() + (i >= 300 && i < 520 ? 8 : 0));
    const bs = detectSeries(pts);
    assert.deepEqual(bs.map((b) => b.kind), ['level_up', 'level_down']);
    assert.ok(Math.abs(indexOf(pts, bs[1]!.time) - 520) <= 5);
  });

  it('finds a variance change as variance_change', () => {
    const r = rng(11);
    const pts = series(600, TEN_S, (i) => 50 + 2 * r.normal() * (i >= 300 ? 6 : 1));
    const bs = detectSeries(pts);
    assert.equal(bs.length, 1, JSON.stringify(bs.map((b) => b.kind)));
    assert.equal(bs[0]!.kind, 'variance_change');
    assert.ok(Math.abs(indexOf(pts, bs[0]!.time) - 300) <= 10);
  });

  it('finds a shift on a constant series (scale floor) and its size in robust units', () => {
    const pts = series(300, TEN_S, (i) => (i < 150 ? 120 : 121));
    const bs = detectSeries(pts);
    assert.equal(bs.length, 1);
    assert.equal(indexOf(pts, bs[0]!.time), 150);
    assert.equal(bs[0]!.kind, 'level_up');
    assert.ok(bs[0]!.magnitude > 10);
    assert.equal(bs[0]!.after.level, 121);
  });
});
