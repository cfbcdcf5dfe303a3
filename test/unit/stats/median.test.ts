import assert from 'node:assert/strict';
import { median } from '../../../src/stats';

describe('stats/median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
  it('returns undefined for empty input instead of throwing', () => {
    assert.equal(median([]), undefined);
  });
  it('handles a single point and a constant series', () => {
    assert.equal(median([7]), 7);
    assert.equal(median([5, 5, 5, 5]), 5);
  });
  it('ignores NaN and ±Infinity', () => {
    assert.equal(median([1, NaN, 3, Infinity, -Infinity, 2]), 2);
    assert.equal(median([NaN]), undefined);
  });
});
