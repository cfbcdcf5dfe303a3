import assert from 'node:assert/strict';
import { analyzeContext, buildContext, candidateEvidence, effectAt } from '../../../src/correlate';
import { lagKernel } from '../../../src/correlate/features/common';
import { downThrough, mixedPath, passThrough } from '../../../src/correlate/features/flow';
import { pathEvidence } from '../../../src/correlate/features/path';
import { refineOnset } from '../../../src/correlate/signals';
import type { Topology } from '../../../src/domain/types';
import { at, bp, change, CONNS, FD, input, MIN, series, step } from './helpers';

const RATE = 'http.server.request.count';
// edge → web → checkout-api → payments → bank; order-sync → checkout-api.
const TOPO: Topology = {
  services: [
    { name: 'edge', team: 'storefront', dependsOn: ['web'], limits: {} },
    { name: 'web', team: 'web', dependsOn: ['checkout-api'], limits: {} },
    { name: 'order-sync', team: 'fulfilment', dependsOn: ['checkout-api'], limits: {} },
    { name: 'checkout-api', team: 'checkout', dependsOn: ['payments'], limits: { [FD]: 1024 } },
    { name: 'payments', team: 'payments', dependsOn: ['bank'], limits: {} },
    { name: 'bank', team: 'partners', dependsOn: [], limits: {} },
  ],
};
const ramp = (a: number, b: number, t1: number, minutes: number) => (t: number): number => (t < t1 ? a : a + (b - a) * Math.min(1, (t - t1) / (minutes * MIN)));

describe('evidence: where the disturbance began (flow direction)', () => {
  // A flag on edge sends more traffic through web to checkout-api; web deployed meanwhile.
  const edgeConns = series('edge', CONNS, { 'server.address': 'web' }, step(20, 80, at('12:31')));
  const webRate = series('web', RATE, {}, step(400, 1600, at('12:31')));
  const webConns = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 400, at('12:33')));
  const fds = series('checkout-api', FD, {}, step(500, 950, at('12:34')));
  const flag = change('flag', 'edge', 'flag', at('12:30'));
  const webDeploy = change('webdep', 'web', 'deploy', at('12:32'), { version: '3.1.0' });
  const all = [edgeConns, webRate, webConns, fds];
  const ctx = buildContext(input(all, [flag, webDeploy], { topology: TOPO }), [bp(edgeConns, at('12:31')), bp(webRate, at('12:31')), bp(webConns, at('12:33')), bp(fds, at('12:34'))]);

  it('a service whose request rate rose with the trouble passed it on: its own change is a bystander', () => {
    assert.ok(passThrough(ctx, webDeploy).value > 0.5);
    assert.equal(passThrough(ctx, flag).value, 0);
  });

  it('ranks the flag two hops up above the deploy of the service in between', () => {
    const a = analyzeContext(ctx);
    assert.equal(a.suspects[0]?.id, 'flag', JSON.stringify(a.suspects.map((s) => [s.id, s.score])));
    const web = a.suspects.find((s) => s.id === 'webdep');
    assert.ok(web?.evidence.some((l) => /request rate of web: level up .*came through it from upstream/.test(l)), JSON.stringify(web?.evidence));
  });

  it('a path through a shared dependency changes direction; a chain of calls does not', () => {
    const both = buildContext(input(all, [flag, change('os', 'order-sync', 'config', at('12:30'))], { topology: TOPO, service: 'web' }), []);
    assert.equal(mixedPath(pathEvidence(both, change('os', 'order-sync', 'config', at('12:30')))), 1);
    assert.equal(mixedPath(pathEvidence(ctx, flag)), 0);
  });
});

describe('evidence: slowness from below', () => {
  // bank slows at 12:30: payments holds more connections to bank, checkout-api more to payments.
  const payBank = series('payments', 'db.client.connection.count', { 'server.address': 'bank' }, step(10, 120, at('12:33')));
  const coPay = series('checkout-api', CONNS, { 'server.address': 'payments' }, step(20, 300, at('12:35')));
  const fds = series('checkout-api', FD, {}, step(500, 950, at('12:35')));
  const infra = change('infra', 'bank', 'infra', at('12:30'));
  const payDeploy = change('paydep', 'payments', 'deploy', at('12:31'), { version: '1.2.0' });
  const all = [payBank, coPay, fds];
  const ctx = buildContext(input(all, [infra, payDeploy], { topology: TOPO }), [bp(payBank, at('12:33')), bp(coPay, at('12:35')), bp(fds, at('12:35'))]);

  it('a dependency whose own calls further down grew is waiting on something deeper', () => {
    assert.ok(downThrough(ctx, payDeploy, pathEvidence(ctx, payDeploy)).value > 0.5);
    assert.equal(downThrough(ctx, infra, pathEvidence(ctx, infra)).value, 0);
    assert.ok(candidateEvidence(ctx, payDeploy).x.downThrough > 0.5);
  });

  it('… unless the change says it sends that much more to what it calls: then the wait below is its doing', () => {
    const cfg = (extra = {}) => change('paycfg', 'payments', 'config', at('12:31'), extra);
    const pool = { settings: [{ key: 'bank.client.pool.max_connections', from: '10', to: '120' }] };
    const with_ = (c: ReturnType<typeof cfg>) => candidateEvidence(buildContext(input(all, [infra, c], { topology: TOPO }), [bp(payBank, at('12:33')), bp(coPay, at('12:35')), bp(fds, at('12:35'))]), c);
    assert.ok(with_(cfg()).x.downThrough > 0.5, 'a config that says nothing of load');
    assert.equal(with_(cfg(pool)).x.downThrough, 0);
  });
});

describe('onset timing', () => {
  it('extrapolates a ramp back to where it left its level', () => {
    const s = series('a', FD, {}, ramp(500, 800, at('12:00'), 20));
    const e = effectAt(s.points, at('12:15'), 30 * MIN);
    assert.ok(e !== undefined);
    const t = refineOnset(s.points, at('12:15'), e, 30 * MIN);
    assert.ok(t >= at('11:58') && t <= at('12:03'), new Date(t).toISOString());
  });

  it('treats a move seen within the timestamp jitter before a change as uncertain, not as caused', () => {
    assert.equal(lagKernel(0, 3 * MIN, 45 * MIN), 1);
    assert.equal(lagKernel(-1.5 * MIN, 3 * MIN, 45 * MIN), 0.75);
    assert.equal(lagKernel(-4 * MIN, 3 * MIN, 45 * MIN), 0);
  });
});

describe('evidence: the victim waits on one dependency, its traffic unchanged', () => {
  // payments slows at 12:30: checkout-api holds more connections to it with a flat request rate;
  // web, a caller, deploys at the same minute and holds more connections to the slower checkout-api.
  const coPay = series('checkout-api', CONNS, { 'server.address': 'payments' }, step(20, 300, at('12:33')));
  const coRate = series('checkout-api', RATE, {}, step(400, 400, at('12:33')));
  const webCo = series('web', CONNS, { 'server.address': 'checkout-api' }, step(30, 90, at('12:34')));
  const fds = series('checkout-api', FD, {}, step(500, 950, at('12:34')));
  const infra = change('infra', 'payments', 'infra', at('12:29'));
  const webDeploy = change('webdep', 'web', 'deploy', at('12:32'), { version: '3.1.0' });
  const all = [coPay, coRate, webCo, fds];
  const ctx = buildContext(input(all, [infra, webDeploy], { topology: TOPO }), [bp(coPay, at('12:33')), bp(webCo, at('12:34')), bp(fds, at('12:34'))]);

  it('points below the victim, at the dependency it waits on, not at a caller', () => {
    assert.ok(candidateEvidence(ctx, webDeploy).x.slowBelow > 0.5);
    assert.equal(candidateEvidence(ctx, webDeploy).x.slowPath, 0);
    assert.ok(candidateEvidence(ctx, infra).x.slowPath > 0.5);
    assert.equal(candidateEvidence(ctx, infra).x.slowBelow, 0);
  });

  it('ranks the slowed dependency first and says why', () => {
    const a = analyzeContext(ctx);
    assert.equal(a.suspects[0]?.id, 'infra', JSON.stringify(a.suspects.map((s) => [s.id, s.score])));
    assert.ok(a.suspects[0]?.evidence.some((l) => /checkout-api holds more connections to payments .* payments got slower/.test(l)), JSON.stringify(a.suspects[0]?.evidence));
    const web = a.suspects.find((s) => s.id === 'webdep');
    assert.ok(web?.evidence.some((l) => /checkout-api's own connections to a dependency grew .* comes from below, not from a caller/.test(l)), JSON.stringify(web?.evidence));
  });

  it('with more traffic into the victim, its extra connections below are load, not slowness', () => {
    const busy = series('checkout-api', RATE, {}, step(400, 1400, at('12:33')));
    const c2 = buildContext(input([coPay, busy, webCo, fds], [infra, webDeploy], { topology: TOPO }), [bp(coPay, at('12:33')), bp(busy, at('12:33')), bp(webCo, at('12:34')), bp(fds, at('12:34'))]);
    assert.ok(candidateEvidence(c2, webDeploy).x.slowBelow < 0.3);
    assert.ok(candidateEvidence(c2, infra).x.slowPath < 0.3);
  });
});
