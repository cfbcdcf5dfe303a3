import assert from 'node:assert/strict';
import { buildSnapshot, learntElasticity, type QuantifiedChange } from '../../../src/whatif';
import { HOUR, load, MIN, series, T0, TOPOLOGY, wobble } from './fixtures';

const CHANGE_AT = T0 + 44 * HOUR;

/** Two days; a's pool to b goes 8 → 24 at 20:00 on day 2 (connections ×3), b's fds follow; a log.level change at 10:00 (load rising fast) does nothing. */
function history(): { series: ReturnType<typeof series>[]; changes: QuantifiedChange[] } {
  const f = (t: number): number => (t >= CHANGE_AT + 2 * MIN ? 3 : 1);
  const conns = (t: number): number => (10 + 20 * load(t)) * f(t);
  const change = (id: string, time: number, key: string, from: number | string, to: number | string): QuantifiedChange => ({
    change: { id, source: 'ci', type: 'config', rawType: 'x.change.config', service: 'a', team: 'alpha', time, keys: [key] },
    quantities: { settings: [{ key, from, to }] },
  });
  return {
    series: [
      series('a', 'http.client.open_connections', { 'server.address': 'b' }, 48, (t, k) => conns(t) + wobble(k, 0.4)),
      series('b', 'process.open_file_descriptor.count', {}, 48, (t, k) => 100 + conns(t) + wobble(k, 1)),
    ],
    changes: [change('c-log', T0 + 34 * HOUR, 'log.level', 'info', 'debug'), change('c-pool', CHANGE_AT, 'http.client.pool.min_idle', 8, 24)],
  };
}

describe('whatif impact catalogue', () => {
  const h = history();
  const snap = buildSnapshot({ series: h.series, changes: h.changes, topology: TOPOLOGY, until: T0 + 48 * HOUR });

  it('measures a past pool change on its own service and on the callee, with an interval', () => {
    const imp = snap.impacts.find((i) => i.id === 'c-pool');
    assert.ok(imp !== undefined);
    const own = imp.effects.find((e) => e.service === 'a' && e.peer === 'b');
    assert.ok(own !== undefined, JSON.stringify(imp));
    assert.ok(Math.abs(own.factor - 3) < 0.2, `factor ${own.factor}`);
    assert.ok(own.low < own.factor && own.factor < own.high);
    const callee = imp.effects.find((e) => e.service === 'b' && e.metric === 'process.open_file_descriptor.count');
    assert.ok(callee !== undefined && callee.factor > 1.3, 'b fds up');
    assert.deepEqual(imp.keys, ['http.client.pool.min_idle']);
  });

  it('records a change that moved nothing with no effects', () => {
    const imp = snap.impacts.find((i) => i.id === 'c-log');
    assert.ok(imp !== undefined);
    assert.equal(imp.effects.length, 0);
  });

  it('learns the elasticity of a config key from past changes with quantities', () => {
    const e = learntElasticity(snap.impacts, 'http.client.pool.min_idle');
    assert.ok(e !== undefined);
    assert.ok(Math.abs(e.elasticity - 1) < 0.1, `elasticity ${e.elasticity}`);
    assert.equal(learntElasticity(snap.impacts, 'cache.ttl_seconds'), undefined);
  });
});
