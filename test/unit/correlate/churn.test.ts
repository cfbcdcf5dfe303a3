import assert from 'node:assert/strict';
import { acrossInstances, ACROSS } from '../../../src/correlate/churn';
import { stitchVersions } from '../../../src/correlate/stitch';
import { at, FD, MIN, series } from './helpers';

const fds = (pod: string, version: string, level: number, from: string, to: string) =>
  series('checkout-api', FD, { 'service.instance.id': pod, 'service.version': version }, () => level, { from: at(from), to: at(to), noise: 0 });

describe('correlate: series across instance churn', () => {
  it('pods replaced by a release: one series, the mean of the pods reporting at each step, across the rollout', () => {
    const s = stitchVersions([fds('a', '1', 100, '10:00', '12:02'), fds('b', '1', 110, '10:00', '12:04'), fds('c', '2', 400, '12:00', '14:00'), fds('d', '2', 420, '12:02', '14:00')]);
    const out = acrossInstances(s, MIN);
    assert.equal(out.length, 1);
    const one = out[0];
    assert.equal(one?.series.labels[ACROSS], 'mean');
    assert.equal(one?.series.labels['service.instance.id'], undefined);
    assert.equal(one?.points[0]?.t, at('10:00'));
    assert.equal(one?.points[one.points.length - 1]?.t, at('13:59'));
    assert.equal(one?.points.find((p) => p.t === at('11:00'))?.v, 105);
    assert.equal(one?.points.find((p) => p.t === at('13:00'))?.v, 410);
  });

  it('a fixed set of instances gets nothing new: their own series are continuous', () => {
    const s = stitchVersions([fds('a', '1', 100, '10:00', '14:00'), fds('b', '1', 110, '10:00', '14:00')]);
    assert.deepEqual(acrossInstances(s, MIN), []);
  });
});
