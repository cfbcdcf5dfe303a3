import assert from 'node:assert/strict';
import { analyzeContext } from '../../../src/correlate';
import { pathEvidence } from '../../../src/correlate/features/path';
import { mixedPath } from '../../../src/correlate/features/flow';
import { at, change, ctxOf, FD, series } from './helpers';

// Nothing moved anywhere (flat series, no breakpoint, no burst): the evidence cannot separate the
// candidates, so the ranking falls back on what an on-call engineer checks first.
describe('ranking when no evidence separates the candidates', () => {
  const flat = series('checkout-api', FD, {}, () => 500);
  const own = change('own', 'checkout-api', 'deploy', at('13:40'), { version: '2.0.0' });
  const far = change('far', 'search', 'config', at('13:58'));
  const ctx = ctxOf([flat], [own, far], [], { afterMs: 0 });

  it('puts the paged service\'s own change before a later change of an unconnected service (was: most recent first)', () => {
    const a = analyzeContext(ctx);
    assert.deepEqual(a.suspects.map((s) => s.id), ['own', 'far']);
  });
  it('keeps every score low: the prior orders, it is no evidence', () => {
    const a = analyzeContext(ctx);
    assert.ok((a.suspects[0]?.score ?? 1) < 0.3, String(a.suspects[0]?.score));
  });
});

describe('path: equally short routes with nothing moved on either', () => {
  // flagger calls z-mid, which calls victim; flagger and victim also share a dependency, a-db.
  const topology = {
    services: [
      { name: 'flagger', team: 't', dependsOn: ['a-db', 'z-mid'], limits: {} },
      { name: 'z-mid', team: 't', dependsOn: ['victim'], limits: {} },
      { name: 'victim', team: 't', dependsOn: ['a-db'], limits: {} },
      { name: 'a-db', team: 't', dependsOn: [], limits: {} },
    ],
  };
  it('takes the route along one call direction, not the detour through a shared dependency (was: the first route found)', () => {
    const flag = change('flag', 'flagger', 'flag', at('13:50'));
    const ctx = ctxOf([series('victim', FD, {}, () => 500)], [flag], [], { topology, service: 'victim', afterMs: 0 });
    const p = pathEvidence(ctx, flag);
    assert.equal(p.dist, 2);
    assert.deepEqual(p.path.map((st) => st.to), ['z-mid', 'victim']);
    assert.equal(mixedPath(p), 0);
  });
});
