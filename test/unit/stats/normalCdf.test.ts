import assert from 'node:assert/strict';
import { normalCdf } from '../../../src/stats';

describe('stats/normalCdf', () => {
  it('matches known quantiles', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
    assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-6);
  });
  it('handles the edges', () => {
    assert.equal(normalCdf(Infinity), 1);
    assert.equal(normalCdf(-Infinity), 0);
    assert.ok(Number.isNaN(normalCdf(NaN)));
  });
});
