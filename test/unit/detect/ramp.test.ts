import assert from 'node:assert/strict';
import { ACUTE_DEFAULTS, acuteExcursion } from '../../../src/detect/acute';
import { rampExcursion } from '../../../src/detect/ramp';
import type { Point } from '../../../src/domain/types';

const FIVE = 5 * 60_000;
/** Two hours of 5-minute samples of a steady count near 500 (small deterministic wiggle), then `tail`. */
const pts = (tail: (i: number) => number, n = 10): Point[] => [
  ...Array.from({ length: 24 }, (_, i) => ({ t: i * FIVE, v: 500 + 6 * Math.sin(i * 2.3) })),
  ...Array.from({ length: n }, (_, i) => ({ t: (24 + i) * FIVE, v: tail(i) })),
];
// A change at sample 24 (just before it): the climb must begin within three samples of it.
const WIN = { baseFrom: 12 * FIVE, baseTo: 23 * FIVE, from: 23 * FIVE, to: 27 * FIVE, runTo: 40 * FIVE };
const wiggle = (i: number): number => 6 * Math.sin(i * 1.7);

describe('detect: ramps (a leak that began with a change)', () => {
  it('finds a steady climb from the change on, dated where its line leaves the baseline', () => {
    const r = rampExcursion(pts((i) => 500 + 30 * (i + 1) + wiggle(i)), 1, WIN);
    assert.ok(r !== undefined);
    assert.equal(r.ramp, true);
    assert.ok(Math.abs(r.start - 23 * FIVE) < FIVE, new Date(r.start).toISOString());
    assert.ok(r.z > 8 && r.value > 750, JSON.stringify(r));
  });

  it('where the burst test sees nothing: no sample is far out in the minutes a burst may start', () => {
    assert.equal(acuteExcursion(pts((i) => 500 + 30 * (i + 1) + wiggle(i)), 1, WIN, ACUTE_DEFAULTS), undefined);
  });

  it('not a climb that starts later (another cause), nor a jump later on', () => {
    const long = { ...WIN, runTo: 60 * FIVE };
    // Flat for the window's first three samples, then climbing for an hour and a half: the line through it all would still leave the level in the window.
    assert.equal(rampExcursion(pts((i) => (i < 3 ? 500 + wiggle(i) : 500 + 30 * (i - 2) + wiggle(i)), 20), 1, long), undefined);
    assert.ok(rampExcursion(pts((i) => 500 + 30 * (i + 1) + wiggle(i), 20), 1, long) !== undefined, 'climbing from the start, as long: a climb');
    assert.equal(rampExcursion(pts((i) => (i < 5 ? 500 + wiggle(i) : 800 + wiggle(i))), 1, WIN), undefined);
  });

  it('not a process restarted in place climbing back to its level, then lifted by a later cause (simulator seed 90467: named at 0.92)', () => {
    // Back at its level three samples after the restart, then a later cause lifts it to 900 for good.
    const restart = (i: number): number => (i < 3 ? 80 + 140 * (i + 1) : i < 6 ? 500 : 900) + wiggle(i);
    assert.equal(rampExcursion(pts(restart, 16), 1, { ...WIN, runTo: 45 * FIVE }), undefined);
    // A leak after the restart climbs on: that is a climb.
    assert.ok(rampExcursion(pts((i) => (i === 0 ? 100 : 400 + 60 * i) + wiggle(i), 16), 1, WIN) !== undefined);
  });

  it('not a pod warming up: up at once, then level', () => {
    assert.equal(rampExcursion(pts((i) => 700 + 20 * Math.min(i, 2) + wiggle(i)), 1, WIN), undefined);
  });

  it('not a series that was climbing as fast before the change', () => {
    const always: Point[] = Array.from({ length: 34 }, (_, i) => ({ t: i * FIVE, v: 200 + 30 * i + wiggle(i) }));
    assert.equal(rampExcursion(always, 1, WIN), undefined);
  });

  it('not a climb too small to matter against the noise floor (5 % of the level)', () => {
    assert.equal(rampExcursion(pts((i) => 500 + 4 * (i + 1)), 1, WIN), undefined);
  });
});
