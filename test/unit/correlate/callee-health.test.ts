import assert from 'node:assert/strict';
import { buildContext, contextEvidence } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import { at, bp, change, MIN, series } from './helpers';

// web → fulfillment → users-db, a datastore that reports nothing itself. At 13:54 fulfillment's
// config changes, at 13:54:30 users-db is downsized; from 13:55 fulfillment's calls to users-db
// take 80 times longer and fulfillment, waiting on them, answers five times slower. The detector
// has confirmed both moves as lasting breakpoints by the page at 14:00.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['fulfillment'], limits: {} },
    { name: 'fulfillment', team: 'payments', dependsOn: ['users-db'], limits: {} },
    { name: 'users-db', team: 'platform', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const SLOW = at('13:55');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.001 };
const step = (a: number, b: number) => (t: number): number => (t < SLOW ? a : b);
const own = series('fulfillment', 'http.server.request.duration', {}, step(0.06, 0.3), opts);
const calls = series('fulfillment', 'db.client.operation.duration', { 'server.address': 'users-db' }, step(0.002, 0.17), opts);
const web = series('web', 'http.server.request.duration', {}, step(0.1, 0.35), opts);
const CHANGES = [change('ful-config', 'fulfillment', 'config', at('13:54')), change('db-infra', 'users-db', 'infra', at('13:54') + 30_000)];

describe('correlate: a callee measured only by its callers\' calls', () => {
  const ctx = buildContext({ series: [own, calls, web], changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 }, [bp(own, SLOW), bp(calls, SLOW), bp(web, SLOW)]);
  const ev = contextEvidence(ctx);
  const of = (id: string) => ev.find((e) => e.change.id === id)!;

  it('regression: calls to a datastore confirmed slower count as its trouble, as its own latency would', () => {
    assert.ok(of('db-infra').a.acuteCallers > 0.5, `users-db callers ${of('db-infra').a.acuteCallers}`);
  });

  it('regression: the caller waiting on it is not judged slow by itself', () => {
    assert.ok(of('ful-config').a.acuteSelf < 0.2, `fulfillment self ${of('ful-config').a.acuteSelf}`);
  });
});
