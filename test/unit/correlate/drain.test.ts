import assert from 'node:assert/strict';
import { oldPodsWorse } from '../../../src/correlate/features/oldpods';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, MIN, series } from './helpers';

// checkout-api rolls out 2.0 at 13:50: its one old pod is replaced a minute later (last samples at
// 13:51 and, a final flush at shutdown, 13:51:20); the new pod answers twelve times slower.
const DEPLOY = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
const PAGE = at('14:00');
const labels = (id: string, version: string) => ({ 'service.instance.id': id, 'service.version': version });
const wobble = (t: number): number => 0.005 + 0.001 * Math.sin(t / MIN);
/** The old pod's failure ratio: as before, then failing 3 % of requests from `from` on, reporting until `to` (plus a flush 20 s after its last sample when it stops early). */
function oldFailures(from: number, to: number): SeriesData {
  const s = series('checkout-api', 'http.server.request.duration.failure_ratio', labels('old-a', '1.0'), (t) => (t < from ? wobble(t) : 0.03), { from: at('13:00'), to, int: false, noise: 0 });
  return to < PAGE ? { ...s, points: [...s.points, { t: to - MIN + 20_000, v: 0.03 }] } : s;
}
const latency = (id: string, version: string, f: (t: number) => number, from: number, to: number): SeriesData =>
  series('checkout-api', 'http.server.request.duration', labels(id, version), f, { from, to, int: false, noise: 0.004 });
const ctx = (s: SeriesData[]) => ctxOf(s, [DEPLOY], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

describe('correlate: an old pod replaced by a rolling release', () => {
  it('regression: failing more in its last minute (its drain) does not clear the release (an independent generator\'s rolling release ranked ninth)', () => {
    const s = [oldFailures(at('13:50'), at('13:52')), latency('old-a', '1.0', () => 0.2, at('13:00'), at('13:52')), latency('new-b', '2.0', (t) => (t < at('13:51') ? 0.2 : 2.4), at('13:50'), PAGE)];
    assert.equal(oldPodsWorse(ctx(s), DEPLOY).value, 0);
  });

  it('an old pod still running at the page and failing more since the release still clears it', () => {
    const s = [oldFailures(at('13:51'), PAGE), latency('old-a', '1.0', () => 0.2, at('13:00'), PAGE), latency('new-b', '2.0', () => 0.2, at('13:50'), PAGE)];
    assert.ok(oldPodsWorse(ctx(s), DEPLOY).value > 0.9);
  });
});
