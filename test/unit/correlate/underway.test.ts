import assert from 'node:assert/strict';
import { buildContext, contextEvidence } from '../../../src/correlate';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series, TOPO } from './helpers';

// web → checkout-api (TOPO). checkout-api changes at 13:30 and again at 13:45; web's calls to it slow
// down from 13:31, steadily, and only clear a burst test minutes after the second change.
const PAGE = at('14:00');
const opts = { from: at('13:00'), to: PAGE + MIN, int: false, noise: 0.004 };
const FIRST = change('cfg-1', 'checkout-api', 'config', at('13:30'));
const SECOND = change('cfg-2', 'checkout-api', 'config', at('13:45'));
const climb = (from: number) => (t: number): number => (t < from ? 0.2 : 0.2 + (0.6 * (t - from)) / (30 * MIN));
const calls = (f: (t: number) => number): SeriesData => series('web', 'http.client.request.duration', { 'server.address': 'checkout-api' }, f, opts);
const callersOf = (s: SeriesData[], id: string): number => {
  const ctx = buildContext({ series: s, changes: [FIRST, SECOND], topology: TOPO, service: 'checkout-api', at: PAGE, windowMs: 60 * MIN, afterMs: 0 }, []);
  return contextEvidence(ctx).find((e) => e.change.id === id)?.a.acuteCallers ?? NaN;
};

describe('correlate: a burst already under way before a change', () => {
  it('regression: calls slowing since 13:31 are not the doing of a change at 13:45, though the burst test first fires after it (was: full credit to the later change)', () => {
    const s = [calls(climb(at('13:31')))];
    assert.ok(callersOf(s, 'cfg-2') < 0.1, String(callersOf(s, 'cfg-2')));
  });
  it('calls that slow down right after the change are its doing', () => {
    const s = [calls((t) => (t < at('13:46') ? 0.2 : 0.8))];
    assert.ok(callersOf(s, 'cfg-2') > 0.4, String(callersOf(s, 'cfg-2')));
  });
});
