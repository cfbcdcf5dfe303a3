import assert from 'node:assert/strict';
import { fitCoupling } from '../../../src/whatif';
import { buildSnapshot } from '../../../src/whatif';
import { T0, TOPOLOGY, twoServices } from './fixtures';

describe('whatif couplings', () => {
  it('recovers slope and intercept of a clean line with R² 1', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i);
    const f = fitCoupling(xs, xs.map((x) => 10 + 2 * x));
    assert.ok(f !== undefined);
    assert.equal(f.slope, 2);
    assert.equal(f.intercept, 10);
    assert.equal(f.r2, 1);
  });

  it('is not pulled by a few wild outliers (robust), and says the fit is worse', () => {
    const xs = Array.from({ length: 60 }, (_, i) => i);
    const ys = xs.map((x, i) => (i % 15 === 0 ? 5000 : 3 + 0.5 * x));
    const f = fitCoupling(xs, ys)!;
    assert.ok(Math.abs(f.slope - 0.5) < 0.05, `slope ${f.slope}`);
    assert.ok(f.r2 < 0.5, `r2 ${f.r2}`);
  });

  it('refuses to fit fewer than 6 points', () => {
    assert.equal(fitCoupling([1, 2, 3], [1, 2, 3]), undefined);
  });

  it('learns from history that the callee\'s fds follow the connections it holds, and the caller\'s connections follow its traffic', () => {
    const snap = buildSnapshot({ series: twoServices(30), changes: [], topology: TOPOLOGY, until: T0 + 30 * 3_600_000 });
    const fd = snap.couplings.find((c) => c.kind === 'fd~held' && c.service === 'b');
    assert.ok(fd !== undefined, 'fd~held of b');
    assert.ok(Math.abs(fd.slope - 1) < 0.1, `fd slope ${fd.slope}`);
    assert.ok(fd.r2 > 0.9, `fd r2 ${fd.r2}`);
    const conns = snap.couplings.find((c) => c.kind === 'conns~traffic' && c.service === 'a' && c.peer === 'b');
    assert.ok(conns !== undefined, 'conns~traffic a→b');
    // 20 in-flight connections per unit of load, load = traffic / 50 → 0.4 per request/s; 10 idle.
    assert.ok(Math.abs(conns.slope - 0.4) < 0.04, `conns slope ${conns.slope}`);
    assert.ok(Math.abs(conns.intercept - 10) < 1.5, `conns intercept ${conns.intercept}`);
  });
});
