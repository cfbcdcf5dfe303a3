import assert from 'node:assert/strict';
import { createSeriesDetector, detectSeries, resolveOptions } from '../../../src/detect';
import { isEpicenterError } from '../../../src/errors';
import { rng, series } from './gen';

describe('detect: state and modes', () => {
  it('keeps its per-series state within 768 bytes (structural count: its slot, of which the ring takes 252, the profile 132, the period finder 144) and a compact snapshot', () => {
    const r = rng(1);
    const d = createSeriesDetector();
    let max = 0;
    // a week of 5-minute samples with a daily wave, a shift and outliers: every part of the state in use
    series(2016, 300_000, (i, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 86_400_000) + r.normal() + (i > 1500 ? 20 : 0) + (i % 97 === 0 ? 50 : 0)).forEach((p) => {
      d.update(p.t, p.v);
      max = Math.max(max, d.snapshot()['bytes'] as number);
    });
    assert.ok(max > 500 && max <= 768, `state ${max} bytes`);
    assert.ok(JSON.stringify(d.snapshot()).length <= 1024);
    assert.equal(d.snapshot()['seasonal'], true);
  });

  it('streaming gives exactly the batch result', () => {
    const r = rng(4);
    const pts = series(2000, 10_000, (i) => 20 + r.normal() + (i > 500 ? 5 : 0) + (i > 1200 ? 0.05 * (i - 1200) : 0) + (i % 301 === 0 ? 30 : 0));
    const batch = detectSeries(pts);
    const d = createSeriesDetector();
    const stream = pts.flatMap((p) => d.update(p.t, p.v));
    stream.push(...d.flush());
    assert.ok(batch.length >= 2);
    assert.deepEqual(stream, batch);
  });

  it('flush confirms a change near the end of a finite input', () => {
    const r = rng(5);
    const pts = series(400, 10_000, (i) => 10 + 0.2 * r.normal() + (i >= 393 ? 3 : 0));
    const d = createSeriesDetector();
    const during = pts.flatMap((p) => d.update(p.t, p.v));
    assert.deepEqual(during, []);
    const end = d.flush();
    assert.equal(end.length, 1);
    assert.equal(end[0]!.kind, 'level_up');
  });

  it('snapshot reports the current regime (level, slope per hour, scale)', () => {
    const r = rng(6);
    const d = createSeriesDetector();
    series(500, 60_000, (i) => 300 + 0.1 * i + 0.5 * r.normal()).forEach((p) => d.update(p.t, p.v));
    const s = d.snapshot();
    assert.equal(s.n, 500);
    assert.ok(Math.abs(s.level - (300 + 0.1 * 499)) < 2, `level ${s.level}`);
    assert.ok(Math.abs(s.slope - 6) < 1.5, `slope ${s.slope}/h`);
    assert.ok(s.scale > 0.3 && s.scale < 1, `scale ${s.scale}`);
  });

  it('rejects an invalid option with BAD_CONFIG naming it', () => {
    for (const bad of [{ minRun: 1 }, { alpha: 0 }, { warmup: 2.5 }, { cusumH: NaN }]) {
      assert.throws(() => resolveOptions(bad), (e: unknown) => isEpicenterError(e) && e.code === 'BAD_CONFIG' && e.origin.field === `detect.${Object.keys(bad)[0]}`);
    }
    assert.equal(resolveOptions({ minRun: undefined }).minRun, 8);
  });

  it('options change behaviour: a larger minMagnitude hides a 5σ shift', () => {
    const r = rng(1);
    const pts = series(600, 10_000, (i) => 50 + 2 * r.normal() + (i >= 300 ? 10 : 0));
    assert.equal(detectSeries(pts).length, 1);
    assert.equal(detectSeries(pts, { minMagnitude: 8 }).length, 0);
  });
});
