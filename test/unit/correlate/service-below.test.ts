import assert from 'node:assert/strict';
import { serviceLevel } from '../../../src/correlate/features/canary';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, MIN, series } from './helpers';

// checkout-api releases 2.0 at 13:50 on new pods; from 13:52 payments, which it calls, answers forty times slower.
const DEPLOY = change('checkout-2', 'checkout-api', 'deploy', at('13:50'), { version: '2.0' });
const PAGE = at('14:00');
const SLOW = at('13:52');
const pod = (id: string, version: string, from: number, to: number, metric: string, f: (t: number) => number, labels: Record<string, string> = {}): SeriesData =>
  series('checkout-api', metric, { 'service.instance.id': id, 'service.version': version, ...labels }, f, { from, to, int: false, noise: 0.004 });
const after = (a: number, b: number) => (t: number): number => (t < SLOW ? a : b);
const both = (id: string, version: string, from: number, to: number, own: (t: number) => number, calls: (t: number) => number): SeriesData[] => [
  pod(id, version, from, to, 'http.server.request.duration.p50', own),
  pod(id, version, from, to, 'http.client.request.duration.p99', calls, { 'server.address': 'payments' }),
];
const ctx = (s: SeriesData[]) => ctxOf(s, [DEPLOY], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });

describe('correlate: service-level comparison with slowness from below', () => {
  it('regression: a release whose median latency rose ×100 while its calls\' p99 to a dependency rose ×40 was judged worse by itself', () => {
    const s = [...both('old-a', '1.0', at('13:00'), at('13:51'), after(0.2, 20), after(0.3, 12)), ...both('new-b', '2.0', at('13:50'), PAGE, after(0.2, 20), after(0.3, 12))];
    assert.equal(serviceLevel(ctx(s), DEPLOY).value, 0);
  });

  it('a release slower by itself, its calls as before, is still judged worse', () => {
    const s = [...both('old-a', '1.0', at('13:00'), at('13:51'), after(0.2, 0.8), () => 0.3), ...both('new-b', '2.0', at('13:50'), PAGE, after(0.2, 0.8), () => 0.3)];
    assert.ok(serviceLevel(ctx(s), DEPLOY).value > 0.9);
  });
});
