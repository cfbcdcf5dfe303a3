import assert from 'node:assert/strict';
import { analyze, buildContext } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, CONNS, MIN, series } from './helpers';

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

  it('takes one linked only through a dependency both call, not one sharing a caller with the victim (was: any link, however far, kept it out)', () => {
    // web and reviews both call the same database: that says nothing of whether web calls reviews.
    const shared = (deps: Record<string, string[]>, extra: Topology['services'] = []): Topology => ({
      services: [...TOPO.services.map((s) => ({ ...s, dependsOn: deps[s.name] ?? [] })), ...extra],
    });
    const db = { name: 'orders-db', team: 'platform', dependsOn: [], limits: {} };
    assert.deepEqual(buildContext({ ...ask, topology: shared({ web: ['orders-db'], reviews: ['orders-db'] }, [db]) }).inferred, ['reviews']);
    // A gateway calling both: its load may break them at once, so reviews is left as a sibling.
    const gw = { name: 'gateway', team: 'edge', dependsOn: ['web', 'reviews'], limits: {} };
    assert.deepEqual(buildContext({ ...ask, topology: shared({}, [gw]) }).inferred, []);
  });

  it('end to end: the change of the service that broke with the victim is named, and the report says the link was inferred', () => {
    const a = analyze(ask);
    assert.equal(a.suspects[0]?.id, 'reviews-flag');
    assert.ok(a.suspects[0]?.evidence.some((e) => /reviews's own trouble began with web's, though no recorded call links them either way .*: taken as a dependency nobody recorded/.test(e)), a.suspects[0]?.evidence.join('\n'));
  });

  it('regression: a service pushing connections onto an inferred dependency comes into view with it (was: left out as unlinked, so the founding story\'s cause had no evidence)', () => {
    // ads opens six times the connections to reviews after its pool change; reviews then fails, and web with it.
    const pushed: SeriesData[] = [
      ...SERIES.filter((x) => x.series.service !== 'search'),
      series('ads', CONNS, { 'server.address': 'reviews' }, rise(20, 120, at('13:45')), opts),
      series('reviews', 'http.server.request.duration.mean', {}, rise(0.05, 0.15, at('13:48')), opts),
    ];
    const pool = change('ads-pool', 'ads', 'config', at('13:44'), { summary: 'ads: client.maxConnections 20 → 200' });
    const q = { ...ask, series: pushed, changes: [...CHANGES.filter((c) => c.id !== 'ads-config'), pool] };
    const ctx = buildContext(q);
    assert.deepEqual(ctx.inferred, ['reviews']);
    assert.ok(ctx.series.some((x) => x.series.service === 'ads' && x.series.metric === CONNS), 'the pushing caller is in view');
    const a = analyze(q);
    assert.equal(a.suspects[0]?.id, 'ads-pool', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
  });

  // Minutes-old trouble: bursts of three samples before the page, which no breakpoint confirms yet.
  const BURST = at('13:57');
  const fresh: SeriesData[] = [
    series('web', ERR, {}, rise(0.01, 0.15, BURST), opts),
    series('reviews', ERR, {}, rise(0.01, 0.18, BURST), opts),
    series('search', ERR, {}, rise(0.01, 0.2, BURST), opts),
    series('ads', ERR, {}, rise(0.01, 0.01, BURST), opts),
  ];
  const freshAsk = { ...ask, series: fresh, changes: [change('reviews-flag', 'reviews', 'flag', at('13:55')), change('search-deploy', 'search', 'deploy', at('13:56')), change('ads-config', 'ads', 'config', at('13:56'))] };

  it('with no lasting move yet, takes the services whose own failures burst with the victim\'s', () => {
    const ctx = buildContext(freshAsk);
    assert.deepEqual(ctx.trouble, [], 'the bursts are too young for a breakpoint');
    assert.deepEqual(ctx.inferred, ['reviews', 'search']);
    assert.deepEqual(buildContext({ ...freshAsk, series: fresh.map((x) => (x.series.service === 'web' ? series('web', ERR, {}, () => 0.01, opts) : x)) }).inferred, [], 'nothing burst on the victim');
  });

  it('dates the trouble from the victim\'s burst still going at the page, not from an earlier one that cleared', () => {
    // web and search failed together for three minutes at 13:49 and recovered; at 13:57 web fails again, with reviews.
    const episode = (t: number): number => ((t >= at('13:49') && t < at('13:52')) || t >= BURST ? 0.15 : 0.01);
    const cleared = (t: number): number => (t >= at('13:49') && t < at('13:52') ? 0.2 : 0.01);
    const again = [series('web', ERR, {}, episode, opts), series('reviews', ERR, {}, rise(0.01, 0.18, BURST), opts), series('search', ERR, {}, cleared, opts)];
    const ctx = buildContext({ ...freshAsk, series: again });
    assert.deepEqual(ctx.trouble, []);
    assert.deepEqual(ctx.inferred, ['reviews']);
    assert.equal(ctx.onset, BURST);
  });

  it('of two dependencies inferred together, neither burst is fully its own: either may call the other, so neither is named with confidence', () => {
    const a = analyze(freshAsk);
    const top = a.suspects.slice(0, 2).map((x) => x.id).sort();
    assert.deepEqual(top, ['reviews-flag', 'search-deploy']);
    assert.ok((a.suspects[0]?.score ?? 1) < 0.5, a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
    assert.ok(a.suspects[0]?.evidence.some((e) => /burst as early, also with web: either may call the other/.test(e)), a.suspects[0]?.evidence.join('\n'));
    const alone = analyze({ ...freshAsk, series: fresh.filter((x) => x.series.service !== 'search') });
    assert.equal(alone.suspects[0]?.id, 'reviews-flag');
    assert.ok((alone.suspects[0]?.score ?? 0) > (a.suspects[0]?.score ?? 1), 'alone, its burst is its own');
  });

  it('at a 5-minute step, a burst begun before the page and confirmed by the sample after it dates the trouble and links the services (was: one sample before the page, taken as nothing)', () => {
    // Samples every 5 min; web and reviews fail from 14:00, the page comes at 14:03, the next samples at 14:05 and 14:10.
    const every5 = (x: SeriesData): SeriesData => ({ ...x, points: x.points.filter((p) => p.t % (5 * MIN) === 0) });
    const late = { from: at('12:30'), to: at('14:11'), int: false, noise: 0.002 };
    const five = [series('web', ERR, {}, rise(0.01, 0.15, at('14:00')), late), series('reviews', ERR, {}, rise(0.01, 0.18, at('14:00')), late), series('ads', ERR, {}, () => 0.01, late)].map(every5);
    const q = { ...ask, series: five, changes: [change('reviews-flag', 'reviews', 'flag', at('13:57')), change('web-config', 'web', 'config', at('13:57'))], at: at('14:03'), windowMs: 90 * MIN, afterMs: 60 * MIN };
    const ctx = buildContext(q);
    assert.equal(ctx.onset, at('14:00'));
    assert.deepEqual(ctx.inferred, ['reviews']);
    const a = analyze(q);
    assert.equal(a.suspects[0]?.id, 'reviews-flag', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
    // web's own burst is then reviews' doing: the report says so, not that nothing followed web's change.
    const web = a.suspects.find((x) => x.id === 'web-config');
    assert.ok(web?.evidence.some((e) => /reviews, further down, burst as early: web looks like a symptom/.test(e)), web?.evidence.join('\n'));
    assert.ok(!web?.evidence.some((e) => /evidence missing/.test(e)), web?.evidence.join('\n'));
  });

  it('when nothing moved on the victim at all, an unlinked service worse after its change is a lead, at a low score', () => {
    const quiet = fresh.map((x) => (x.series.service === 'web' ? series('web', ERR, {}, () => 0.01, opts) : x)).filter((x) => x.series.service !== 'search');
    const ctx = buildContext({ ...freshAsk, series: quiet });
    assert.deepEqual(ctx.inferred, []);
    assert.deepEqual(ctx.unproven, ['ads', 'reviews', 'search']);
    const a = analyze({ ...freshAsk, series: quiet });
    assert.equal(a.suspects[0]?.id, 'reviews-flag');
    assert.ok((a.suspects[0]?.score ?? 1) < 0.3, String(a.suspects[0]?.score));
    assert.ok(a.suspects[0]?.evidence.some((e) => /nothing moved on web to tie it to, so what moved here is a lead/.test(e)), a.suspects[0]?.evidence.join('\n'));
    // Trouble on the victim that began with no one else's: unlinked services stay out, as before.
    const own = quiet.map((x) => (x.series.service === 'web' ? series('web', ERR, {}, rise(0.01, 0.15, at('13:40')), opts) : x));
    assert.deepEqual(buildContext({ ...freshAsk, series: own }).unproven, []);
  });
});
