import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { Ring, RING_SIZE, RING_SLOT } from '../../../src/detect/ring';
import { PeriodFinder, PERIOD_SLOT } from '../../../src/detect/period';
import { Chunk } from '../../../src/detect/slab';
import { SLOT_BYTES } from '../../../src/detect/state';
import type { Point } from '../../../src/domain/types';
import { rng, series, T0 } from './gen';

/** A ring alone in a one-slot chunk. */
function ring(): Ring {
  const c = new Chunk(0, 1, RING_SLOT);
  const r = new Ring(c, RING_SLOT, { f64: 0, f32: 0, u32: 0, i16: 0, u8: 0 });
  r.point(0);
  r.clear();
  return r;
}

/**
 * Push every (t, v) and check after each push that the ring gives back the samples it holds:
 * times within timeTol, values within valueTol (exactly by default).
 */
function roundTrip(times: readonly number[], values: readonly number[], timeTol = 0, valueTol = 0): void {
  const r = ring();
  times.forEach((t, i) => {
    r.push(t, values[i]!);
    for (let q = r.oldest; q < r.next; q++) {
      assert.ok(Math.abs(r.timeAt(q) - times[q]!) <= timeTol, `sample ${q} after ${i}: time ${r.timeAt(q)} vs ${times[q]}`);
      assert.ok(Math.abs(r.valueAt(q) - values[q]!) <= valueTol, `sample ${q} after ${i}: value ${r.valueAt(q)} vs ${values[q]}`);
    }
  });
}

/** Breakpoints as the tests compare them: levels to 1e-8 of their size (the ring's float32 differences move them that little). */
function breaks(pts: Point[]): { time: number; kind: string; before: number; after: number }[] {
  return detectSeries(pts).map((b) => ({ time: b.time, kind: b.kind, before: b.before.level, after: b.after.level }));
}
function assertBreaks(got: ReturnType<typeof breaks>, want: ReturnType<typeof breaks>, within = 1e-8): void {
  assert.deepEqual(got.map((b) => [b.time, b.kind]), want.map((b) => [b.time, b.kind]));
  got.forEach((b, i) => {
    for (const k of ['before', 'after'] as const) assert.ok(Math.abs(b[k] - want[i]![k]) <= within * Math.abs(want[i]![k]), `${k}: ${b[k]} vs ${want[i]![k]}`);
  });
}

describe('detect: the compact state (24-bit ring times, uint32 counts)', () => {
  it('ring times come back exactly for yearly, monthly and daily samples (32 of them span far more than 32 bits of milliseconds)', () => {
    for (const step of [365 * 86_400_000, 30 * 86_400_000, 86_400_000]) {
      const times = Array.from({ length: 200 }, (_, i) => T0 + i * step);
      roundTrip(times, times.map((_, i) => i % 7));
    }
  });

  it('ring times come back exactly for jittered 10-second and 1-minute samples past 60 days (the offsets outgrow 24 bits every 4.66 hours)', () => {
    const r = rng(3);
    for (const step of [10_000, 60_000]) {
      const n = Math.ceil((60 * 86_400_000) / step);
      let t = T0 + 123;
      const times = Array.from({ length: n }, () => (t += step + Math.floor(r.u() * 200) - 100));
      const r2 = ring();
      times.forEach((x) => r2.push(x, 1));
      for (let q = r2.oldest; q < r2.next; q++) assert.equal(r2.timeAt(q), times[q]);
    }
  });

  it('ring times come back exactly for jittered 5-minute samples (32 span 2.6 hours); jittered 20-minute and hourly ones within 3 ms and 9 ms (units of 3 and 7 ms, rounded again as the unit changes)', () => {
    const r = rng(5);
    for (const [step, tol] of [[300_000, 0], [1_200_000, 3], [3_600_000, 9]] as const) {
      let t = T0 + 77;
      const times = Array.from({ length: 300 }, () => (t += step + Math.floor(r.u() * 2000) - 1000));
      roundTrip(times, times.map((_, i) => i % 5), tol);
    }
  });

  it('fractional-millisecond times come back within a millisecond; values within 2^-24 of their distance from a recent one, whole numbers exactly', () => {
    const times = Array.from({ length: 100 }, (_, i) => T0 + i * 1000.25 + (i % 3) * 0.3);
    // (values up to 2 × 32 samples × 1000 apart: within 64,000 × 2^-24 ≈ 0.004)
    roundTrip(times, times.map((_, i) => 1e6 + i * 1000 + 0.1 * (i % 5)), 1, 0.004);
    const r = ring();
    const counts = Array.from({ length: 64 }, (_, i) => 5_000_000 + i * 12_345);
    counts.forEach((v, i) => r.push(T0 + i, v));
    for (let q = r.oldest; q < r.next; q++) assert.equal(r.valueAt(q), counts[q]);
    assert.equal(r.size, RING_SIZE);
  });

  it('ring values keep small noise on a level of 1e9 (float32 values rounded them to 64) and a drop to 0 comes back as 0', () => {
    const r = rng(5);
    const times = Array.from({ length: 150 }, (_, i) => T0 + i * 10_000);
    roundTrip(times, times.map(() => 1e9 + r.normal()), 0, 1e-6);
    // after a drop to noise around 0 the new values keep their noise; the old ones are within their own float32 rounding
    const values = Array.from({ length: 64 }, (_, i) => (i < 40 ? 1e9 + r.normal() : 1e-3 * r.normal()));
    const mixed = ring();
    values.forEach((v, i) => mixed.push(T0 + i, v));
    for (let q = mixed.oldest; q < mixed.next; q++) assert.ok(Math.abs(mixed.valueAt(q) - values[q]!) <= (q < 40 ? 2 ** -24 * 1e9 : 1e-9), `${q}`);
    const drop = ring();
    [1e9 + 0.3, 1e9 + 0.7, 0, 0].forEach((v, i) => drop.push(T0 + i, v));
    assert.equal(drop.valueAt(2), 0);
    assert.equal(drop.valueAt(3), 0);
  });

  it('the period history (int16) holds block means to 1/29,000 of the range it holds (steps of 1/43,690, and re-encodings add up): constant exactly, noise at 1e9 too', () => {
    const c = new Chunk(0, 1, PERIOD_SLOT);
    const p = new PeriodFinder(c, PERIOD_SLOT, { f64: 0, f32: 0, u32: 0, i16: 0, u8: 0 });
    p.point(0);
    const check = (values: readonly number[], tol: (held: Float64Array) => number): void => {
      p.clear();
      values.forEach((v) => p.update(v));
      const h = p.history(values.length);
      assert.ok(h !== undefined && h.block === 1 && h.values.length === values.length);
      const t = tol(h.values);
      h.values.forEach((x, i) => assert.ok(Math.abs(x - values[i]!) <= t, `${i}: ${x} vs ${values[i]} (±${t})`));
    };
    const r = rng(9);
    const range = (h: Float64Array): number => Math.max(...h) - Math.min(...h);
    check(Array.from({ length: 40 }, () => 1e9 + r.normal()), (h) => range(h) / 29_000);
    check(Array.from({ length: 40 }, () => 12.5), () => 0);
    check(Array.from({ length: 40 }, (_, i) => (i === 20 ? 1e6 : r.normal())), (h) => range(h) / 29_000);
    check(Array.from({ length: 40 }, (_, i) => 1e6 * i + r.normal()), (h) => range(h) / 29_000);
  });

  it('gives the breakpoints of the float64 layout on a level shift, a ramp and a daily wave with a shift', () => {
    // exactly what the all-float64 slot (commit 767f472) gave
    const r1 = rng(21);
    const r2 = rng(22);
    const r3 = rng(23);
    const cases = [
      { pts: series(600, 10_000, (i) => 50 + 2 * r1.normal() + (i >= 300 ? 10 : 0)), want: [{ time: 1714956600000, kind: 'level_up', before: 50.44890330162953, after: 60.113140015623515 }] },
      { pts: series(1000, 60_000, (i) => 20 + r2.normal() + (i > 500 ? 0.05 * (i - 500) : 0)), want: [{ time: 1714988940000, kind: 'slope_change', before: 22.98865771555022, after: 22.98865771555022 }] },
      {
        pts: series(2016, 300_000, (i, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 86_400_000) + r3.normal() + (i > 1500 ? 8 : 0)),
        want: [{ time: 1715403900000, kind: 'level_up', before: 99.92410586052137, after: 107.37937593003943 }],
        // the daily profile's bins are int16 steps of 1/21845 of the wave's 10 (float32 before):
        // its levels moved by 3.8e-6 of their size (before 99.92448321146074)
        within: 1e-5,
      },
    ];
    for (const { pts, want, within } of cases) assertBreaks(breaks(pts), want, within);
  });

  it('gives the breakpoints of the float64 ring on series at 1e9 (noise of 1e4 and of 1) and at 1e-6', () => {
    // what the float64 ring values (commit 3ed8f3f) gave
    const [r4, r5, r6] = [rng(24), rng(25), rng(26)];
    const cases = [
      { pts: series(600, 10_000, (i) => 1e9 + 1e4 * r4.normal() + (i >= 300 ? 1e6 : 0)), want: [{ time: 1714956600000, kind: 'level_up', before: 999999013.4086393, after: 1000995873.0801026 }] },
      { pts: series(600, 10_000, (i) => 1e9 + r5.normal() + (i >= 300 ? 1e6 : 0)), want: [{ time: 1714956600000, kind: 'level_up', before: 1000000000.0186522, after: 1001000000.0999587 }] },
      { pts: series(600, 10_000, (i) => 1e-6 + 1e-8 * r6.normal() + (i >= 300 ? 1e-7 : 0)), want: [{ time: 1714956600000, kind: 'level_up', before: 9.988076266938348e-7, after: 0.0000011041284341152187 }] },
    ];
    for (const { pts, want } of cases) assertBreaks(breaks(pts), want);
  });

  it('a slot is at most 768 bytes (it was 1,392 with every number a float64, 1,176 with float64 ring values, 976 with 32-bit ring times, 888 with float32 profile bins, 784 with int16 ones, 776 with the flags in one byte)', () => {
    assert.ok(SLOT_BYTES <= 768, `${SLOT_BYTES} bytes`);
  });
});
