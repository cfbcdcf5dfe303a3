import assert from 'node:assert/strict';
import { findRecoveries } from '../../../src/timeline/recovery';
import { recoveryTime } from '../../../src/timeline/trouble';
import { importance, isNotable, relativeChange } from '../../../src/timeline/importance';
import { thinPoints } from '../../../src/timeline/select';
import { bp, fds, conns } from './fixture';

describe('timeline/findRecoveries', () => {
  it('flags a later breakpoint that at least halves the distance to the first level', () => {
    const up = bp(fds, 0, 'level_up', 100, 900);
    const down = bp(fds, 10, 'level_down', 900, 480);
    const back = bp(fds, 20, 'level_down', 480, 120);
    assert.deepEqual(findRecoveries([back, up, down]), [down, back]);
  });

  it('does not take a spike down for a recovery when the points stay high', () => {
    const up = bp(fds, 0, 'level_up', 100, 900);
    const dip = bp(fds, 10, 'level_down', 900, 150);
    const high = Array.from({ length: 15 }, (_, i) => ({ t: dip.time + i * 60_000, v: i === 0 ? 150 : 880 }));
    assert.deepEqual(findRecoveries([up, dip], () => high), []);
    const low = high.map((p) => ({ ...p, v: 140 }));
    assert.deepEqual(findRecoveries([up, dip], () => low), [dip]);
  });

  it('does not flag a further move away, nor a series with a single breakpoint', () => {
    const up = bp(fds, 0, 'level_up', 100, 500);
    const more = bp(fds, 10, 'level_up', 500, 900);
    assert.deepEqual(findRecoveries([up, more, bp(conns, 5, 'level_down', 400, 20)]), []);
  });
});

describe('timeline/thinPoints', () => {
  it('keeps at most about max points, the first and last, and every spike', () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({ t: i, v: i === 5_123 ? 1e6 : i === 7_777 ? -1e6 : 1 }));
    const out = thinPoints(pts, 300);
    assert.ok(out.length <= 302, `got ${out.length}`);
    assert.equal(out[0]?.t, 0);
    assert.equal(out[out.length - 1]?.t, 9_999);
    assert.ok(out.some((p) => p.v === 1e6) && out.some((p) => p.v === -1e6));
    for (let i = 1; i < out.length; i++) assert.ok(out[i]!.t > out[i - 1]!.t, 'sorted, no duplicates');
  });

  it('returns short input unchanged', () => {
    const pts = [{ t: 1, v: 2 }];
    assert.deepEqual(thinPoints(pts, 10), pts);
  });
});

describe('timeline/importance', () => {
  it('relativeChange compares a level shift, or an hour of the new trend, with the old level', () => {
    assert.equal(relativeChange({ before: { level: 100, slope: 0 }, after: { level: 150, slope: 0 } }), 0.5);
    assert.equal(relativeChange({ before: { level: 500, slope: 20 }, after: { level: 500, slope: 2_520 } }), 5);
    assert.equal(relativeChange({ before: { level: 0, slope: 0 }, after: { level: 3, slope: 0 } }), 3, 'floored at 1');
  });

  it('isNotable wants confidence ≥ 0.8 and change ≥ 25%; importance favours a trend heading for its limit', () => {
    assert.equal(isNotable(bp(fds, 0, 'level_up', 100, 130)), true);
    assert.equal(isNotable(bp(fds, 0, 'level_up', 100, 120)), false);
    assert.equal(isNotable(bp(fds, 0, 'level_up', 100, 300, { confidence: 0.7 })), false);
    const plain = bp(fds, 0, 'level_up', 100, 300);
    assert.ok(importance({ ...plain, exhaustionAt: plain.time + 3_600_000, limit: 1024 }) > 2.9 * importance(plain));
  });
});

describe('timeline/recoveryTime (the paged series back in its normal range)', () => {
  const minute = 60_000;
  const series = (f: (m: number) => number, until = 90): { t: number; v: number }[] => Array.from({ length: until + 1 }, (_, m) => ({ t: m * minute, v: f(m) }));
  const o = { from: 10 * minute, baseline: 460, peak: 1024, direction: 1 as const, limit: 1024 };

  it('is the first minute from which the points stay back for 15 minutes, restart blips allowed', () => {
    const pts = series((m) => (m < 10 ? 460 : m < 50 ? 1024 : m === 60 ? 900 : 470));
    assert.equal(recoveryTime(pts, o), 50 * minute);
  });

  it('is never while the series sits at the limit with crash dips', () => {
    const pts = series((m) => (m < 10 ? 460 : m % 10 === 0 ? 500 : 1024));
    assert.equal(recoveryTime(pts, o), undefined);
  });

  it('is not claimed before the series has left its normal range, nor when the data ends mid-hold', () => {
    assert.equal(recoveryTime(series(() => 470), o), undefined);
    assert.equal(recoveryTime(series((m) => (m < 80 ? 1024 : 470)), o), undefined, 'only 10 minutes back when the data ends');
  });
});
