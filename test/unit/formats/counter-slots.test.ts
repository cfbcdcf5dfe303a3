import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { SeriesRef } from '../../../src/domain/types';
import { CounterSlots } from '../../../src/formats/counter-slots';
import { createRateState, cumulativeIncrease, cumulativeRate } from '../../../src/formats/rate';

describe('formats counter slots', () => {
  it('keeps each counter\'s last point across chunks, unset start and aux as undefined', () => {
    const c = new CounterSlots(5000);
    for (let i = 0; i < 3000; i++) c.add(`k${i}`, 1e12 + i, i * 0.5, i % 2 === 0 ? undefined : 1e12 - i, i % 3 === 0 ? undefined : -i);
    assert.equal(c.size, 3000);
    for (const i of [0, 1, 1023, 1024, 2047, 2999]) {
      assert.ok(c.find(`k${i}`));
      assert.deepEqual([c.t(), c.v(), c.start(), c.aux()], [1e12 + i, i * 0.5, i % 2 === 0 ? undefined : 1e12 - i, i % 3 === 0 ? undefined : -i]);
    }
    assert.equal(c.find('nope'), false);
  });

  it('when full forgets the first-inserted counter and reuses its slot', () => {
    const c = new CounterSlots(2);
    c.add('a', 1, 1, undefined, undefined);
    c.add('b', 2, 2, undefined, undefined);
    c.add('c', 3, 3, undefined, undefined);
    assert.equal(c.size, 2);
    assert.equal(c.find('a'), false);
    assert.ok(c.find('b') && c.v() === 2);
    assert.ok(c.find('c') && c.v() === 3);
  });

  it('keeps a series\' counter by its SeriesRef, and after rekeyById hands it to a new SeriesRef with the same id', () => {
    const c = new CounterSlots(10);
    const a = makeSeries('bytes', { 'service.name': 's', k: 'v' });
    c.add(a, 1, 5, undefined, undefined);
    assert.ok(c.find(a) && c.v() === 5);
    const again = makeSeries('bytes', { 'service.name': 's', k: 'v' });
    assert.equal(c.find(again), false, 'another SeriesRef is another key until the cache that made the first is dropped');
    c.rekeyById([a]);
    assert.ok(c.find(again) && c.v() === 5, 'claimed by the new SeriesRef');
    assert.equal(c.size, 1);
    assert.ok(c.find(again));
  });

  it('a series whose counter was forgotten (the bound reached) no longer finds its old slot, now another\'s', () => {
    const c = new CounterSlots(2, false);
    const [a, b, d] = ['a', 'b', 'd'].map((m) => makeSeries(m, { 'service.name': 's' })) as [SeriesRef, SeriesRef, SeriesRef];
    c.add(a, 1, 10, undefined, undefined);
    c.add(b, 2, 20, undefined, undefined);
    c.add(d, 3, 30, undefined, undefined); // takes a's slot
    assert.equal(c.find(a), false);
    assert.ok(c.find(d) && c.v() === 30);
    assert.ok(c.find(b) && c.v() === 20);
    assert.equal(c.aux(), undefined, 'no aux kept');
  });

  it('rates and increases as before: resets, start times, the companion value', () => {
    const s = createRateState();
    assert.equal(cumulativeRate(s, 'x', 1000, 10), undefined);
    assert.equal(cumulativeRate(s, 'x', 3000, 30), 10);
    assert.equal(cumulativeRate(s, 'x', 3000, 40), undefined, 'not newer');
    assert.equal(cumulativeRate(s, 'x', 4000, 5, 3500), 10, 'reset with a start: v over t - start');
    assert.deepEqual(cumulativeIncrease(s, 'h', 1000, 4, 0.5, 10), { increase: 4, ms: 999.5, sinceStart: true, auxIncrease: 10 }, 'first point, started just before: since its start');
    assert.equal(cumulativeRate(s, 'y', 11 * 60_000, 50, 0), undefined, 'first point, started 11 min before: the reference only');
    assert.deepEqual(cumulativeIncrease(s, 'h', 2000, 6, 0.5, 13), { increase: 2, ms: 1000, sinceStart: false, auxIncrease: 3 });
    assert.deepEqual(cumulativeIncrease(s, 'h', 3000, 7, 0.5), { increase: 1, ms: 1000, sinceStart: false, auxIncrease: undefined });
    assert.deepEqual(cumulativeIncrease(s, 'h', 4000, 9, 0.5, 20), { increase: 2, ms: 1000, sinceStart: false, auxIncrease: undefined });
  });
});
