import assert from 'node:assert/strict';
import type { Topology } from '../../../src/domain/types';
import { buildSnapshot, predict, type Proposal, type Quantities } from '../../../src/whatif';
import { HOUR, load, series, T0, TOPOLOGY, twoServices, wobble } from './fixtures';

/** History ends at 03:00 UTC (load 0.7); the daily peak (load 1.3) is at 15:00. */
const NOW = T0 + 27 * HOUR;
const propose = (service: string, quantities: Quantities): Proposal => ({ id: 'p', type: 'config', service, time: NOW, keys: [], quantities });
const pool = (from: number, to: number): Quantities => ({ settings: [{ key: 'http.client.pool.min_idle', from, to }] });

describe('whatif propagation', () => {
  const snap = buildSnapshot({ series: twoServices(27), changes: [], topology: TOPOLOGY, until: NOW });

  it('predicts the callee crossing its fd limit at the daily peak, not now, and names its team and the path', () => {
    // Connections 24 now and 36 at the peak; ×28 → b's fds 100 + 672 now, 100 + 1008 at the peak.
    const p = predict(snap, propose('a', pool(10, 280)));
    assert.equal(p.verdict, 'breach');
    const b = p.breaches[0]!;
    assert.equal(b.service, 'b');
    assert.equal(b.metric, 'process.open_file_descriptor.count');
    assert.equal(b.team, 'beta');
    assert.deepEqual(b.path, ['a', 'b']);
    assert.ok(Math.abs(b.predicted - 1108) / 1108 < 0.05, `predicted ${b.predicted}`);
    const hour = new Date(b.at).getUTCHours();
    assert.ok(hour >= 9 && hour <= 15, `crossing at ${b.at}`);
    assert.ok(b.low < b.predicted && b.predicted < b.high);
  });

  it('calls a small pool change safe', () => {
    const p = predict(snap, propose('a', pool(10, 12)));
    assert.equal(p.verdict, 'safe');
    assert.equal(p.breaches.length, 0);
  });

  it('calls it risk when only the interval reaches the limit', () => {
    // Peak 100 + 36·25 = 1000: below 1024, but within the uncertainty.
    const p = predict(snap, propose('a', pool(10, 250)));
    assert.equal(p.verdict, 'risk');
  });

  it('uses a declared effect over the default, and says so in the assumptions', () => {
    const p = predict(snap, propose('a', { ...pool(10, 280), effects: [{ metric: 'http.client.open_connections', peer: 'b', factor: 1.5 }] }));
    assert.equal(p.verdict, 'safe');
    assert.ok(p.assumptions.some((a) => a.startsWith('setting http.client.pool.min_idle')));
  });

  it('scales connections by to/from for a cap too by default (the worst case), applied to every HTTP peer when none is named', () => {
    const p = predict(snap, { ...propose('a', { settings: [{ key: 'http.client.max_connections_per_host', from: 10, to: 280 }] }) });
    assert.equal(p.verdict, 'breach');
    assert.ok(p.assumptions.some((a) => a.includes('worst case')), p.assumptions.join('\n'));
  });

  it('predicts nothing for a setting that is not a pool and was never measured, and says so', () => {
    const p = predict(snap, propose('a', { settings: [{ key: 'log.level', from: 'info', to: 'debug' }] }));
    assert.equal(p.verdict, 'safe');
    assert.equal(p.effects.length, 0);
    assert.ok(p.assumptions.some((a) => a.startsWith('setting log.level')));
  });

  it('says unknown, not safe, when the services a pool change acts on report no resource counters (golden signals only)', () => {
    const golden = buildSnapshot({
      series: [
        series('a', 'http.server.request.count', {}, 27, (t, k) => 50 * load(t) + wobble(k, 0.5)),
        series('a', 'http.client.request.duration', { 'server.address': 'b:8080' }, 27, (t, k) => 0.02 + wobble(k, 0.001)),
        series('b', 'http.server.request.duration', {}, 27, (t, k) => 0.01 + wobble(k, 0.001)),
      ],
      changes: [], topology: TOPOLOGY, until: NOW,
    });
    const p = predict(golden, propose('a', pool(10, 280)));
    assert.equal(p.verdict, 'unknown');
    assert.deepEqual(p.blind, [{ service: 'a', team: 'alpha' }, { service: 'b', team: 'beta' }]);
    assert.equal(p.breaches.length, 0);
  });

  it('lists no blind service where the counters are there', () => {
    assert.deepEqual(predict(snap, propose('a', pool(10, 12))).blind, []);
  });

  it('carries a traffic increase over two hops to the service that runs out', () => {
    // a → b → c: b's in-flight connections to c follow b's traffic, which is a's traffic.
    const h = 27;
    const data = [
      series('a', 'http.server.request.count', {}, h, (t, k) => 40 * load(t) + wobble(k, 0.4)),
      series('a', 'http.client.open_connections', { 'server.address': 'b' }, h, (t, k) => 5 + 10 * load(t) + wobble(k, 0.3)),
      series('b', 'http.server.request.count', {}, h, (t, k) => 40 * load(t) + wobble(k, 0.4)),
      series('b', 'http.client.open_connections', { 'server.address': 'c' }, h, (t, k) => 5 + 30 * load(t) + wobble(k, 0.3)),
      series('c', 'process.open_file_descriptor.count', {}, h, (t, k) => 200 + 5 + 30 * load(t) + wobble(k, 1)),
    ];
    const topology: Topology = { services: [
      { name: 'a', team: 'alpha', dependsOn: ['b'], limits: {} },
      { name: 'b', team: 'beta', dependsOn: ['c'], limits: {} },
      { name: 'c', team: 'gamma', dependsOn: [], limits: { 'process.open_file_descriptor.count': 300 } },
    ] };
    const s3 = buildSnapshot({ series: data, changes: [], topology, until: NOW });
    const p = predict(s3, propose('a', { traffic: { factor: 3 } }));
    // c's fds at the peak: 205 + 39 now → 205 + 117 with three times the traffic.
    const c = p.effects.find((e) => e.service === 'c' && e.metric === 'process.open_file_descriptor.count');
    assert.ok(c !== undefined, JSON.stringify(p.effects));
    assert.ok(Math.abs(c.predicted - 322) / 322 < 0.08, `predicted ${c.predicted}`);
    assert.deepEqual(c.path, ['a', 'b', 'c']);
    assert.equal(p.verdict, 'breach');
    assert.equal(p.breaches[0]?.team, 'gamma');
  });
});
