import assert from 'node:assert/strict';
import { analyze, buildContext } from '../../../src/correlate';
import { troubleFirst } from '../../../src/correlate/features/lasting';
import { HEALTH } from '../../../src/correlate/golden';
import type { Topology } from '../../../src/domain/types';
import { at, bp, change, MIN, series } from './helpers';

// web calls search and cart. Search's flag makes it fail a quarter of its requests; web passes the
// failures on. Web's own flag two minutes earlier did nothing.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['search', 'cart'], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
    { name: 'cart', team: 'cart', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.002 };
const rise = (level: number, to: number, from: number) => (t: number): number => (t >= from ? to : level);
const ERR = 'http.server.request.duration.failure_ratio';
const CPU = 'process.cpu.utilization';
const CHANGES = [change('web-flag', 'web', 'flag', at('13:45')), change('search-flag', 'search', 'flag', at('13:47')), change('cart-scale', 'cart', 'scale', at('13:46'))];
const ask = (s: ReturnType<typeof series>[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

describe("correlate: the paged service's own release and failures that began as early below it", () => {
  it('a dependency failing from the same minute takes the failures the paged service passes on', () => {
    const a = analyze(ask([series('web', ERR, {}, rise(0.002, 0.24, at('13:48')), opts), series('search', ERR, {}, rise(0.002, 0.26, at('13:48')), opts), series('cart', ERR, {}, rise(0.002, 0.002, at('13:48')), opts)]));
    const web = a.suspects.find((s) => s.id === 'web-flag');
    const search = a.suspects.find((s) => s.id === 'search-flag');
    assert.ok(web !== undefined && search !== undefined);
    // Not sure of the paged service's own flag any more (it was 0.98 sure): the scores split.
    assert.ok(web.score < 0.5, JSON.stringify(a.suspects.map((s) => [s.id, s.score])));
    assert.ok(web.evidence.some((e) => /search, which web calls, got worse as early; web passes that on/.test(e)), web.evidence.join('\n'));
  });

  it("a dependency's CPU rising as early does not clear the paged service's own release (saturation is not what callers feel)", () => {
    const a = analyze(ask([series('web', ERR, {}, rise(0.002, 0.24, at('13:48')), opts), series('search', CPU, {}, rise(0.2, 0.6, at('13:48')), opts), series('cart', ERR, {}, rise(0.002, 0.002, at('13:48')), opts)]));
    assert.equal(a.suspects[0]?.id, 'web-flag');
    assert.ok((a.suspects[0]?.score ?? 0) > 0.5, JSON.stringify(a.suspects.map((s) => [s.id, s.score])));
  });

  it('dates the paged service\'s own trouble from its first real move, not from a move of no weight the detector kept', () => {
    const web = series('web', ERR, {}, rise(0.002, 0.24, at('13:48')), opts);
    const search = series('search', ERR, {}, rise(0.002, 0.26, at('13:48')), opts);
    // A "breakpoint" at 13:30 where nothing moved: weight 0. Web's trouble still begins at 13:48.
    const ctx = buildContext({ ...ask([web, search]), changes: [change('web-config', 'web', 'config', at('13:25'))] }, [bp(web, at('13:30')), bp(web, at('13:48')), bp(search, at('13:48'))]);
    const c = ctx.candidates[0];
    assert.ok(c !== undefined);
    const first = troubleFirst(ctx, c, undefined, HEALTH);
    assert.ok(first.value > 0.5, String(first.value));
    assert.equal(first.signal?.service, 'search');
  });
});

// Search's config makes it fail a fifth of its requests from 13:42 on, long enough for the detector
// to confirm a new level; web passes the failures on. Cart's scale and web's own flag landed in the
// same minutes and did nothing.
describe("correlate: a service's own lasting worsening right after its change is evidence, as a burst is", () => {
  it('names the change of the service whose failures settled at a new level right after it', () => {
    const changes = [change('search-config', 'search', 'config', at('13:41')), change('cart-scale', 'cart', 'scale', at('13:40')), change('web-flag', 'web', 'flag', at('13:41') + 30_000)];
    const a = analyze({ ...ask([series('web', ERR, {}, rise(0.002, 0.15, at('13:42')), opts), series('search', ERR, {}, rise(0.002, 0.2, at('13:42')), opts), series('cart', ERR, {}, () => 0.002, opts)]), changes });
    const ranked = a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', ');
    assert.equal(a.suspects[0]?.id, 'search-config', ranked);
    assert.ok((a.suspects[0]?.score ?? 0) > 0.5, ranked);
  });
});
