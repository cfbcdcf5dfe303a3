import assert from 'node:assert/strict';
import { mannWhitneyU } from '../../../src/stats';

describe('stats: Mann–Whitney U (one-sided, x larger)', () => {
  it('complete separation of 3 and 3 samples: U 9, exact p 1/20', () => {
    const r = mannWhitneyU([10, 11, 12], [1, 2, 3]);
    assert.equal(r?.u, 9);
    assert.ok(Math.abs((r?.p ?? 0) - 0.05) < 1e-12);
  });

  it('the other direction is not significant: U 0, p 1', () => {
    const r = mannWhitneyU([1, 2, 3], [10, 11, 12]);
    assert.equal(r?.u, 0);
    assert.equal(r?.p, 1);
  });

  it('5 against 5, fully separated: p 1/252', () => {
    const r = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    assert.ok(Math.abs((r?.p ?? 0) - 1 / 252) < 1e-12);
  });

  it('interleaved samples: p near one half', () => {
    const r = mannWhitneyU([1, 3, 5, 7], [2, 4, 6, 8]);
    assert.ok((r?.p ?? 0) > 0.4 && (r?.p ?? 1) < 0.8);
  });

  it('large samples use the normal approximation', () => {
    const x = Array.from({ length: 30 }, (_, i) => i + 5);
    const y = Array.from({ length: 30 }, (_, i) => i);
    const r = mannWhitneyU(x, y);
    assert.ok((r?.p ?? 1) < 0.05);
  });

  it('an empty sample gives no answer', () => {
    assert.equal(mannWhitneyU([], [1]), undefined);
  });
});
