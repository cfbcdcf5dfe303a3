import assert from 'node:assert/strict';
import { analyze } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// web → checkout → orders-db, and recommendations → orders-db too. orders-db reports nothing of its
// own: its volume migration at 13:55 shows only in the latency of those that call it.
const topo = (recommendationsCalls: string[]): Topology => ({
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['checkout'], limits: {} },
    { name: 'checkout', team: 'payments', dependsOn: ['orders-db'], limits: {} },
    { name: 'recommendations', team: 'growth', dependsOn: recommendationsCalls, limits: {} },
    { name: 'orders-db', team: 'platform', dependsOn: [], limits: {} },
  ],
});
const PAGE = at('14:00');
const SLOW = at('13:56');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.02 };
const slow = (level: number, factor: number) => (t: number): number => (t >= SLOW ? level * factor : level);
const LAT = 'http.server.request.duration.mean';
// checkout's own config lands seconds after the migration: with nothing else to go on, its burst right after reads as its own.
const CHANGES = [change('db-migrate', 'orders-db', 'infra', at('13:55')), change('checkout-config', 'checkout', 'config', at('13:55') + 10_000)];
const world = (recommendations: (t: number) => number): SeriesData[] => [
  series('web', LAT, {}, slow(0.2, 3), opts),
  series('checkout', LAT, {}, slow(0.06, 4), opts),
  series('recommendations', LAT, {}, recommendations, opts),
];
const ask = (s: SeriesData[], t: Topology) => ({ series: s, changes: CHANGES, topology: t, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
const show = (a: ReturnType<typeof analyze>): string => a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}: ${x.evidence.join(' | ')}`).join('\n');

describe('correlate: a service that reports nothing, seen through its other callers', () => {
  it('regression: another caller of the database slowing in the same minute makes the caller\'s burst a symptom (was: the caller\'s config named)', () => {
    const a = analyze(ask(world(slow(0.01, 15)), topo(['orders-db'])));
    assert.equal(a.suspects[0]?.id, 'db-migrate', show(a));
    const checkout = a.suspects.find((x) => x.id === 'checkout-config');
    assert.ok(checkout?.evidence.some((e) => /orders-db \(as recommendations, which calls it too, saw\), further down, burst as early: checkout looks like a symptom/.test(e)), show(a));
  });

  it('with the other caller steady, the caller\'s burst stays its own', () => {
    const a = analyze(ask(world(() => 0.01), topo(['orders-db'])));
    const checkout = a.suspects.find((x) => x.id === 'checkout-config');
    assert.ok(!checkout?.evidence.some((e) => /which calls it too/.test(e)), show(a));
  });

  it('a caller that also calls the changed service does not count: its burst may be that service\'s doing', () => {
    const calls = series('recommendations', 'http.client.request.duration', { 'server.address': 'orders-db' }, slow(0.005, 15), opts);
    const a = analyze(ask([...world(slow(0.01, 15)), calls], topo(['orders-db', 'checkout'])));
    const checkout = a.suspects.find((x) => x.id === 'checkout-config');
    assert.ok(!checkout?.evidence.some((e) => /which calls it too/.test(e)), show(a));
  });
});
