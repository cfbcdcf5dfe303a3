import assert from 'node:assert/strict';
import { MAD_TO_SIGMA, robustScale } from '../../../src/stats';

describe('stats/robustScale', () => {
  it('is 1.4826·MAD and ignores a gross outlier', () => {
    assert.equal(robustScale([1, 2, 3, 4, 100]), MAD_TO_SIGMA * 1);
  });
  it('is undefined when empty, 0 for a single point or a constant series', () => {
    assert.equal(robustScale([]), undefined);
    assert.equal(robustScale([42]), 0);
    assert.equal(robustScale([3, 3, 3]), 0);
  });
  it('estimates σ of Gaussian-like data', () => {
    // deciles of N(0, 1), scaled to σ = 2
    const xs = [-1.2816, -0.8416, -0.5244, -0.2533, 0, 0.2533, 0.5244, 0.8416, 1.2816].map((x) => x * 2);
    const s = robustScale(xs)!;
    assert.ok(s > 1.2 && s < 2.2, `got ${s}`);
  });
});
