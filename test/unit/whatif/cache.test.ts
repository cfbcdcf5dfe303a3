import assert from 'node:assert/strict';
import { SnapshotCache } from '../../../src/whatif/cache';
import type { Snapshot } from '../../../src/whatif';

const snap = (to: number): Snapshot => ({ version: 1, kind: 'epicenter.snapshot', from: 0, to, stepMs: 60_000, services: [], series: [], couplings: [], impacts: [], load: null });

describe('whatif snapshot cache', () => {
  it('reuses a snapshot for later requests within the age bound, never for an earlier time or another history length', async () => {
    const cache = new SnapshotCache(5 * 60_000);
    let builds = 0;
    const build = (until: number) => () => {
      builds++;
      return Promise.resolve(snap(until));
    };
    const a = await cache.get(1_000_000, 7, build(1_000_000));
    assert.equal(await cache.get(1_000_000 + 4 * 60_000, 7, build(0)), a, 'four minutes later: the same snapshot');
    assert.equal(builds, 1);
    assert.notEqual(await cache.get(1_000_000 + 6 * 60_000, 7, build(1_360_000)), a, 'six minutes later: rebuilt');
    assert.notEqual(await cache.get(999_000, 7, build(999_000)), a, 'an earlier time: rebuilt (the snapshot would hold data after it)');
    assert.notEqual(await cache.get(1_000_000, 3, build(1_000_000)), a, 'another history length: rebuilt');
    assert.equal(builds, 4);
  });

  it('shares one build between concurrent requests and forgets a failed one', async () => {
    const cache = new SnapshotCache();
    let builds = 0;
    const slow = () => {
      builds++;
      return new Promise<Snapshot>((done) => setTimeout(() => done(snap(1)), 5));
    };
    const [x, y] = await Promise.all([cache.get(10, 7, slow), cache.get(10, 7, slow)]);
    assert.equal(x, y);
    assert.equal(builds, 1);
    const failing = new SnapshotCache();
    await assert.rejects(failing.get(10, 7, () => Promise.reject(new Error('store down'))), /store down/);
    assert.equal((await failing.get(10, 7, () => Promise.resolve(snap(2)))).to, 2, 'the failure was not cached');
  });
});
