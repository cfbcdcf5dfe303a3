import assert from 'node:assert/strict';
import { analyze, buildContext, RADIUS } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import { at, change, MIN, series } from './helpers';

// A call chain five deep: web → cart → users → payment → ledger; the page is on web. Ledger's flag
// makes it fail a fifth of its requests, and every caller up the chain passes the failures on.
const CHAIN = ['web', 'cart', 'users', 'payment', 'ledger'];
const TOPO: Topology = { services: CHAIN.map((name, i) => ({ name, team: name, dependsOn: CHAIN.slice(i + 1, i + 2), limits: {} })) };
// A service as far from web the other way round: it calls web's callee's callee … (not below web).
const ASIDE: Topology = { services: [...TOPO.services, { name: 'batch', team: 'batch', dependsOn: ['ledger'], limits: {} }] };
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE, int: false, noise: 0.002 };
const rise = (level: number, to: number, from: number) => (t: number): number => (t >= from ? to : level);
const ERR = 'http.server.request.duration.failure_ratio';
const SERIES = [...CHAIN, 'batch'].map((s) => series(s, ERR, {}, s === 'batch' ? () => 0.002 : rise(0.002, 0.2, at('13:52')), opts));
const ask = { series: SERIES, changes: [change('ledger-flag', 'ledger', 'flag', at('13:51')), change('web-config', 'web', 'config', at('13:50'))], topology: ASIDE, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 };

describe('correlate: a dependency however deep below the paged service is examined', () => {
  it(`reads the telemetry of a service ${CHAIN.length - 1} hops down (beyond the ${RADIUS} hops examined around it)`, () => {
    assert.ok(CHAIN.length - 1 > RADIUS);
    const seen = new Set(buildContext(ask).series.map((s) => s.series.service));
    assert.ok(seen.has('ledger'));
    // A service as far away that is not below it stays out of view.
    assert.ok(!seen.has('batch'));
  });

  it("names the deep dependency's change from its own failures", () => {
    const a = analyze(ask);
    assert.equal(a.suspects[0]?.id, 'ledger-flag', a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', '));
    // … from its own failures, not only from its callers'.
    assert.ok(a.suspects[0]?.evidence.some((e) => /of ledger/.test(e)), a.suspects[0]?.evidence.join('\n'));
  });
});
