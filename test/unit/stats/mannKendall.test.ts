import assert from 'node:assert/strict';
import { mannKendall } from '../../../src/stats';

describe('stats: mannKendall', () => {
  it('a steady climb is a trend, whatever its shape', () => {
    const linear = mannKendall([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(linear?.s, 28);
    assert.ok((linear?.p ?? 1) < 0.001);
    assert.equal(mannKendall([1, 5, 7, 8, 8.5, 8.8, 9, 9.1])?.s, 28, 'saturating counts as much as linear');
  });

  it('noise, a fall, and too few values are not', () => {
    assert.ok((mannKendall([5, 3, 6, 2, 5, 4, 6, 3])?.p ?? 0) > 0.3);
    assert.ok((mannKendall([8, 7, 6, 5, 4, 3, 2, 1])?.p ?? 0) > 0.99, 'one-sided: a fall is no rise');
    assert.equal(mannKendall([1, 2, 3]), undefined);
    assert.equal(mannKendall([1, NaN, 2, 3]), undefined, 'finite values only');
  });

  it('one wild sample flips at most its own n − 1 pairs: the climb stays a climb', () => {
    const calm = mannKendall([1, 2, 3, 4, 5, 6, 7, 8])?.s ?? 0;
    const wild = mannKendall([1, 2, 3, 400, 5, 6, 7, 8]);
    assert.equal(calm - (wild?.s ?? 0), 8);
    assert.ok((wild?.p ?? 1) < 0.05);
  });
});
