import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// gateway → web → orders-db; web is paged at 14:00. orders-db's volume migration at 13:43 slows
// web's calls to it, then web, then gateway waiting on web. gateway scaled out a minute before.
// orders-db reports nothing itself: only web's calls to it show where the trouble began.
const TOPO: Topology = {
  services: [
    { name: 'gateway', team: 'edge', dependsOn: ['web'], limits: {} },
    { name: 'web', team: 'storefront', dependsOn: ['orders-db'], limits: {} },
    { name: 'orders-db', team: 'platform', dependsOn: [], limits: {} },
  ],
};
const PAGE = at('14:00');
const SLOW = at('13:44');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.02 };
const slow = (level: number, factor: number, from = SLOW) => (t: number): number => (t >= from ? level * factor : level);
const CHANGES = [change('gw-scale', 'gateway', 'scale', at('13:42')), change('db-migrate', 'orders-db', 'infra', at('13:43'))];
const world = (rate: (t: number) => number): SeriesData[] => [
  series('web', 'http.client.request.duration', { 'server.address': 'orders-db' }, slow(0.01, 20), opts),
  series('web', 'http.server.request.duration', {}, slow(0.05, 5), opts),
  series('web', 'http.server.request.rate', {}, rate, opts),
  series('gateway', 'http.client.request.duration', { 'server.address': 'web' }, slow(0.06, 5), opts),
  series('gateway', 'http.server.request.duration', {}, slow(0.08, 4), opts),
];
const ask = (s: SeriesData[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
const show = (a: ReturnType<typeof analyze>): string => a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}: ${x.evidence.join(' | ')}`).join('\n');
const gateway = (s: SeriesData[]) => contextEvidence(buildContext(ask(s))).find((e) => e.change.id === 'gw-scale');

describe('correlate: trouble that began below the paged service travels up, not down', () => {
  it('regression: a change above it that sent no more load is not what its callers\' waiting shows (was: the scale-out named at 0.70)', () => {
    const steady = world(() => 100);
    const a = analyze(ask(steady));
    assert.equal(a.suspects[0]?.id, 'db-migrate', show(a));
    const e = gateway(steady);
    assert.ok((e?.travelledUp.value ?? 0) > 0.5, String(e?.travelledUp.value));
    assert.ok((e?.x.chain ?? 1) < 0.5, String(e?.x.chain));
    const gw = a.suspects.find((x) => x.id === 'gw-scale');
    assert.ok(gw?.evidence.some((l) => /web's trouble began below it \(its calls to orders-db got worse as early\) and this change sent no more load down/.test(l)), show(a));
  });

  it('more requests arriving at it from above are load the change may have sent: not discounted', () => {
    const e = gateway(world(slow(100, 3, at('13:42') + 30_000)));
    const steady = gateway(world(() => 100));
    assert.ok((e?.travelledUp.value ?? 1) < 0.3, String(e?.travelledUp.value));
    assert.ok((e?.x.chain ?? 0) > 2 * (steady?.x.chain ?? 1), `${e?.x.chain} vs ${steady?.x.chain}`);
  });
});
