import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import { CALLEE_SHARE } from '../../../src/correlate/features/callee';
import type { SeriesData } from '../../../src/ports';
import { at, change, FD, MIN, ramp, series, step, TOPO } from './helpers';

// web → checkout-api → payments (TOPO); the page is on checkout-api at 14:00, golden signals only.
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.01 };
const flat = (level: number) => (): number => level;

const CHANGES = [
  change('own-deploy', 'checkout-api', 'deploy', at('13:45')),
  change('search-deploy', 'search', 'deploy', at('13:55')),
  change('web-config', 'web', 'config', at('13:56')),
];
const ask = (s: SeriesData[], changes = CHANGES, service = 'checkout-api') => ({ series: s, changes, topology: TOPO, service, at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

interface Story {
  /** payments (below checkout-api) bursts at 13:57 too. */
  readonly belowBursts?: boolean;
  /** web's own incoming request rate rises at 13:56 (it only passes load on). */
  readonly webBusier?: boolean;
  /** checkout-api's latency was already climbing from 13:48 (a leak), before web's change. */
  readonly climbing?: boolean;
  /** checkout-api's open fds stepped up for good at 13:50, before web's change. */
  readonly fdsFirst?: boolean;
}

/** web changes how it calls checkout-api at 13:56; checkout-api's latency and errors burst from 13:57, no connection counters. */
function story(st: Story = {}): SeriesData[] {
  const from = at('13:57');
  return [
    series('web', 'http.server.request.count', {}, st.webBusier === true ? step(100, 300, at('13:56')) : flat(100), opts),
    series('web', 'http.server.request.duration', {}, flat(0.3), opts),
    series('checkout-api', 'http.server.request.count', {}, flat(200), opts),
    series('checkout-api', 'http.server.request.duration', {}, st.climbing === true ? ramp(0.05, 3, at('13:48')) : step(0.05, 0.3, from), opts),
    series('checkout-api', 'http.server.error.ratio', {}, step(0.005, 0.1, from), opts),
    series('payments', 'http.server.request.duration', {}, st.belowBursts === true ? step(0.04, 0.32, at('13:57')) : flat(0.04), opts),
    series('search', 'http.server.request.duration', {}, flat(0.02), opts),
    ...(st.fdsFirst === true ? [series('checkout-api', FD, {}, step(300, 900, at('13:50')), { ...opts, int: true, noise: 3 })] : []),
  ];
}

const calleeOf = (s: SeriesData[], id = 'web-config', changes = CHANGES, service = 'checkout-api'): number => contextEvidence(buildContext(ask(s, changes, service))).find((e) => e.change.id === id)?.callee.value ?? NaN;

/** Paged on web, whose latency rises from 0.3 s to `webTo` at 13:57, over checkout-api's steady traffic; and `below`. */
const webPaged = (webTo: number, below: SeriesData[]): SeriesData[] => [
  series('web', 'http.server.request.count', {}, flat(100), opts),
  series('web', 'http.server.request.duration', {}, step(0.3, webTo, at('13:57')), opts),
  series('checkout-api', 'http.server.request.count', {}, flat(200), opts),
  ...below,
];

/** The changes with web's config saying it raises its client pool ×4 (to checkout-api, the only service it calls). */
const POOL = { settings: [{ key: 'http.client.pool.min_idle', from: '10', to: '40' }] };
const STATED = CHANGES.map((c) => (c.id === 'web-config' ? { ...c, ...POOL } : c));

describe('correlate: the paged service bursts right after its caller changed (callee)', () => {
  it('a caller config change right before the paged service burst is named above the paged service release that moved nothing, and the report says why', () => {
    assert.ok(calleeOf(story()) > 0.3, `callee ${calleeOf(story())}`);
    assert.equal(calleeOf(story(), 'search-deploy'), 0, 'search does not call checkout-api');
    assert.equal(calleeOf(story(), 'own-deploy'), 0, 'the paged service own change is judged by its own bursts');
    const a = analyze(ask(story()));
    assert.equal(a.suspects[0]?.id, 'web-config', a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', '));
    assert.ok(a.suspects[0]?.evidence.some((t) => /checkout-api, which web calls, burst right after this change/.test(t)), a.suspects[0]?.evidence.join('\n'));
  });

  it('a service below the paged one bursting as early takes the credit from the caller', () => {
    assert.ok(calleeOf(story({ belowBursts: true })) < 0.1, `callee ${calleeOf(story({ belowBursts: true }))}`);
  });

  it('a caller change landing while the paged service was already climbing (a leak) did not start it', () => {
    assert.ok(calleeOf(story({ climbing: true })) < 0.15, `callee ${calleeOf(story({ climbing: true }))}`);
  });

  it('a caller change after the paged service trouble had begun (its fds stepped up first) did not start it', () => {
    assert.equal(calleeOf(story({ fdsFirst: true })), 0);
  });

  it('a caller that only passed on more requests from above gets no credit', () => {
    assert.ok(calleeOf(story({ webBusier: true })) < 0.1, `callee ${calleeOf(story({ webBusier: true }))}`);
  });

  it('a caller change that says it sends several times more (a pool raised ×4) counts the burst in full, one that says nothing of it at half', () => {
    const said = calleeOf(story(), 'web-config', STATED);
    const unsaid = calleeOf(story());
    assert.ok(unsaid > 0.2 && Math.abs(said - unsaid / CALLEE_SHARE) < 1e-9, `stated ${said}, not stated ${unsaid}`);
    const a = analyze(ask(story(), STATED));
    assert.ok(a.suspects[0]?.evidence.some((t) => /it sets http\.client\.pool\.min_idle 10 → 40: up to ×4\.0 what it sends/.test(t)), a.suspects[0]?.evidence.join('\n'));
    const lowered = CHANGES.map((c) => (c.id === 'web-config' ? { ...c, settings: [{ key: 'http.client.pool.min_idle', from: '40', to: '10' }] } : c));
    assert.equal(calleeOf(story(), 'web-config', lowered), unsaid, 'a pool made smaller says nothing of more load');
  });

  it('a stated push counts for a service it calls on the way down to the paged one, and only when stated', () => {
    // Paged on web; checkout-api's config raises its pool to payments ×5 at 13:56; payments bursts at 13:57, and with it checkout-api and web.
    const from = at('13:57');
    const s = webPaged(0.9, [
      series('checkout-api', 'http.server.request.duration', {}, step(0.05, 0.6, from), opts),
      series('payments', 'http.server.request.duration', {}, step(0.04, 0.5, from), opts),
    ]);
    const cfg = (extra = {}) => [change('web-deploy', 'web', 'deploy', at('13:45')), change('checkout-config', 'checkout-api', 'config', at('13:56'), extra)];
    const pool = { settings: [{ key: 'payments.client.pool.max_connections', from: '20', to: '100' }] };
    assert.ok(calleeOf(s, 'checkout-config', cfg(pool), 'web') > 0.3, `stated ${calleeOf(s, 'checkout-config', cfg(pool), 'web')}`);
    assert.equal(calleeOf(s, 'checkout-config', cfg(), 'web'), 0, 'payments is not the paged service: without a stated push its burst is not this change');
    const a = analyze(ask(s, cfg(pool), 'web'));
    const top = a.suspects[0];
    assert.equal(top?.id, 'checkout-config', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
    assert.ok(top?.evidence.some((t) => /payments, which checkout-api calls on the way to web, burst right after this change/.test(t)), top?.evidence.join('\n'));
  });

  it('what a stated push sends on counts further down too: a service two hops below, or calls to a datastore measured only by its clients', () => {
    // Paged on checkout-api; web's config raises its retries ×4 at 13:56; payments (which checkout-api calls) bursts at 13:57,
    // and checkout-api's calls to orders-db, which reports nothing itself, slow at 13:57.
    const from = at('13:57');
    const s = (deep: 'payments' | 'orders-db') => [
      series('web', 'http.server.request.count', {}, flat(100), opts),
      series('checkout-api', 'http.server.request.count', {}, flat(200), opts),
      series('checkout-api', 'http.server.request.duration', {}, flat(0.05), opts),
      series('payments', 'http.server.request.duration', {}, deep === 'payments' ? step(0.04, 0.5, from) : flat(0.04), opts),
      series('checkout-api', 'db.client.operation.duration', { 'server.address': 'orders-db' }, deep === 'orders-db' ? step(0.004, 0.2, from) : flat(0.004), opts),
    ];
    const retries = CHANGES.map((c) => (c.id === 'web-config' ? { ...c, settings: [{ key: 'clients.checkout-api.retries.max', from: '0', to: '3' }] } : c));
    for (const deep of ['payments', 'orders-db'] as const) {
      const e = contextEvidence(buildContext(ask(s(deep), retries))).find((x) => x.change.id === 'web-config');
      assert.ok((e?.callee.value ?? 0) > 0.3 && e?.callee.service === deep, `${deep}: ${e?.callee.value} on ${e?.callee.service}`);
      assert.equal(calleeOf(s(deep)), 0, `${deep}: without a stated push, only the paged service's own burst counts`);
    }
  });

  it('for the paged service\'s own change that says it pushes, a burst below it is that push, not trouble from further down', () => {
    // checkout-api (paged) raises its pool to payments ×5 at 13:56; payments bursts at 13:57, and checkout-api with it.
    const from = at('13:57');
    const s = [
      series('checkout-api', 'http.server.request.count', {}, flat(200), opts),
      series('checkout-api', 'http.server.request.duration', {}, step(0.05, 0.5, from), opts),
      series('payments', 'http.server.request.duration', {}, step(0.04, 0.5, from), opts),
    ];
    const own = (extra = {}) => [change('own-config', 'checkout-api', 'config', at('13:56'), extra), change('search-deploy', 'search', 'deploy', at('13:55'))];
    const acuteOf = (changes: ReturnType<typeof own>) => contextEvidence(buildContext(ask(s, changes))).find((x) => x.change.id === 'own-config')?.acute;
    assert.ok((acuteOf(own())?.below ?? 0) > 0.5, 'a config that says nothing of load: payments burst as early, checkout-api looks like a symptom');
    const stated = acuteOf(own({ settings: [{ key: 'payments.pool.max_connections', from: '20', to: '100' }] }));
    assert.equal(stated?.below, 0);
    assert.ok((stated?.self ?? 0) > 0.5, `self ${stated?.self}`);
    const pushing = own({ settings: [{ key: 'payments.pool.max_connections', from: '20', to: '100' }] });
    const lines = analyze(ask(s, pushing)).suspects.find((x) => x.id === 'own-config')?.evidence ?? [];
    assert.ok(lines.some((t) => /it sets payments\.pool\.max_connections 20 → 100: up to ×5\.0 .*so trouble below it right after is its push/.test(t)), lines.join('\n'));
  });

  it('the founding story: the paged team\'s own release a minute before, another team\'s config that says it pushes onto it — the release takes half the blame it had', () => {
    const changes = (extra = {}) => [change('own-deploy', 'checkout-api', 'deploy', at('13:55') + 30_000), change('web-config', 'web', 'config', at('13:56'), extra)];
    const ev = (extra = {}) => contextEvidence(buildContext(ask(story(), changes(extra))));
    const own = (extra = {}) => ev(extra).find((e) => e.change.id === 'own-deploy');
    assert.equal(own()?.said.value, 0, 'a config that says nothing of load');
    assert.ok((own(POOL)?.said.value ?? 0) > 0.3, `said ${own(POOL)?.said.value}`);
    assert.ok((own(POOL)?.a.acuteSelf ?? 1) < (own()?.a.acuteSelf ?? 0), 'its own burst counts less');
    const a = analyze(ask(story(), changes(POOL)));
    assert.equal(a.suspects[0]?.id, 'web-config', a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', '));
    const line = a.suspects.find((s) => s.id === 'own-deploy')?.evidence.find((t) => /web set http\.client\.pool\.min_idle 10 → 40 at 13:56 .*that may be the load, not this change/.test(t));
    assert.ok(line !== undefined, a.suspects.find((s) => s.id === 'own-deploy')?.evidence.join('\n'));
  });

  it('a stated push whose key names the callee it configures reaches that callee and what is below it, not the others', () => {
    // Paged on web; checkout-api's config at 13:56; its calls to orders-db (which reports nothing itself) slow at 13:57.
    const s = webPaged(0.6, [series('checkout-api', 'db.client.operation.duration', { 'server.address': 'orders-db' }, step(0.004, 0.2, at('13:57')), opts)]);
    const cfg = (key: string) => [change('checkout-config', 'checkout-api', 'config', at('13:56'), { settings: [{ key, from: '20', to: '100' }] })];
    const calleeFor = (key: string) => contextEvidence(buildContext(ask(s, cfg(key), 'web'))).find((e) => e.change.id === 'checkout-config')?.callee;
    assert.equal(calleeFor('http.client.pool.max_connections')?.service, 'orders-db', 'a pool naming no callee: every one');
    assert.equal(calleeFor('orders-db.pool.max_size')?.service, 'orders-db');
    assert.equal(calleeFor('clients.payments.pool.max_connections')?.value, 0, 'the pool to payments says nothing of orders-db');
  });
});
