import assert from 'node:assert/strict';
import { diffScale } from '../../../src/stats';

describe('stats/diffScale', () => {
  it('needs two points', () => {
    assert.equal(diffScale([]), undefined);
    assert.equal(diffScale([1]), undefined);
    assert.equal(diffScale([1, NaN]), undefined);
  });
  it('is 0 for a constant series and for a clean step (one difference is the step)', () => {
    assert.equal(diffScale([4, 4, 4]), 0);
    assert.equal(diffScale([0, 0, 0, 10, 10, 10]), 0);
  });
  it('is 1.4826·median|Δ|/√2', () => {
    assert.ok(Math.abs(diffScale([0, 1, 0, 1, 0])! - 1.4826 / Math.SQRT2) < 1e-3);
  });
});
