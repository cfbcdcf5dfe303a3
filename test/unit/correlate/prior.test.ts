import assert from 'node:assert/strict';
import { analyzeContext } from '../../../src/correlate';
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
