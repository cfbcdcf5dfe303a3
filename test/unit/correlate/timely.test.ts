import assert from 'node:assert/strict';
import { candidateEvidence } from '../../../src/correlate/features';
import { comparisonTimeliness } from '../../../src/correlate/features/timely';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, MIN, series } from './helpers';

// The page is on checkout-api at 14:00; payments (which it calls) released 2.0, and its new pod is three times slower than its old ones.
const LAT = 'http.server.request.duration';
const PAGE = at('14:00');
const pod = (id: string, version: string, v: number, from: number): SeriesData =>
  series('payments', LAT, { 'service.instance.id': id, 'service.version': version }, () => v, { from, to: PAGE, int: false, noise: 0.004 });
const release = (t: number) => change(`payments-${t}`, 'payments', 'deploy', t, { version: '2.0' });
const world = (t: number) => {
  const c = release(t);
  const s = [pod('old-a', '1.0', 0.2, at('10:00')), pod('old-b', '1.0', 0.21, at('10:00')), pod('new-c', '2.0', 0.6, t)];
  return { c, ctx: ctxOf(s, [c], [], { at: PAGE, windowMs: 4 * 60 * MIN, afterMs: 0 }) };
};

describe('correlate: comparisons after another service\'s release fade with its distance from the trouble', () => {
  it('a bad canary of a dependency minutes before the page counts in full', () => {
    const { c, ctx } = world(at('13:52'));
    assert.ok(comparisonTimeliness(ctx, c) > 0.8);
    assert.ok(candidateEvidence(ctx, c).a.acuteSelf > 0.8);
  });

  it('regression: a dependency\'s release two hours before the page, its new pods worse at the time, was counted as fully as one minutes before', () => {
    const { c, ctx } = world(at('11:55'));
    const e = candidateEvidence(ctx, c);
    assert.ok(e.acute.canary.value > 0.8, 'the comparison itself still holds');
    assert.ok(e.a.acuteSelf < 0.1, `acuteSelf ${e.a.acuteSelf}`);
  });

  it('the asked-about service\'s own release stands whatever the delay (a leak grows for hours)', () => {
    const c = change('own', 'checkout-api', 'deploy', at('11:00'), { version: '2.0' });
    assert.equal(comparisonTimeliness({ victim: 'checkout-api', onset: PAGE, tolMs: 3 * MIN }, c), 1);
  });
});
