import assert from 'node:assert/strict';
import { analysisId, analyzeFromStore } from '../../../src/app/analyze';
import type { Sample } from '../../../src/domain/types';
import { MemoryStore } from '../../../src/store/memory';
import { at, change, CONNS, FD, MIN, series, step, TOPO } from './helpers';

describe('analyzeFromStore', () => {
  it('reads points and changes from the store, stores the analysis under a deterministic id', async () => {
    const store = new MemoryStore();
    const samples: Sample[] = [];
    for (const s of [series('checkout-api', FD, {}, step(540, 1000, at('12:35'))), series('order-sync', CONNS, { 'server.address': 'checkout-api' }, step(20, 300, at('12:33')))]) {
      for (const p of s.points) samples.push({ series: s.series, t: p.t, v: p.v });
    }
    await store.insertPoints(samples);
    await store.insertChanges([change('cfg', 'order-sync', 'config', at('12:30')), change('dep', 'checkout-api', 'deploy', at('12:34'), { version: '2' })]);
    const req = { service: 'checkout-api', at: at('13:00'), windowMs: 3 * 60 * MIN, afterMs: 60 * MIN };
    const a = await analyzeFromStore(store, TOPO, req, { now: () => 42 });
    assert.equal(a.id, analysisId(req));
    assert.equal(a.createdAt, 42);
    assert.equal(a.from, at('10:00'));
    assert.ok(a.suspects.length === 2 && a.breakpoints.length > 0);
    const again = await analyzeFromStore(store, TOPO, req, { now: () => 43 });
    assert.equal(again.id, a.id);
    const stored = await store.recentAnalyses({ service: 'checkout-api', limit: 10 });
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.createdAt, 43);
    assert.notEqual(analysisId({ ...req, windowMs: 1 }), a.id);
  });
});
