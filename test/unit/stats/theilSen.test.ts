import assert from 'node:assert/strict';
import { theilSen } from '../../../src/stats';

describe('stats/theilSen', () => {
  it('fits a line through an outlier', () => {
    assert.deepEqual(theilSen([0, 1, 2, 3, 4], [1, 3, 5, 7, 70]), { slope: 2, intercept: 1 });
  });
  it('uses the x values (irregular spacing)', () => {
    const fit = theilSen([0, 1, 5, 6], [0, 2, 10, 12])!;
    assert.equal(fit.slope, 2);
  });
  it('is undefined without two distinct x, and 0-slope for a constant', () => {
    assert.equal(theilSen([], []), undefined);
    assert.equal(theilSen([1], [1]), undefined);
    assert.equal(theilSen([2, 2], [1, 5]), undefined);
    assert.deepEqual(theilSen([0, 1, 2], [7, 7, 7]), { slope: 0, intercept: 7 });
  });
});
