import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import { SAID_EARLIER_SHARE } from '../../../src/correlate/features/callee';
import type { ChangeEvent, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, CONNS, MIN, series } from './helpers';

// web → gateway → cart. gateway's release at 13:44; its connections to cart rise from 13:45 and cart
// slows from 13:49. Paged on web at 14:00, with an hour of 1-minute history.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['gateway'], limits: {} },
    { name: 'gateway', team: 'edge', dependsOn: ['cart'], limits: {} },
    { name: 'cart', team: 'cart', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.002 };
const rise = (level: number, factor: number, from: number) => (t: number): number => (t >= from ? level * factor : level);
const LAT = 'http.server.request.duration.mean';
const SERIES: SeriesData[] = [
  series('gateway', CONNS, { 'server.address': 'cart' }, rise(20, 6, at('13:45')), opts),
  series('cart', LAT, {}, rise(0.05, 4, at('13:49')), opts),
  series('gateway', LAT, {}, rise(0.08, 3, at('13:49')), opts),
  series('web', LAT, {}, rise(0.12, 2.5, at('13:49')), opts),
];

/** A config of gateway's at `time`: its client pool ×6 when `pool`, else a setting that sends nothing more. */
const config = (time: number, pool = true): ChangeEvent =>
  change('gateway-config', 'gateway', 'config', time, { settings: [pool ? { key: 'http.client.max_connections_per_host', from: '20', to: '120' } : { key: 'tls.session_cache', from: '20', to: '120' }] });
const release = (extra: Partial<ChangeEvent> = {}): ChangeEvent => change('gateway-deploy', 'gateway', 'deploy', at('13:44'), extra);
const evidence = (changes: ChangeEvent[]) => contextEvidence(buildContext({ series: SERIES, changes, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 }));
const of = (changes: ChangeEvent[], id = 'gateway-deploy') => evidence(changes).find((e) => e.change.id === id);

describe('correlate: an earlier change of the same service announced the push (saidEarlier)', () => {
  it("a release's measured push onto a service its earlier config said it would push on is shared with that config", () => {
    const alone = of([config(at('13:36'), false), release()]);
    const told = of([config(at('13:36')), release()]);
    assert.ok((alone?.pushes.value ?? 0) > 0.5, `pushes ${alone?.pushes.value}`);
    assert.equal(alone?.earlier.value, 0, 'a setting that sends nothing more announces no push');
    assert.equal(told?.earlier.by?.id, 'gateway-config');
    assert.ok(Math.abs((told?.pushes.value ?? 0) - (alone?.pushes.value ?? 0) * (1 - SAID_EARLIER_SHARE * (alone?.pushes.value ?? 0))) < 1e-9, `pushes ${told?.pushes.value} vs ${alone?.pushes.value}`);
  });

  it('is not news after half an hour, and a release that says it pushes keeps its own', () => {
    assert.equal(of([config(at('13:10')), release()])?.earlier.value, 0, 'announced 34 min before');
    const both = [config(at('13:36')), release({ settings: [{ key: 'worker.concurrency', from: '4', to: '16' }] })];
    assert.equal(of(both)?.earlier.value, 0);
  });

  it('the report says the setting may be taking hold', () => {
    const a = analyze({ series: SERIES, changes: [config(at('13:36')), release()], topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
    const dep = a.suspects.find((s) => s.id === 'gateway-deploy');
    assert.ok(dep?.evidence.some((t) => /gateway had set http\.client\.max_connections_per_host 20 → 120 at 13:36 .*may be that setting taking hold/.test(t)), dep?.evidence.join('\n'));
  });
});
