import assert from 'node:assert/strict';
import { markOf, seriesMove } from '../../../bench/real/marks';
import type { SeriesData } from '../../../src/ports';

const T0 = Date.parse('2022-08-22T04:00:00Z');
const MIN = 60_000;
/** A series at 1 sample a minute from T0 − 20 min: `base` before T0 (with a small wiggle), then `after`. */
const pts = (base: number, after: number[]): { t: number; v: number }[] => [
  ...Array.from({ length: 21 }, (_, i) => ({ t: T0 - (20 - i) * MIN, v: base + (i % 3) * 0.01 * base })),
  ...after.map((v, i) => ({ t: T0 + (i + 1) * MIN, v })),
];
const series = (service: string, metric: string, points: { t: number; v: number }[], labels: Record<string, string> = {}): SeriesData => ({
  series: { id: `${service}/${metric}/${JSON.stringify(labels)}`, service, metric, labels }, points,
});

describe('bench real: the mark a fault leaves, without the correlator', () => {
  it('two samples far out in either direction are a move; one is not', () => {
    assert.ok(seriesMove(pts(1, [1, 5, 6, 1]), T0, T0 + 4 * MIN) >= 4);
    assert.ok(seriesMove(pts(10, [10, 1, 1, 10]), T0, T0 + 4 * MIN) >= 4);
    assert.ok(seriesMove(pts(1, [1, 9, 1, 1]), T0, T0 + 4 * MIN) < 4);
  });

  it('samples after the page do not count', () => {
    assert.ok(seriesMove(pts(1, [1, 1, 1, 1, 8, 8]), T0, T0 + 4 * MIN) < 4);
  });

  it("a caller's series naming the service marks it; the node's figures and a quiet service do not", () => {
    const all = [
      series('frontend', 'http.client.request.duration', pts(0.01, [0.5, 0.6, 0.5, 0.5]), { 'server.address': 'checkoutservice' }),
      series('checkoutservice', 'container.cpu.usage', pts(0.2, [0.2, 0.2, 0.2, 0.2])),
      series('checkoutservice', 'NodeCpuUsageRate(%)', pts(20, [90, 90, 90, 90])),
      series('cartservice', 'NodeCpuUsageRate(%)', pts(20, [90, 90, 90, 90])),
      series('cartservice', 'container.cpu.usage', pts(0.2, [0.2, 0.2, 0.2, 0.2])),
    ];
    const checkout = markOf(all, 'checkoutservice', T0, T0 + 4 * MIN);
    assert.equal(checkout.marked, true);
    assert.equal(checkout.own.metric, 'http.client.request.duration');
    // frontend moved (its own calls) and cart did not: one of the two other services.
    assert.equal(checkout.othersMarked, 0.5);
    assert.equal(markOf(all, 'cartservice', T0, T0 + 4 * MIN).marked, false);
  });
});
