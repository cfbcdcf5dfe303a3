import assert from 'node:assert/strict';
import { detectSeries } from '../../../src/detect';
import { calendarPeriod } from '../../../src/detect/period';
import { rng, series, T0 } from './gen';

const MIN = 60_000;
const kinds = (pts: Parameters<typeof detectSeries>[0]): string[] => detectSeries(pts).map((b) => `${(b.time - T0) / MIN}:${b.kind}`);

// Periods other than a day, found from the data (src/detect/period.ts); before the fix the 2.4 h
// cycle raised 24–39 false breaks in 3 days and the hourly batch job 82–88 in 2 days.
describe('detect: periods found from the data', () => {
  for (const seed of [2, 4, 5]) {
    it(`a 2.4-hour cycle at one sample a minute (4σ, 3 days) gives no alarms after its first cycle (seed ${seed})`, () => {
      const r = rng(seed);
      const found = kinds(series(3 * 1440, MIN, (i) => 100 + 8 * Math.sin((2 * Math.PI * i) / 144 + seed) + 2 * r.normal()));
      // within the first cycle nothing tells a wave from a bend (docs/detection.md, Limits)
      assert.ok(found.length <= 1 && found.every((k) => Number(k.split(':')[0]) < 144), found.join(' '));
    });
    it(`an hourly batch job (10 min at +10σ every hour, 2 days) gives no alarms (seed ${seed})`, () => {
      const r = rng(seed);
      assert.deepEqual(kinds(series(2 * 1440, MIN, (i) => 50 + (i % 60 < 10 ? 20 : 0) + 2 * r.normal())), []);
    });
    it(`a level shift on top of the 2.4-hour cycle is found where it happens (seed ${seed})`, () => {
      const r = rng(seed);
      const bs = detectSeries(series(3 * 1440, MIN, (i) => 100 + 8 * Math.sin((2 * Math.PI * i) / 144 + seed) + 2 * r.normal() + (i >= 2500 ? 12 : 0)));
      const hit = bs.find((b) => Math.abs((b.time - T0) / MIN - 2500) <= 5);
      assert.ok(hit !== undefined && hit.kind === 'level_up', JSON.stringify(bs.map((b) => [(b.time - T0) / MIN, b.kind])));
    });
    it(`a level shift on top of the hourly batch job is found where it happens (seed ${seed})`, () => {
      const r = rng(seed);
      const bs = detectSeries(series(2 * 1440, MIN, (i) => 50 + (i % 60 < 10 ? 20 : 0) + 2 * r.normal() + (i >= 2000 ? -10 : 0)));
      const hit = bs.find((b) => Math.abs((b.time - T0) / MIN - 2000) <= 5);
      assert.ok(hit !== undefined && hit.kind === 'level_down', JSON.stringify(bs.map((b) => [(b.time - T0) / MIN, b.kind])));
    });
  }

  it('snaps a period estimate to a calendar period (whole minutes dividing a day, or whole days)', () => {
    assert.equal(calendarPeriod(60.66 * MIN), 60 * MIN);
    assert.equal(calendarPeriod(145.5 * MIN), 144 * MIN);
    assert.equal(calendarPeriod(6.9 * 1440 * MIN), 7 * 1440 * MIN);
    assert.equal(calendarPeriod(50 * MIN), 50 * MIN); // 1440/29 is not whole: kept
  });
});
