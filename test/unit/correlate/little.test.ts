import assert from 'node:assert/strict';
import { analyze, buildContext } from '../../../src/correlate';
import { acuteWindow } from '../../../src/correlate/features/acute';
import { canBeWaiting, pushedConnections } from '../../../src/correlate/features/little';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, CONNS, MIN, series } from './helpers';

// web → gateway → cart; web → search. The page is on web at 14:00 with an hour of 1-minute history.
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['gateway', 'search'], limits: {} },
    { name: 'gateway', team: 'edge', dependsOn: ['cart'], limits: {} },
    { name: 'cart', team: 'cart', dependsOn: [], limits: {} },
    { name: 'search', team: 'catalog', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
// Latencies wiggle by a few percent, connections by a few: as measured means do.
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.002 };
const rise = (level: number, factor: number, from: number) => (t: number): number => (t >= from ? level * factor : level);
const LAT = 'http.server.request.duration.mean';

/** gateway holds more connections to cart from `pushed`; cart, then gateway and web, slow from `slower`. */
function story(pushed: number, slower: number): SeriesData[] {
  return [
    series('gateway', CONNS, { 'server.address': 'cart' }, rise(20, 6, pushed), opts),
    series('cart', LAT, {}, rise(0.05, 4, slower), opts),
    series('gateway', LAT, {}, rise(0.08, 3, slower), opts),
    series('web', LAT, {}, rise(0.12, 2.5, slower), opts),
    series('search', LAT, {}, rise(0.03, 1, slower), opts),
  ];
}
const CHANGES = [
  change('gateway-pool', 'gateway', 'config', at('13:44'), { summary: 'gateway: client.maxConnections 20 → 200' }),
  change('cart-deploy', 'cart', 'deploy', at('13:44') + 20_000),
  change('search-flag', 'search', 'flag', at('13:45')),
];
const ask = (s: SeriesData[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
const held = (s: SeriesData[]) => buildContext(ask(s)).signals.find((x) => x.cls === 'connections');

describe("correlate: Little's law read both ways (connections held on a service that slows)", () => {
  it('connections up minutes before the service below slowed were pushed, not waiting', () => {
    const ctx = buildContext(ask(story(at('13:45'), at('13:49'))));
    const s = held(story(at('13:45'), at('13:49')));
    assert.ok(s !== undefined);
    assert.equal(canBeWaiting(ctx, s), false);
    const p = pushedConnections(ctx, at('13:44'), { from: 'gateway' });
    assert.ok(p.value > 0.5, JSON.stringify(p.value));
    assert.equal(pushedConnections(ctx, at('13:44'), { onto: 'cart' }).signal?.service, 'gateway');
  });

  it('one sample is enough: at a one-minute step the connections may lead by a single sample', () => {
    const s = story(at('13:48'), at('13:49'));
    const x = held(s);
    assert.ok(x !== undefined);
    assert.equal(canBeWaiting(buildContext(ask(s)), x), false);
  });

  it('connections up with the service below slowing can be waiting on it', () => {
    const s = story(at('13:49'), at('13:49'));
    const x = held(s);
    assert.ok(x !== undefined);
    assert.equal(canBeWaiting(buildContext(ask(s)), x), true);
    assert.equal(pushedConnections(buildContext(ask(s)), at('13:44'), { from: 'gateway' }).value, 0);
  });

  it('connections up by far more than the service slowed, in the same sample, were pushed: waiting grows them only as much as the wait', () => {
    // Six times the connections while cart got half again slower: at a steady request rate, waiting explains 1.5 times.
    const s = story(at('13:49'), at('13:49')).map((x) => (x.series.service === 'cart' ? series('cart', LAT, {}, rise(0.05, 1.5, at('13:49')), opts) : x));
    const x = held(s);
    assert.ok(x !== undefined);
    assert.equal(canBeWaiting(buildContext(ask(s)), x), false);
    assert.ok(pushedConnections(buildContext(ask(s)), at('13:44'), { from: 'gateway' }).value > 0.5);
  });

  it('a service whose latency nobody measures cannot tell: counted as waiting', () => {
    const s = story(at('13:45'), at('13:49')).filter((x) => x.series.service !== 'cart' && x.series.service !== 'gateway' || x.series.metric === CONNS);
    const x = held(s);
    assert.ok(x !== undefined);
    assert.equal(canBeWaiting(buildContext(ask(s)), x), true);
  });

  it('a caller that only passed on more requests from above did not push: its own request rate rose as early', () => {
    const busier = series('gateway', 'http.server.request.duration.count', {}, rise(30, 6, at('13:45')), { ...opts, noise: 0.2 });
    const a = analyze(ask([...story(at('13:45'), at('13:49')), busier]));
    const pool = a.suspects.find((x) => x.id === 'gateway-pool');
    assert.ok(pool !== undefined);
    assert.ok(!pool.evidence.some((e) => /load this change pushed/.test(e)), pool.evidence.join('\n'));
  });

  it('the founding story: the caller that pushed connections is named above the release of the service that broke', () => {
    const a = analyze(ask(story(at('13:45'), at('13:49'))));
    assert.equal(a.suspects[0]?.id, 'gateway-pool');
    assert.ok(a.suspects[0]?.evidence.some((e) => /gateway held more connections to cart from 13:45 .*before cart got slower: load this change pushed/.test(e)), a.suspects[0]?.evidence.join('\n'));
    const cart = a.suspects.find((x) => x.id === 'cart-deploy');
    assert.ok(cart !== undefined && cart.score < 0.2, JSON.stringify(cart?.score));
  });

  it('a service out of room may refuse rather than slow: failing afterwards counts as worse', () => {
    const refusing = [
      series('gateway', CONNS, { 'server.address': 'cart' }, rise(20, 6, at('13:45')), opts),
      series('cart', LAT, {}, () => 0.05, opts),
      series('cart', 'http.server.request.duration.failure_ratio', {}, rise(0.001, 200, at('13:49')), opts),
      series('gateway', LAT, {}, () => 0.08, opts),
      series('web', LAT, {}, () => 0.12, opts),
    ];
    const ctx = buildContext(ask(refusing));
    assert.ok(pushedConnections(ctx, at('13:44'), { from: 'gateway' }).value > 0.5);
    const flat = refusing.filter((x) => !x.series.metric.endsWith('failure_ratio'));
    assert.equal(pushedConnections(buildContext(ask(flat)), at('13:44'), { from: 'gateway' }).value, 0, 'nothing got worse');
  });

  it("the pushed service's release that landed after the push began is cleared of it too", () => {
    const late = [CHANGES[0], change('cart-deploy', 'cart', 'deploy', at('13:46') + 30_000), CHANGES[2]].filter((c) => c !== undefined);
    const a = analyze({ ...ask(story(at('13:45'), at('13:49'))), changes: late });
    assert.equal(a.suspects[0]?.id, 'gateway-pool');
    const cart = a.suspects.find((x) => x.id === 'cart-deploy');
    assert.ok(cart !== undefined && cart.score < 0.2, JSON.stringify(cart?.score));
    assert.ok(cart.evidence.some((e) => /the load came from gateway/.test(e)), cart.evidence.join('\n'));
  });

  it('with half an hour of history, a push minutes old is still found before the pushed service\'s release (was: its half-hour look-back began before the data, so no baseline and no push)', () => {
    const young = story(at('13:54'), at('13:56')).map((x) => ({ ...x, points: x.points.filter((p) => p.t >= at('13:28')) }));
    const changes = [change('gateway-pool', 'gateway', 'config', at('13:53')), change('cart-deploy', 'cart', 'deploy', at('13:55') + 30_000), change('search-flag', 'search', 'flag', at('13:54'))];
    const a = analyze({ ...ask(young), changes });
    const cart = a.suspects.find((x) => x.id === 'cart-deploy');
    assert.ok(cart?.evidence.some((e) => /the load came from gateway/.test(e)), cart?.evidence.join('\n'));
    assert.equal(a.suspects[0]?.id, 'gateway-pool');
  });

  it('connections a caller holds are its load on a service, not its calls to it faring badly', () => {
    const held = [
      series('gateway', CONNS, { 'server.address': 'cart' }, rise(20, 6, at('13:57')), opts),
      series('cart', LAT, {}, () => 0.05, opts),
      series('gateway', LAT, {}, () => 0.08, opts),
      series('web', LAT, {}, () => 0.12, opts),
    ];
    const a = analyze({ ...ask(held), changes: [change('cart-deploy', 'cart', 'deploy', at('13:56'))] });
    const cart = a.suspects.find((x) => x.id === 'cart-deploy');
    assert.ok(cart !== undefined);
    assert.ok(!cart.evidence.some((e) => /calls of its callers slowed/.test(e)), cart.evidence.join('\n'));
  });

  it('a push minutes old, before any breakpoint confirms it, is judged from its burst', () => {
    const young = story(at('13:55'), at('13:56'));
    const ctx = buildContext(ask(young));
    assert.equal(held(young), undefined, 'five samples in: no breakpoint yet');
    const win = acuteWindow(ctx, at('13:54'));
    const p = pushedConnections(ctx, at('13:54'), { from: 'gateway' }, win);
    assert.ok(p.value > 0.3, JSON.stringify(p.value));
    assert.equal(p.signal?.peer, 'cart');
    assert.equal(pushedConnections(ctx, at('13:54'), { from: 'gateway' }).value, 0, 'from breakpoints alone: nothing');
    // Waiting looks otherwise: cart slowed in the same sample as the connections rose.
    const waiting = story(at('13:56'), at('13:56'));
    assert.equal(pushedConnections(buildContext(ask(waiting)), at('13:54'), { from: 'gateway' }, win).value, 0);
    const a = analyze({ ...ask(young), changes: [change('gateway-pool', 'gateway', 'config', at('13:54')), change('cart-deploy', 'cart', 'deploy', at('13:54') + 20_000), change('search-flag', 'search', 'flag', at('13:55'))] });
    assert.equal(a.suspects[0]?.id, 'gateway-pool', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
  });

  it('a young burst is no push when the same push was under way before the change, or when it is one connection more', () => {
    const win = (ctx: ReturnType<typeof buildContext>) => acuteWindow(ctx, at('13:54'));
    // gateway's first pod pushed from 13:45; its second pod's connections rise at 13:55, after a gateway change at 13:54.
    const twoPods = [
      series('gateway', CONNS, { 'server.address': 'cart', 'service.instance.id': 'gw-1' }, rise(20, 6, at('13:45')), opts),
      series('gateway', CONNS, { 'server.address': 'cart', 'service.instance.id': 'gw-2' }, rise(20, 6, at('13:55')), opts),
      ...story(at('13:45'), at('13:56')).slice(1),
    ];
    const ctx = buildContext(ask(twoPods));
    assert.ok(ctx.signals.some((x) => x.cls === 'connections' && x.time < at('13:50')), 'the first pod\'s push is confirmed');
    assert.equal(pushedConnections(ctx, at('13:54'), { from: 'gateway' }, win(ctx)).value, 0);
    const alone = buildContext(ask([twoPods[1], ...twoPods.slice(2)].filter((x) => x !== undefined)));
    assert.ok(pushedConnections(alone, at('13:54'), { from: 'gateway' }, win(alone)).value > 0.3, 'the second pod alone: a push');
    // Four connections held, then five: far outside a steady count's noise, but no push.
    const one = [series('gateway', CONNS, { 'server.address': 'cart' }, rise(4, 1.25, at('13:55')), { ...opts, noise: 0 }), ...story(at('13:55'), at('13:56')).slice(1)];
    const c1 = buildContext(ask(one));
    assert.equal(pushedConnections(c1, at('13:54'), { from: 'gateway' }, win(c1)).value, 0);
  });

  it('at a 5-minute step the page may come one sample after the push: the last sample alone, far out, shows the service worse', () => {
    const every5 = (x: SeriesData): SeriesData => ({ ...x, points: x.points.filter((p) => p.t % (5 * MIN) === 0) });
    const o5 = { ...opts, from: at('12:00') };
    const pushed = (cart: (t: number) => number) => buildContext({ ...ask([series('gateway', CONNS, { 'server.address': 'cart' }, rise(20, 6, at('13:45')), o5), series('cart', LAT, {}, cart, o5), series('web', LAT, {}, () => 0.12, o5)].map(every5)), windowMs: 120 * MIN });
    const value = (ctx: ReturnType<typeof buildContext>) => pushedConnections(ctx, at('13:44'), { from: 'gateway' }, acuteWindow(ctx, at('13:44'))).value;
    assert.ok(value(pushed(rise(0.05, 4, at('13:55')))) > 0.3, 'four times slower in the last sample');
    assert.equal(value(pushed(rise(0.05, 1.15, at('13:55')))), 0, 'a sixth slower: above its noise, but one sample of it is no proof');
    assert.equal(value(pushed((t) => (t === at('13:50') ? 0.2 : 0.05))), 0, 'one sample out, then back: a lone outlier');
  });

  it('a confirmed rise of held connections is a push only when it opened many more: +15 % before the service slowed is not (simulator seed 90455: named at 0.96)', () => {
    const small = [series('gateway', CONNS, { 'server.address': 'cart' }, rise(24, 1.15, at('13:45')), opts), ...story(at('13:45'), at('13:49')).slice(1)];
    const ctx = buildContext(ask(small));
    assert.ok(ctx.signals.some((x) => x.cls === 'connections' && x.service === 'gateway'), 'the rise is confirmed as a move');
    assert.equal(pushedConnections(ctx, at('13:44'), { from: 'gateway' }).value, 0);
    // Half as many again, the same minutes: a push.
    const big = [series('gateway', CONNS, { 'server.address': 'cart' }, rise(24, 1.6, at('13:45')), opts), ...story(at('13:45'), at('13:49')).slice(1)];
    assert.ok(pushedConnections(buildContext(ask(big)), at('13:44'), { from: 'gateway' }).value > 0.5);
  });

  it('one connection more in a pool of two is no push, though +50 % (an independent generator\'s idle pools: "the load came from" a caller whose pool went 2 → 3)', () => {
    const pool = (from: number, to: number): SeriesData[] => [series('gateway', CONNS, { 'server.address': 'cart' }, (t) => (t >= at('13:45') ? to : from), opts), ...story(at('13:45'), at('13:49')).slice(1)];
    const one = buildContext(ask(pool(2, 3)));
    assert.ok(one.signals.some((x) => x.cls === 'connections' && x.service === 'gateway'), 'the rise is confirmed as a move');
    assert.equal(pushedConnections(one, at('13:44'), { from: 'gateway' }).value, 0);
    assert.ok(pushedConnections(buildContext(ask(pool(2, 6))), at('13:44'), { from: 'gateway' }).value > 0.5);
  });
});
