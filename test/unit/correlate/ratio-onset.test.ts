import assert from 'node:assert/strict';
import { buildContext } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import { at, bp, change, MIN, series } from './helpers';

// web calls search. At 13:30 one request of about a hundred that web sent to search failed, and
// the detector kept that as a level shift of web's failure ratio (0 → 0.9 %: hundreds of σ over a
// baseline of exactly zero). At 13:51 search releases; from 13:52 web fails 4 % of its requests.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['search'], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0 };
const single = series('web', 'rpc.client.duration.failure_ratio', { 'server.address': 'search' }, (t) => (t < at('13:30') ? 0 : 0.009), opts);
const failing = series('web', 'http.server.request.duration.failure_ratio', {}, (t) => (t < at('13:52') ? 0.0015 + 0.0002 * Math.sin(t / MIN) : 0.04), opts);
const RELEASE = change('search-2', 'search', 'deploy', at('13:51'));

describe('correlate: an error ratio moves in requests', () => {
  const ctx = buildContext({ series: [single, failing], changes: [RELEASE], topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 }, [bp(single, at('13:30')), bp(failing, at('13:52'))]);

  it('regression: a single failed request (under a percentage point) weighs less than 4 % of requests failing', () => {
    const w = (id: string): number => ctx.signals.find((s) => s.series.series.id === id)?.weight ?? 0;
    assert.ok(w(single.series.id) < 0.7 * w(failing.series.id), `${w(single.series.id)} vs ${w(failing.series.id)}`);
  });

  it('regression: the trouble began when requests failed, not with that single failure twenty minutes earlier', () => {
    assert.equal(new Date(ctx.onset).toISOString(), new Date(at('13:52')).toISOString());
  });
});
