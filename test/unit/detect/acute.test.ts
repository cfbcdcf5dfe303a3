import assert from 'node:assert/strict';
import { ACUTE_DEFAULTS, acuteExcursion } from '../../../src/detect/acute';
import type { Point } from '../../../src/domain/types';

const MIN = 60_000;
/** 30 one-minute samples of a steady series (small deterministic wiggle), then `tail` appended. */
const pts = (tail: number[], level = 100): Point[] => [
  ...Array.from({ length: 30 }, (_, i) => ({ t: i * MIN, v: level + 2 * Math.sin(i * 2.3) })),
  ...tail.map((v, i) => ({ t: (30 + i) * MIN, v })),
];
const WIN = { baseFrom: 0, baseTo: 30 * MIN, from: 30 * MIN, to: 36 * MIN };

describe('detect: acute excursions', () => {
  it('ignores a lone outlier in a steady series', () => {
    assert.equal(acuteExcursion(pts([100, 900, 101, 99, 100]), 1, WIN), undefined);
  });

  it('finds a sustained burst of 2 of 3 samples, with its start and size', () => {
    const e = acuteExcursion(pts([101, 900, 100, 850, 99]), 1, WIN);
    assert.ok(e !== undefined);
    assert.equal(e.start, 31 * MIN);
    assert.ok(e.z > 50);
    assert.ok(e.relative > 6);
  });

  it('says how new a burst is for its series: 1 beyond anything in the baseline, 0 for one it reaches every few minutes', () => {
    const fresh = acuteExcursion(pts([101, 900, 100, 850, 99]), 1, WIN);
    assert.ok((fresh?.novelty ?? 0) > 0.95);
    // A series that spikes to ~900 one minute in ten.
    const spiky: Point[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ t: i * MIN, v: i % 10 === 0 ? 900 + i : 100 + (i % 3) })),
      ...[101, 880, 870, 99].map((v, i) => ({ t: (30 + i) * MIN, v })),
    ];
    const usual = acuteExcursion(spiky, 1, WIN);
    assert.ok(usual !== undefined, 'still an excursion by its z');
    assert.ok(usual.novelty < 0.05, `novelty ${usual.novelty}`);
  });

  it('a resource pinned at its limit again is news, however long it was pinned earlier in the hour', () => {
    // CPU at a quarter of its limit, pinned at it for eight minutes (an earlier incident), calm for ten, pinned again.
    const cpu: Point[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ t: i * MIN, v: i >= 8 && i < 16 ? 0.98 + 0.02 * Math.sin(i) : 0.25 + 0.05 * Math.sin(i * 2.3) })),
      ...[0.26, 0.99, 1, 0.97].map((v, i) => ({ t: (30 + i) * MIN, v })),
    ];
    const withLimit = acuteExcursion(cpu, 1, WIN, { ...ACUTE_DEFAULTS, limit: 1 });
    assert.ok(withLimit !== undefined);
    assert.equal(withLimit.start, 31 * MIN);
    assert.ok(withLimit.novelty > 0.9, `novelty ${withLimit.novelty}`);
    // Measured against an hour that counts the earlier incident as normal, it is nothing new.
    const plain = acuteExcursion(cpu, 1, WIN);
    assert.ok(plain === undefined || plain.novelty < 0.05, JSON.stringify(plain));
    // Always near its limit: no baseline left, so no news either.
    const busy = cpu.map((p) => ({ t: p.t, v: Math.max(p.v, 0.85) }));
    assert.equal(acuteExcursion(busy, 1, WIN, { ...ACUTE_DEFAULTS, limit: 1 }), undefined);
  });

  it('finds its baseline in points out of time order too (the fast path bisects ordered points only)', () => {
    const burst = pts([101, 900, 100, 850, 99]);
    // The last five baseline minutes first: a bisection would look past them.
    const shuffled = [...burst.slice(25, 30), ...burst.slice(0, 25), ...burst.slice(30)];
    const win = { ...WIN, baseFrom: 10 * MIN };
    assert.deepEqual(acuteExcursion(shuffled, 1, win), acuteExcursion(burst, 1, win));
    assert.ok(acuteExcursion(shuffled, 1, win) !== undefined);
  });

  it('reads the bad direction: a drop of a success ratio, not a rise', () => {
    const drop = pts([100, 40, 35, 100, 100]);
    assert.ok(acuteExcursion(drop, -1, WIN) !== undefined);
    assert.equal(acuteExcursion(drop, 1, WIN), undefined);
  });

  it('needs a baseline: nothing from two samples of history', () => {
    assert.equal(acuteExcursion(pts([900, 900, 900]), 1, { ...WIN, baseFrom: 28 * MIN }), undefined);
  });

  it('an earlier burst in the baseline does not hide a new one (robust baseline)', () => {
    const p = pts([100, 700, 650, 100]);
    p[10] = { t: 10 * MIN, v: 600 };
    p[11] = { t: 11 * MIN, v: 650 };
    assert.ok(acuteExcursion(p, 1, WIN) !== undefined);
  });

  it('several earlier incidents in the hour do not pass for normal straying (a call edge slowed ×40)', () => {
    // Nezha, Online Boutique, 2022-08-22: frontend → recommendationservice at ~0.015 s, four earlier
    // bursts in the hour (up to 5.9 s); the mean deviation they inflate put this one at z 2.5.
    const base = Array.from({ length: 55 }, (_, i) => 0.015 + 0.001 * Math.sin(i));
    for (const [i, v] of [[13, 0.17], [14, 0.17], [15, 0.17], [21, 0.86], [22, 1.35], [23, 1.15], [24, 5.9], [38, 0.38], [39, 0.37], [40, 0.35]] as const) base[i] = v;
    const p: Point[] = [...base, 0.64, 0.75, 0.75, 0.75].map((v, i) => ({ t: i * MIN, v }));
    const e = acuteExcursion(p, 1, { baseFrom: 0, baseTo: 55 * MIN, from: 55 * MIN, to: 60 * MIN });
    assert.ok(e !== undefined);
    assert.equal(e.start, 55 * MIN);
  });

  it('a success ratio is measured from its ceiling: a dip from 100 % to 95 % is 5 % of requests failing', () => {
    // Nezha, Online Boutique, 2022-08-22, exception in frontend: its success ratio, 100 % but for an
    // earlier incident (≈ 50 % for three minutes), dips to 95.7, 97.7, 94.5 % after the fault.
    const base = Array.from({ length: 28 }, () => 100);
    for (const i of [4, 5, 6]) base[i] = 50 + i;
    const p: Point[] = [...base, 95.7, 97.7, 94.5, 100].map((v, i) => ({ t: i * MIN, v }));
    const win = { baseFrom: 0, baseTo: 28 * MIN, from: 28 * MIN, to: 32 * MIN };
    // As a level, a 5 % wiggle is inside the 5 % relative floor: nothing.
    assert.equal(acuteExcursion(p, -1, win), undefined);
    const e = acuteExcursion(p, -1, win, { ...ACUTE_DEFAULTS, ceiling: 100, least: 1 });
    assert.ok(e !== undefined);
    assert.equal(e.start, 28 * MIN);
    assert.ok(Math.abs(e.relative) === Infinity || Math.abs(e.relative) > 1, `relative ${e.relative}`);
  });

  it('the least move that counts: a 0.2-point dip of a success ratio is not trouble', () => {
    const p: Point[] = [...Array.from({ length: 28 }, () => 100), 99.8, 99.8, 99.8].map((v, i) => ({ t: i * MIN, v }));
    const win = { baseFrom: 0, baseTo: 28 * MIN, from: 28 * MIN, to: 32 * MIN };
    assert.equal(acuteExcursion(p, -1, win, { ...ACUTE_DEFAULTS, ceiling: 100, least: 1 }), undefined);
    assert.ok(acuteExcursion(p, -1, win, { ...ACUTE_DEFAULTS, ceiling: 100 }) !== undefined);
  });

  it('a burst starting after `to` does not count, but a run may finish before `runTo`', () => {
    const late = pts([100, 100, 100, 100, 100, 100, 900, 900]);
    assert.equal(acuteExcursion(late, 1, WIN), undefined);
    const edge = pts([100, 100, 100, 100, 100, 900, 900]);
    assert.ok(acuteExcursion(edge, 1, { ...WIN, runTo: 40 * MIN }) !== undefined);
    assert.equal(acuteExcursion(edge, 1, WIN), undefined);
  });

  it('says when the burst was last seen (it may be over by the page)', () => {
    const e = acuteExcursion(pts([900, 900, 100, 100, 100]), 1, WIN);
    assert.equal(e?.end, 31 * MIN);
  });
});

describe('detect: acute excursions end where they end', () => {
  it('a later, separate burst is not the continuation of an earlier one (a repeated fault is a new cause)', () => {
    const e = acuteExcursion(pts([900, 900, 100, 100, 100, 100, 100, 900, 900]), 1, { ...WIN, runTo: 40 * MIN });
    assert.equal(e?.start, 30 * MIN);
    assert.equal(e?.end, 31 * MIN);
  });
});

describe('detect: acute excursions at the end of the data (coarse steps)', () => {
  // 5-minute samples: 12 of history, then what came after a change.
  const FIVE = 5 * MIN;
  const coarse = (tail: number[]): Point[] => [
    ...Array.from({ length: 12 }, (_, i) => ({ t: i * FIVE, v: 100 + 2 * Math.sin(i * 2.3) })),
    ...tail.map((v, i) => ({ t: (12 + i) * FIVE, v })),
  ];
  const W5 = { baseFrom: 0, baseTo: 12 * FIVE, from: 12 * FIVE, to: 15 * FIVE, runTo: 14 * FIVE };

  it('a page one 5-minute sample after the cause: that last sample alone counts when far out, marked lone', () => {
    const e = acuteExcursion(coarse([101, 900]), 1, W5);
    assert.ok(e !== undefined, 'old code needed 2 samples, which the data cannot have yet');
    assert.equal(e.lone, true);
    assert.equal(e.start, 13 * FIVE);
    assert.equal(e.since, 12 * FIVE, 'it began after the sample before it');
  });

  it('the last sample alone does not count when only somewhat out, or when later samples exist', () => {
    // z of about 6: far enough for a sustained burst, not for a lone one (2 × zMin).
    assert.equal(acuteExcursion(coarse([101, 112]), 1, W5), undefined);
    assert.equal(acuteExcursion(coarse([101, 900, 100]), 1, { ...W5, to: 14 * FIVE }), undefined, 'the window ends, the data does not');
  });

  it('a series that stopped before the end of the data (a pod gone) is not cut short by it', () => {
    assert.equal(acuteExcursion(coarse([101, 900]), 1, { ...W5, runTo: 20 * FIVE }), undefined);
  });

  it('says since when the burst can have begun, and whether it was already going before the window', () => {
    const fresh = acuteExcursion(coarse([101, 900, 950]), 1, { ...W5, runTo: 15 * FIVE });
    assert.deepEqual([fresh?.since, fresh?.start, fresh?.ongoing, fresh?.lone], [12 * FIVE, 13 * FIVE, false, false]);
    const p = coarse([900, 950, 900]);
    p[11] = { t: 11 * FIVE, v: 900 };
    const going = acuteExcursion(p, 1, { ...W5, runTo: 15 * FIVE });
    assert.equal(going?.ongoing, true);
  });
});
