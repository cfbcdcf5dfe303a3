import assert from 'node:assert/strict';
import type { Topology } from '../../../src/domain/types';
import { buildSnapshot, predict, type Proposal } from '../../../src/whatif';
import { HOUR, load, series, T0, wobble } from './fixtures';

/** A chain a → b → c over 27 h: every call is synchronous (Little's law), in-flight calls follow the load. */
const NOW = T0 + 27 * HOUR;
const TOPO: Topology = {
  services: [
    { name: 'a', team: 'alpha', dependsOn: ['b'], limits: {} },
    { name: 'b', team: 'beta', dependsOn: ['c'], limits: { 'process.open_file_descriptor.count': 1024 } },
    { name: 'c', team: 'gamma', dependsOn: [], limits: {} },
  ],
};
// a's requests in b take 20 in flight at load 1, of which b waits 10 on c.
const inB = (t: number): number => 20 * load(t);
const bOnC = (t: number): number => 10 * load(t);
const HISTORY = [
  series('a', 'http.server.request.count', {}, 27, (t, k) => 50 * load(t) + wobble(k, 0.5)),
  series('a', 'http.client.open_connections', { 'server.address': 'b' }, 27, (t, k) => 5 + inB(t) + wobble(k, 0.2)),
  series('b', 'http.server.request.count', {}, 27, (t, k) => 50 * load(t) + wobble(k, 0.5)),
  series('b', 'http.client.open_connections', { 'server.address': 'c' }, 27, (t, k) => 5 + bOnC(t) + wobble(k, 0.2)),
  series('b', 'process.open_file_descriptor.count', {}, 27, (t, k) => 100 + 10 + inB(t) + bOnC(t) + wobble(k, 0.5)),
  series('c', 'http.server.request.count', {}, 27, (t, k) => 50 * load(t) + wobble(k, 0.5)),
];
const slowC = (factor: number): Proposal => ({ id: 'p-slow', type: 'deploy', service: 'c', time: NOW, keys: [], quantities: { effects: [{ metric: 'http.server.request.duration', factor }] } });

describe('whatif latency over several hops', () => {
  const snap = buildSnapshot({ series: HISTORY, changes: [], topology: TOPO, until: NOW });

  it('a slowed callee slows its caller too, so the caller\'s callers hold more connections to it (was: one hop only)', () => {
    // c ×5: b's in-flight calls to c ×5 (+40 at load 1); b's requests wait 10 of 20 in flight on c → b ×(1 + 40/20) = ×3,
    // so a's in-flight calls to b ×3 (+40 at load 1). At the peak (load 1.3) b's fds: 110 + 26·3 + 13·5 = 253.
    const p = predict(snap, slowC(5));
    const aToB = p.effects.find((e) => e.service === 'a' && e.peer === 'b');
    assert.ok(aToB !== undefined, `a's connections to b move: ${JSON.stringify(p.effects.map((e) => [e.service, e.metric, e.peer]))}`);
    assert.ok(Math.abs(aToB.predicted - (5 + 26 * 3)) / (5 + 26 * 3) < 0.1, `a → b ${aToB.predicted}`);
    const fds = p.effects.find((e) => e.service === 'b' && e.metric === 'process.open_file_descriptor.count');
    assert.ok(fds !== undefined && Math.abs(fds.predicted - 253) / 253 < 0.1, `b fds ${fds?.predicted}`);
    assert.deepEqual(fds.path, ['c', 'b']);
    assert.ok(p.assumptions.some((x) => /latency follows the call graph.*b ×3\.0/.test(x)), p.assumptions.join('\n'));
  });

  it('calls in flight beyond the caller\'s requests overlap: its latency rises no more than the callee\'s', () => {
    // b now holds 40 calls to c for 20 requests in flight (parallel calls). c ×2: +40 calls over max(20, 40) → b ×2, not ×3.
    const parallel = HISTORY.map((s) => (s.series.service === 'b' && s.series.metric === 'http.client.open_connections' ? series('b', 'http.client.open_connections', { 'server.address': 'c' }, 27, (t, k) => 5 + 4 * bOnC(t) + wobble(k, 0.2)) : s));
    const p = predict(buildSnapshot({ series: parallel, changes: [], topology: TOPO, until: NOW }), slowC(2));
    const aToB = p.effects.find((e) => e.service === 'a' && e.peer === 'b');
    assert.ok(aToB !== undefined && Math.abs(aToB.predicted - (5 + 26 * 2)) / (5 + 26 * 2) < 0.1, `a → b ${aToB?.predicted}`);
  });
});
