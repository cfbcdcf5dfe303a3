import assert from 'node:assert/strict';
import { analyze, buildContext } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// A sparse topology: web's dependencies were never written down, and no client series names them.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: [], limits: {} },
    { name: 'reviews', team: 'reviews', dependsOn: [], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
    { name: 'ads', team: 'growth', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.002 };
const rise = (level: number, to: number, from: number) => (t: number): number => (t >= from ? to : level);
const ERR = 'http.server.request.duration.failure_ratio';

const SERIES: SeriesData[] = [
  series('web', ERR, {}, rise(0.01, 0.15, at('13:48')), opts),
  series('reviews', ERR, {}, rise(0.01, 0.18, at('13:48')), opts),
  // search broke too, twenty minutes earlier: not with web.
  series('search', ERR, {}, rise(0.01, 0.2, at('13:28')), opts),
  series('ads', ERR, {}, rise(0.01, 0.01, at('13:48')), opts),
];
const CHANGES = [change('reviews-flag', 'reviews', 'flag', at('13:46')), change('search-deploy', 'search', 'deploy', at('13:27')), change('ads-config', 'ads', 'config', at('13:47'))];
const ask = { series: SERIES, changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 };

describe('correlate: dependencies nobody recorded, from services breaking with the paged one', () => {
  it('takes an unlinked service whose own failures began with the victim\'s as its dependency, and no other', () => {
    const ctx = buildContext(ask);
    assert.deepEqual(ctx.inferred, ['reviews']);
    assert.ok(ctx.graph.callees('web').includes('reviews'));
    // Unlinked services that are not taken are left out of the analysis, as before.
    assert.ok(!ctx.series.some((s) => s.series.service === 'search'));
  });

  it('leaves linked services as the topology says', () => {
    const linked: Topology = { services: TOPO.services.map((s) => (s.name === 'web' ? { ...s, dependsOn: ['search'] } : s)) };
    assert.deepEqual(buildContext({ ...ask, topology: linked }).inferred, ['reviews']);
    assert.deepEqual(buildContext({ ...ask, topology: { services: TOPO.services.map((s) => (s.name === 'web' ? { ...s, dependsOn: ['reviews'] } : s)) } }).inferred, []);
  });

  it('end to end: the change of the service that broke with the victim is named, and the report says the link was inferred', () => {
    const a = analyze(ask);
    assert.equal(a.suspects[0]?.id, 'reviews-flag');
    assert.ok(a.suspects[0]?.evidence.some((e) => /reviews is not linked to web .* taken as a dependency nobody recorded/.test(e)), a.suspects[0]?.evidence.join('\n'));
  });
});
