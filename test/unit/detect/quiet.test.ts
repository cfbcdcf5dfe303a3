import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { rng, series } from './gen';

const kinds = (pts: Parameters<typeof detectSeries>[0]): string[] => detectSeries(pts).map((b) => b.kind);

describe('detect: no false alarms', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`pure Gaussian noise reports nothing (seed ${seed})`, () => {
      const r = rng(seed);
      assert.deepEqual(kinds(series(3000, 10_000, () => 50 + 2 * r.normal())), []);
    });
    it(`heavy-tailed (Student t3) noise reports nothing (seed ${seed})`, () => {
      const r = rng(seed + 50);
      assert.deepEqual(kinds(series(3000, 10_000, () => 50 + 2 * r.student3())), []);
    });
  }

  it('a constant series reports nothing', () => {
    assert.deepEqual(kinds(series(2000, 10_000, () => 100)), []);
    assert.deepEqual(kinds(series(2000, 10_000, () => 0)), []);
  });

  it('isolated outliers and short spikes (1–3 samples) do not alarm', () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = rng(seed);
      const pts = series(2000, 10_000, (i) => 50 + 2 * r.normal() + (i % 200 === 100 ? 40 : 0) + ([150, 151, 152].includes(i % 300) ? -30 : 0) + (i % 500 === 250 ? 1e6 : 0));
      assert.deepEqual(kinds(pts), [], `seed ${seed}`);
    }
  });

  it('a counter-reset spike alone reports nothing; with a real change right after, exactly one break', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      assert.deepEqual(kinds(series(600, 10_000, (i) => 50 + 2 * r.normal() + (i === 300 ? -5000 : 0))), []);
      const bs = detectSeries(series(600, 10_000, (i) => 50 + 2 * r.normal() + (i === 300 ? -5000 : 0) + (i > 300 ? 15 : 0)));
      assert.equal(bs.length, 1, JSON.stringify(bs.map((b) => b.kind)));
      assert.equal(bs[0]!.kind, 'level_up');
    }
  });

  describe('daily seasonality does not alarm', () => {
    const wave = (dtMs: number, days: number, amp: number, seed: number) => {
      const r = rng(seed);
      return series(Math.round((days * 86_400_000) / dtMs), dtMs, (_i, t) => 100 + amp * Math.sin((2 * Math.PI * t) / 86_400_000 + seed) + 2 * r.normal());
    };
    for (const seed of [101, 102, 103]) {
      it(`5-minute samples, 7 days, amplitude 3σ (seed ${seed})`, () => assert.deepEqual(kinds(wave(300_000, 7, 6, seed)), []));
      it(`hourly samples, 14 days, amplitude 5σ (seed ${seed})`, () => assert.deepEqual(kinds(wave(3_600_000, 14, 10, seed)), []));
      it(`10-second samples, 1 day, amplitude 5σ (seed ${seed})`, () => assert.deepEqual(kinds(wave(10_000, 1, 10, seed)), []));
    }
  });
});
