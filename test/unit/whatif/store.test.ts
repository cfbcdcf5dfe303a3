import assert from 'node:assert/strict';
import type { Sample } from '../../../src/domain/types';
import { MemoryStore } from '../../../src/store/memory';
import { learntElasticity } from '../../../src/whatif';
import { snapshotFromStore, storedQuantities } from '../../../src/whatif/store';
import { HOUR, load, MIN, series, T0, TOPOLOGY, wobble } from './fixtures';

const CHANGE_AT = T0 + 44 * HOUR;

describe('whatif snapshots from a store', () => {
  it('turns stored settings into quantities: numbers where the text is one, both values needed', () => {
    const q = storedQuantities({ id: 'c', source: 's', type: 'config', rawType: 'x', service: 'a', time: 0, version: '1.2',
      settings: [{ key: 'pool.size', from: '10', to: ' 80 ' }, { key: 'log.level', from: 'info', to: 'debug' }, { key: 'new.key', to: '5' }] });
    assert.deepEqual(q, { settings: [{ key: 'pool.size', from: 10, to: 80 }, { key: 'log.level', from: 'info', to: 'debug' }], version: '1.2' });
    assert.deepEqual(storedQuantities({ id: 'c', source: 's', type: 'deploy', rawType: 'x', service: 'a', time: 0 }), {});
  });

  it('a stored pool change (settings as text, as ClickHouse keeps them) teaches the catalogue its elasticity (was: no quantities, nothing learnt)', async () => {
    const conns = (t: number): number => (10 + 20 * load(t)) * (t >= CHANGE_AT + 2 * MIN ? 3 : 1);
    const history = [
      series('a', 'http.client.open_connections', { 'server.address': 'b' }, 48, (t, k) => conns(t) + wobble(k, 0.4)),
      series('b', 'process.open_file_descriptor.count', {}, 48, (t, k) => 100 + conns(t) + wobble(k, 1)),
    ];
    const store = new MemoryStore();
    const samples: Sample[] = history.flatMap((s) => s.points.map((p) => ({ series: s.series, t: p.t, v: p.v })));
    await store.insertPoints(samples);
    await store.insertChanges([{ id: 'c-pool', source: 'ci', type: 'config', rawType: 'x.change.config', service: 'a', team: 'alpha', time: CHANGE_AT, keys: ['http.client.pool.min_idle'], settings: [{ key: 'http.client.pool.min_idle', from: '8', to: '24' }] }]);
    const snap = await snapshotFromStore(store, TOPOLOGY, { until: T0 + 48 * HOUR, days: 7 });
    const e = learntElasticity(snap.impacts, 'http.client.pool.min_idle');
    assert.ok(e !== undefined, 'learnt from the stored change');
    assert.ok(Math.abs(e.elasticity - 1) < 0.1, `elasticity ${e.elasticity}`);
  });
});
