import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { Ring, RING_SIZE, RING_SLOT } from '../../../src/detect/ring';
import { Chunk } from '../../../src/detect/slab';
import { SLOT_BYTES } from '../../../src/detect/state';
import { rng, series, T0 } from './gen';

/** A ring alone in a one-slot chunk. */
function ring(): Ring {
  const c = new Chunk(0, 1, RING_SLOT);
  const r = new Ring(c.f, c.g, c.w, c.u, RING_SLOT, { f64: 0, f32: 0, u32: 0, u8: 0 });
  r.point(0);
  r.clear();
  return r;
}

/** Push every (t, v) and check after each push that the ring gives back the samples it holds. */
function roundTrip(times: readonly number[], values: readonly number[], timeTol = 0): void {
  const r = ring();
  times.forEach((t, i) => {
    r.push(t, values[i]!);
    for (let q = r.oldest; q < r.next; q++) {
      assert.ok(Math.abs(r.timeAt(q) - times[q]!) <= timeTol, `sample ${q} after ${i}: time ${r.timeAt(q)} vs ${times[q]}`);
      assert.equal(r.valueAt(q), values[q]);
    }
  });
}

describe('detect: the compact state (uint32 ring times and counts)', () => {
  it('ring times come back exactly for yearly, monthly and daily samples (32 of them span far more than 32 bits of milliseconds)', () => {
    for (const step of [365 * 86_400_000, 30 * 86_400_000, 86_400_000]) {
      const times = Array.from({ length: 200 }, (_, i) => T0 + i * step);
      roundTrip(times, times.map((_, i) => i % 7));
    }
  });

  it('ring times come back exactly for jittered 10-second and 1-minute samples past 49.7 days (the offsets outgrow 32 bits)', () => {
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

  it('fractional-millisecond times come back within a millisecond; values exactly', () => {
    const times = Array.from({ length: 100 }, (_, i) => T0 + i * 1000.25 + (i % 3) * 0.3);
    roundTrip(times, times.map((_, i) => 1e6 + i * 1000 + 0.1 * (i % 5)), 1);
    const r = ring();
    const counts = Array.from({ length: 64 }, (_, i) => 5_000_000 + i * 12_345);
    counts.forEach((v, i) => r.push(T0 + i, v));
    for (let q = r.oldest; q < r.next; q++) assert.equal(r.valueAt(q), counts[q]);
    assert.equal(r.size, RING_SIZE);
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
      },
    ];
    for (const { pts, want } of cases) {
      const got = detectSeries(pts).map((b) => ({ time: b.time, kind: b.kind, before: b.before.level, after: b.after.level }));
      assert.deepEqual(got, want);
    }
  });

  it('a slot is at most 1,176 bytes (it was 1,392 with every number a float64)', () => {
    assert.ok(SLOT_BYTES <= 1176, `${SLOT_BYTES} bytes`);
  });
});
